import { TokenManager } from '@auth/core';
import { startTokenServer, type TokenServer, testClientProvider } from '@auth/testing/http';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tokenMetrics, tracedProvider } from '../src/opentelemetry.js';

let tokens: TokenServer;
beforeEach(async () => {
  tokens = await startTokenServer();
});
afterEach(() => tokens.close());

it('counts token requests by outcome, records their duration, the time left and a span each', async () => {
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metrics,
    exportIntervalMillis: 3_600_000,
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('recipes');
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  }).getTracer('recipes');
  const clock = Date.now();
  const onEvent = tokenMetrics(meter, () => clock);
  const managerFor = (cacheKey: string) =>
    new TokenManager({
      provider: tracedProvider(testClientProvider(tokens.tokenUrl, { cacheKey }), tracer),
      retry: { maxAttempts: 1 },
      onEvent,
    });

  const orders = managerFor('orders-api');
  const token = await orders.getToken();
  tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
  const billing = managerFor('billing-api');
  await expect(billing.getToken()).rejects.toThrow();
  await Promise.all([orders.close(), billing.close()]);

  await reader.forceFlush();
  const exported = metrics.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
  const points = (name: string) =>
    exported
      .filter((m) => m.descriptor.name === name)
      .flatMap((m): { attributes: unknown; value: unknown }[] => m.dataPoints);
  expect(points('auth.token.requests').map((p) => [p.attributes, p.value])).toEqual([
    [{ 'auth.token.key': 'orders-api', 'auth.token.outcome': 'fetched' }, 1],
    [{ 'auth.token.key': 'billing-api', 'auth.token.outcome': 'failed' }, 1],
  ]);
  const [duration] = points('auth.token.request.duration');
  expect(duration?.attributes).toEqual({
    'auth.token.key': 'orders-api',
    'auth.token.outcome': 'fetched',
  });
  expect(duration?.value).toMatchObject({ count: 1 });
  expect(points('auth.token.remaining').map((p) => [p.attributes, p.value])).toEqual([
    [{ 'auth.token.key': 'orders-api' }, (token.expiresAt! - clock) / 1000],
  ]);

  const finished = spans.getFinishedSpans().map((s) => [s.name, s.attributes, s.status.code]);
  expect(finished).toEqual([
    [
      'auth.token_request',
      {
        'auth.token.key': 'orders-api',
        'auth.token.grant': 'fetch',
        'auth.token.fingerprint': token.fingerprint,
      },
      SpanStatusCode.UNSET,
    ],
    [
      'auth.token_request',
      { 'auth.token.key': 'billing-api', 'auth.token.grant': 'fetch' },
      SpanStatusCode.ERROR,
    ],
  ]);
  const everything = JSON.stringify([exported, spans.getFinishedSpans().map((s) => s.attributes)]);
  expect(everything).not.toContain(token.accessToken);
  expect(everything).not.toContain('test-secret');
});
