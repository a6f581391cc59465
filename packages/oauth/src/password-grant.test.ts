import { fingerprint } from '@auth/core/internal';
import { describe, expect, it } from 'vitest';
import { passwordGrant } from './password-grant.js';

const base = {
  tokenUrl: 'https://login.example.com/token',
  clientId: 'cli',
  clientSecret: 'client-secret',
  username: 'alice',
};

describe('passwordGrant cache key', () => {
  it('holds no tag of the password or TOTP: a low-entropy password cannot be guessed offline from it', () => {
    const one = passwordGrant({ ...base, password: 'winter2024', totp: '123456' });
    const other = passwordGrant({ ...base, password: 'summer2025' });
    expect(one.cacheKey).toBe(other.cacheKey);
    expect(one.cacheKey).not.toContain(fingerprint([fingerprint(['cli']), 'winter2024']));
  });

  it('still tells users, clients and client secrets apart', () => {
    const key = passwordGrant({ ...base, password: 'p' }).cacheKey;
    expect(passwordGrant({ ...base, username: 'bob', password: 'p' }).cacheKey).not.toBe(key);
    expect(passwordGrant({ ...base, clientId: 'other', password: 'p' }).cacheKey).not.toBe(key);
    expect(
      passwordGrant({ ...base, clientSecret: 'rotated-secret', password: 'p' }).cacheKey,
    ).not.toBe(key);
  });
});
