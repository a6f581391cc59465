import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { presence, redacted } from './redaction.js';

describe('redacted', () => {
  it('gives JSON and util.inspect the summary, never what the object holds', () => {
    const secret = 'sk-live-0123456789';
    const target = { authenticate: () => ({ Authorization: `Bearer ${secret}` }) };
    const strategy = redacted(
      'bearerAuth',
      () => ({ type: 'bearer', token: presence(secret) }),
      target,
    );
    expect(strategy).toBe(target);
    expect(JSON.stringify(strategy)).toBe('{"type":"bearer","token":"set"}');
    expect(inspect(strategy)).toBe('bearerAuth({"type":"bearer","token":"set"})');
    expect(inspect({ nested: strategy }, { depth: 5 })).not.toContain(secret);
  });
});

describe('presence', () => {
  it('says set or not set', () => {
    expect([presence('x'), presence(''), presence(undefined), presence(null)]).toEqual([
      'set',
      'not set',
      'not set',
      'not set',
    ]);
  });
});
