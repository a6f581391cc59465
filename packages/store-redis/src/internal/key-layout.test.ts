import { describe, expect, it } from 'vitest';
import { redisKeys } from './key-layout.js';

/** CRC16/XMODEM, as Redis Cluster computes it (cluster spec, "Keys distribution model"). */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The Cluster slot of `key`: CRC16 of its hash tag (first non-empty `{…}`) or of the whole key. */
function slotOf(key: string): number {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const hashed = open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
  return crc16(new TextEncoder().encode(hashed)) % 16_384;
}

describe('slotOf (the reference used below)', () => {
  it('matches the slots Redis documents and computes', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
    expect(slotOf('foo')).toBe(12_182);
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'));
    expect(slotOf('somekey')).toBe(11_058);
    expect(slotOf('foo{hash_tag}')).toBe(2_515);
    expect(slotOf('bar{hash_tag}')).toBe(2_515);
  });
});

describe('redisKeys', () => {
  it('names the tokens key, the lock key and the channel under the prefix with the key as hash tag', () => {
    expect(redisKeys('auth:', 'cc:svc')).toEqual({
      tokens: 'auth:{cc:svc}:tokens',
      lock: 'auth:{cc:svc}:lock',
      channel: 'auth:{cc:svc}:updates',
    });
  });

  it.each([
    'cc:https://idp.example/token:client-1:scope=a b',
    'key with {braces} inside',
    '}starts-with-close',
    '{}',
    '%7B already encoded',
    'ü-unicode-ключ',
  ])('puts the tokens and lock keys of %j on one Cluster slot', (key) => {
    const names = redisKeys('auth:', key);
    expect(slotOf(names.lock)).toBe(slotOf(names.tokens));
    expect(slotOf(names.channel)).toBe(slotOf(names.tokens));
  });

  it('keeps keys that differ only in braces or percent signs apart', () => {
    const keys = ['a{b}', 'a%7Bb%7D', 'a%257Bb', 'a{b', 'a}b'];
    const tokensKeys = new Set(keys.map((key) => redisKeys('auth:', key).tokens));
    expect(tokensKeys.size).toBe(keys.length);
  });

  it('spreads different keys over different slots', () => {
    const slots = new Set(
      Array.from({ length: 50 }, (_, index) => slotOf(redisKeys('auth:', `svc-${index}`).tokens)),
    );
    expect(slots.size).toBeGreaterThan(40);
  });

  it('keeps one slot per token whatever the prefix holds', () => {
    for (const prefix of ['', 'app:', '{tenant}:', 'odd{', 'odd}']) {
      const names = redisKeys(prefix, 'cc:svc');
      expect(slotOf(names.lock)).toBe(slotOf(names.tokens));
    }
  });
});
