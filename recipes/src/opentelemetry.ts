import type { TokenManagerEvent, TokenProvider, TokenSet } from '@auth/core';
import { type Meter, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/**
 * A TokenManager `onEvent` that records, per manager key (`auth.token.key`):
 * - `auth.token.requests`: token requests by `auth.token.outcome` (fetched, refreshed, failed);
 * - `auth.token.request.duration` (s): how long each successful token request took;
 * - `auth.token.remaining` (s): the lifetime left on the current token, read at each export.
 */
export function tokenMetrics(meter: Meter, now: () => number = Date.now) {
  const requests = meter.createCounter('auth.token.requests', { description: 'Token requests' });
  const duration = meter.createHistogram('auth.token.request.duration', { unit: 's' });
  const expiresAt = new Map<string, number>();
  meter.createObservableGauge('auth.token.remaining', { unit: 's' }).addCallback((result) => {
    for (const [key, at] of expiresAt) {
      result.observe(Math.max(0, (at - now()) / 1000), { 'auth.token.key': key });
    }
  });
  return (event: TokenManagerEvent): void => {
    const key = { 'auth.token.key': event.key };
    if (event.type === 'token-fetched' || event.type === 'token-refreshed') {
      const outcome = { ...key, 'auth.token.outcome': event.type.slice('token-'.length) };
      requests.add(1, outcome);
      duration.record(event.durationMs / 1000, outcome);
    }
    if (event.type === 'refresh-failed')
      requests.add(1, { ...key, 'auth.token.outcome': 'failed' });
    if ('expiresAt' in event && event.expiresAt !== undefined)
      expiresAt.set(event.key, event.expiresAt);
    if (event.type === 'session-expired') expiresAt.delete(event.key);
  };
}

/**
 * `provider` with a span (`auth.token_request`) around each token request: the grant
 * (`fetch` or `refresh`), the key, and on success the token's fingerprint, never a token.
 * A failure sets the span's status to error with the error's name.
 */
export function tracedProvider(provider: TokenProvider, tracer: Tracer): TokenProvider {
  const traced = (grant: string, request: () => Promise<TokenSet>) =>
    tracer.startActiveSpan(
      'auth.token_request',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'auth.token.key': provider.cacheKey, 'auth.token.grant': grant },
      },
      async (span) => {
        try {
          const tokens = await request();
          span.setAttribute('auth.token.fingerprint', tokens.fingerprint);
          return tokens;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  return {
    cacheKey: provider.cacheKey,
    canReauthenticate: provider.canReauthenticate,
    interactive: provider.interactive,
    fetchToken: (options) => traced('fetch', () => provider.fetchToken(options)),
    refreshToken: provider.refreshToken
      ? (current, options) => traced('refresh', () => provider.refreshToken!(current, options))
      : undefined,
    describe: provider.describe?.bind(provider),
  };
}
