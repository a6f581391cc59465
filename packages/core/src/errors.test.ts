import { describe, expect, it } from 'vitest';
import {
  AuthError,
  AuthenticationError,
  CredentialUnavailableError,
  OAuthError,
  SessionExpiredError,
  TokenEndpointError,
  TokenResponseError,
  TokenSetFormatError,
  TokenStoreError,
} from './errors.js';

describe('error classes', () => {
  it('set name, code and cause', () => {
    const cause = new Error('socket hang up');
    const error = new TokenEndpointError('token endpoint unreachable', { retryable: true, cause });
    expect(error).toMatchObject({
      name: 'TokenEndpointError',
      code: 'token_endpoint_error',
      retryable: true,
      cause,
    });
    expect(error).toBeInstanceOf(AuthError);
  });

  it('maps RFC 6749 §5.2 fields onto OAuthError', () => {
    const error = new OAuthError({
      error: 'invalid_grant',
      errorDescription: 'expired',
      errorUri: 'https://x',
      status: 400,
    });
    expect(error).toMatchObject({
      error: 'invalid_grant',
      errorDescription: 'expired',
      errorUri: 'https://x',
      status: 400,
      code: 'oauth_error',
    });
    expect(error.message).toBe('OAuth error "invalid_grant": expired');
  });

  it.each([
    [new OAuthError({ error: 'x' }), 'oauth_error'],
    [new TokenResponseError('x'), 'token_response_invalid'],
    [new TokenSetFormatError('x'), 'token_set_format'],
    [new SessionExpiredError(), 'session_expired'],
    [new TokenStoreError('x', { operation: 'get' }), 'token_store_error'],
    [new AuthenticationError('x', { serviceName: 'api' }), 'authentication_failed'],
    [new CredentialUnavailableError('x', { source: '/var/run/token' }), 'credential_unavailable'],
  ])('%o has code %s and is an AuthError', (error, code) => {
    expect(error.code).toBe(code);
    expect(AuthError.isInstance(error)).toBe(true);
  });

  it('isInstance tells classes apart', () => {
    const error = new OAuthError({ error: 'invalid_client' });
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(TokenEndpointError.isInstance(error)).toBe(false);
    expect(AuthError.isInstance(new Error('plain'))).toBe(false);
    expect(AuthError.isInstance(undefined)).toBe(false);
    expect(AuthError.isInstance('OAuthError')).toBe(false);
  });

  it('isInstance works unbound, e.g. passed to filter()', () => {
    const errors = [new OAuthError({ error: 'x' }), new Error('plain'), new SessionExpiredError()];
    expect(errors.filter(OAuthError.isInstance)).toHaveLength(1);
    expect(errors.filter(AuthError.isInstance)).toHaveLength(2);
  });

  it('isInstance recognises errors from another copy of the package, where instanceof fails', async () => {
    // A query string makes the module loader evaluate errors.ts again: a second copy of the classes.
    // @ts-expect-error TypeScript cannot resolve a query-string specifier; vitest can.
    const copy = (await import('./errors.js?another-copy')) as typeof import('./errors.js');
    expect(copy.OAuthError).not.toBe(OAuthError);
    const foreign = new copy.OAuthError({ error: 'invalid_grant' });
    expect(foreign instanceof OAuthError).toBe(false);
    expect(OAuthError.isInstance(foreign)).toBe(true);
    expect(AuthError.isInstance(foreign)).toBe(true);
    expect(TokenStoreError.isInstance(foreign)).toBe(false);
    expect(copy.OAuthError.isInstance(new OAuthError({ error: 'x' }))).toBe(true);
  });
});
