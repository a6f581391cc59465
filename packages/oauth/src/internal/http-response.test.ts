import { OAuthError, TokenEndpointError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { jsonOrThrow, tokenSetOrThrow } from './http-response.js';
import { parseRetryAfter } from './retry-after.js';

const now = () => Date.parse('2030-01-01T00:00:00Z');
const read = (status: number, text: string, headers: Record<string, string> = {}) => ({
  status,
  text,
  headers: new Headers(headers),
});

describe('token response mapping', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('maps a 503 OAuth error body with Retry-After to OAuthError with retryAfterMs', () => {
    const error = (() => {
      try {
        jsonOrThrow(
          'x',
          read(503, '{"error":"temporarily_unavailable"}', { 'retry-after': '2' }),
          now,
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 2000 });
  });

  it('treats a 400 JSON body without "error" as a non-retryable TokenEndpointError', () => {
    expect(() => jsonOrThrow('x', read(400, '{}'), now)).toThrow(TokenEndpointError);
  });

  it('accepts expires_in as a numeric string and turns it into expiresAt from the injected clock', () => {
    const tokens = tokenSetOrThrow('x', read(200, '{"access_token":"a","expires_in":"60"}'), now);
    expect(tokens.expiresAt).toBe(now() + 60_000);
  });
});
