import { describe, expect, it } from 'vitest';
import { AuthError, OAuthError, TokenEndpointError } from '../../errors.js';
import { refreshRefused } from './refresh-refusal.js';

describe('refreshRefused', () => {
  it('reads invalid_grant, a bare 400 or 401, and other 400/401 OAuth errors as a dead refresh token', () => {
    expect(refreshRefused(new OAuthError({ error: 'invalid_grant', status: 400 }))).toBe(true);
    expect(refreshRefused(new OAuthError({ error: 'invalid_grant' }))).toBe(true);
    const bare = (status: number) =>
      new TokenEndpointError(`HTTP ${status}`, { status, retryable: false });
    expect(refreshRefused(bare(400))).toBe(true);
    expect(refreshRefused(bare(401))).toBe(true);
    expect(refreshRefused(new OAuthError({ error: 'invalid_request', status: 400 }))).toBe(true);
    expect(refreshRefused(new OAuthError({ error: 'invalid_token', status: 401 }))).toBe(true);
  });

  it('does not blame the refresh token for the client, transient failures or other statuses', () => {
    expect(refreshRefused(new OAuthError({ error: 'invalid_client', status: 401 }))).toBe(false);
    expect(refreshRefused(new OAuthError({ error: 'unauthorized_client', status: 400 }))).toBe(
      false,
    );
    expect(refreshRefused(new OAuthError({ error: 'temporarily_unavailable', status: 400 }))).toBe(
      false,
    );
    for (const error of [
      'use_dpop_nonce',
      'invalid_dpop_proof',
      'unsupported_grant_type',
      'invalid_scope',
    ])
      expect(refreshRefused(new OAuthError({ error, status: 400 })), error).toBe(false);
    expect(
      refreshRefused(new TokenEndpointError('HTTP 503', { status: 503, retryable: true })),
    ).toBe(false);
    expect(
      refreshRefused(new TokenEndpointError('HTTP 403', { status: 403, retryable: false })),
    ).toBe(false);
    expect(refreshRefused(new TypeError('fetch failed'))).toBe(false);
    expect(refreshRefused(new AuthError('other'))).toBe(false);
  });
});
