import { inspect } from 'node:util';
import { TokenStoreError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './bounded-client.js';

describe('toStoreError', () => {
  it('wraps a failure in a TokenStoreError naming the operation, with the cause kept', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = toStoreError('get', cause);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect(error.operation).toBe('get');
    expect(error.message).toBe('Redis get failed: connect ECONNREFUSED 127.0.0.1:1');
    expect(error.cause).toBe(cause);
  });

  it('drops the command arguments ioredis attaches to reply errors, which may hold a token', () => {
    const replyError = Object.assign(new Error('OOM command not allowed'), {
      name: 'ReplyError',
      command: { name: 'evalsha', args: ['sha', '1', 'key', '{"accessToken":"at-secret-1"}'] },
    });
    const error = toStoreError('set', replyError);
    expect(error.message).toContain('OOM command not allowed');
    expect((error.cause as Error).name).toBe('ReplyError');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain('at-secret-1');
  });

  it('passes a TokenStoreError through unchanged', () => {
    const original = new TokenStoreError('already mapped', { operation: 'lock' });
    expect(toStoreError('get', original)).toBe(original);
  });
});
