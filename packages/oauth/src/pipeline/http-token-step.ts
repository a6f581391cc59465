import { TokenResponseError, TokenSet } from '@auth/core';
import { withDeadline } from '../internal/abort.js';
import { jsonOrThrow, readResponse } from '../internal/http-response.js';
import {
  checkEndpointUrl,
  DEFAULT_TIMEOUT_MS,
  positiveMs,
  requiredString,
} from '../internal/options.js';
import type { PipelineStep, StepContext } from './pipeline-step.js';

/** Options of {@link httpTokenStep}. */
export interface HttpTokenStepOptions {
  /** The step's name (unique in the pipeline). */
  name: string;
  /** Where to send the request. */
  url: string | URL;
  /** The HTTP method. Default `POST`. */
  method?: string;
  /** Request headers, from the tokens of the steps this one depends on. */
  headers?: (context: StepContext) => Record<string, string>;
  /**
   * The request body: a string or `URLSearchParams` as is, a plain object as JSON.
   * Default none.
   */
  body?: (context: StepContext) => string | URLSearchParams | Record<string, unknown>;
  /** Dotted path of the token in the JSON response. Default `access_token`. */
  tokenPath?: string;
  /** Dotted path of its lifetime in seconds, if the response has one. */
  expiresInPath?: string;
  /** How long to use the token, in ms; the shorter of this and `expiresInPath` wins. */
  ttlMs?: number;
  /** Steps whose tokens this one needs. */
  dependsOn?: readonly string[];
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Deadline in ms. Default 10 000. */
  timeoutMs?: number;
  /** Allow plain `http:` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * A pipeline step that gets a token with one HTTP request to a non-OAuth endpoint (a
 * login API, an internal token service): headers and body come from the tokens of the
 * steps it depends on; the token and its lifetime are read from the JSON response by
 * dotted paths. Error responses map as token endpoint responses do (`OAuthError` for an
 * RFC 6749 §5.2 body, else `TokenEndpointError`).
 *
 * @param options - See {@link HttpTokenStepOptions}.
 * @returns The step.
 * @throws {TypeError} A missing name or URL, or an invalid duration.
 * @example
 * ```ts
 * import { httpTokenStep } from '@auth/oauth';
 *
 * const userStep = httpTokenStep({
 *   name: 'user',
 *   url: 'https://api.example.com/login',
 *   dependsOn: ['app'],
 *   headers: ({ tokens }) => ({ 'X-App-Token': tokens.app!.accessToken }),
 *   body: () => ({ user: 'alice', password: process.env.PASSWORD }),
 *   tokenPath: 'session.token',
 *   ttlMs: 15 * 60_000,
 * });
 * ```
 */
export function httpTokenStep(options: HttpTokenStepOptions): PipelineStep {
  const name = requiredString('httpTokenStep', 'name', options.name);
  const url = checkEndpointUrl(`step "${name}" url`, options.url, options.allowInsecureHttp);
  const method = (options.method ?? 'POST').toUpperCase();
  const tokenPath = options.tokenPath ?? 'access_token';
  const ttlMs = options.ttlMs === undefined ? undefined : positiveMs('ttlMs', options.ttlMs, 0);
  const timeoutMs = positiveMs('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  const dependsOn = Object.freeze([...(options.dependsOn ?? [])]);
  const what = `step "${name}"`;

  return Object.freeze({
    name,
    dependsOn,
    describe: () => ({
      type: 'http',
      name,
      url: url.href,
      method,
      tokenPath,
      ttlMs,
      dependsOn: dependsOn.join(',') || undefined,
    }),
    async run(context: StepContext, { signal }: { signal?: AbortSignal }) {
      const headers = new Headers(options.headers?.(context));
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      const body = encodeBody(options.body?.(context), headers);
      const read = await withDeadline(what, timeoutMs, signal, async (deadline) =>
        readResponse(
          await (options.fetch ?? fetch)(url, {
            method,
            headers,
            body,
            signal: deadline,
            redirect: 'manual',
          }),
        ),
      );
      const json = jsonOrThrow(what, read, now);
      const token = valueAt(json, tokenPath);
      if (typeof token !== 'string' || token === '')
        throw new TokenResponseError(`${what}: the response has no token at "${tokenPath}"`);
      const issuedAt = now();
      const expiresIn = options.expiresInPath
        ? Number(valueAt(json, options.expiresInPath))
        : Number.NaN;
      const candidates = [
        Number.isFinite(expiresIn) ? issuedAt + expiresIn * 1000 : undefined,
        ttlMs === undefined ? undefined : issuedAt + ttlMs,
      ].filter((at): at is number => at !== undefined);
      try {
        return new TokenSet({
          accessToken: token,
          expiresAt: candidates.length ? Math.min(...candidates) : undefined,
          issuedAt,
        });
      } catch (error) {
        throw new TokenResponseError(`${what}: the token is not usable in a header`, {
          cause: error,
        });
      }
    },
  });
}

function encodeBody(
  body: string | URLSearchParams | Record<string, unknown> | undefined,
  headers: Headers,
): string | URLSearchParams | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof URLSearchParams)
    return body;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

function valueAt(json: unknown, path: string): unknown {
  let value: unknown = json;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
