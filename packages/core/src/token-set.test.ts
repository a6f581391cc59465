import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TokenResponseError, TokenSetFormatError } from './errors.js';
import { TokenSet } from './token-set.js';

const SECRET = 'sEcReT-access-token-value';
const REFRESH = 'sEcReT-refresh-token-value';
const ID_TOKEN = 'sEcReT.id.token';
/** An epoch-milliseconds instant the tests count from (2023-11-14). */
const T = 1_700_000_000_000;

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}

describe('TokenSet construction', () => {
  it('defaults the token type to Bearer and builds the Authorization header', () => {
    expect(new TokenSet({ accessToken: 'abc' }).authorizationHeader).toBe('Bearer abc');
  });

  it.each([
    ['bearer', 'Bearer'],
    ['BEARER', 'Bearer'],
    ['dpop', 'DPoP'],
    ['Custom', 'Custom'],
  ])('normalises the scheme %s to %s', (given, expected) => {
    expect(new TokenSet({ accessToken: 'abc', tokenType: given }).tokenType).toBe(expected);
  });

  it.each([
    ['an empty token', ''],
    ['a token with a space', 'abc def'],
    ['a token with CRLF (header injection)', 'abc\r\nX-Injected: 1'],
    ['a token with a NUL', 'abc\u0000'],
    ['a token with non-ASCII', 'abcé'],
  ])('rejects %s with a TypeError that does not echo it', (_, accessToken) => {
    expect(() => new TokenSet({ accessToken })).toThrow(TypeError);
    try {
      new TokenSet({ accessToken });
    } catch (error) {
      if (accessToken) expect((error as Error).message).not.toContain(accessToken);
    }
  });

  it.each(['expiresAt', 'refreshExpiresAt', 'issuedAt'] as const)(
    'rejects a non-finite %s',
    (field) => {
      expect(() => new TokenSet({ accessToken: 'abc', [field]: Number.NaN })).toThrow(TypeError);
      expect(() => new TokenSet({ accessToken: 'abc', [field]: Number.POSITIVE_INFINITY })).toThrow(
        TypeError,
      );
    },
  );

  it('rejects a token type that is not a header token', () => {
    expect(() => new TokenSet({ accessToken: 'abc', tokenType: 'Bear er' })).toThrow(TypeError);
  });

  it('is immutable', () => {
    const tokens = new TokenSet({ accessToken: 'abc', expiresAt: T + 10 });
    expect(() => {
      (tokens as { expiresAt: number }).expiresAt = 20;
    }).toThrow(TypeError);
  });
});

describe('TokenSet.fromResponse (RFC 6749 §5.1)', () => {
  const now = () => T;

  it('turns expires_in seconds into an absolute expiry and records issuedAt', () => {
    const tokens = TokenSet.fromResponse(
      {
        access_token: 'abc',
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: 'r',
        refresh_expires_in: 7200,
        id_token: 'i.d.t',
        scope: 'a b',
      },
      { now },
    );
    expect(tokens).toMatchObject({
      tokenType: 'Bearer',
      expiresAt: T + 3_600_000,
      refreshExpiresAt: T + 7_200_000,
      scope: 'a b',
      issuedAt: T,
    });
    expect(tokens.refreshToken).toBe('r');
    expect(tokens.idToken).toBe('i.d.t');
  });

  it('accepts expires_in as a numeric string', () => {
    expect(
      TokenSet.fromResponse({ access_token: 'abc', expires_in: '60' }, { now }).expiresAt,
    ).toBe(T + 60_000);
  });

  it('takes the expiry from a JWT exp claim when expires_in is absent', () => {
    const token = jwt({ exp: T / 1000 + 2_000, sub: 'x' });
    expect(TokenSet.fromResponse({ access_token: token }, { now }).expiresAt).toBe(T + 2_000_000);
  });

  it('prefers expires_in over the JWT exp claim', () => {
    const token = jwt({ exp: T / 1000 + 2_000 });
    expect(TokenSet.fromResponse({ access_token: token, expires_in: 10 }, { now }).expiresAt).toBe(
      T + 10_000,
    );
  });

  it('leaves the expiry unset for an opaque token without expires_in', () => {
    expect(TokenSet.fromResponse({ access_token: 'opaque' }, { now }).expiresAt).toBeUndefined();
  });

  it.each([
    ['no access_token', { token_type: 'Bearer' }],
    ['an empty access_token', { access_token: '' }],
    ['a non-string access_token', { access_token: 42 }],
    ['a non-numeric expires_in', { access_token: 'abc', expires_in: 'soon' }],
    ['a negative refresh_expires_in', { access_token: 'abc', refresh_expires_in: -5 }],
    ['a non-string refresh_token', { access_token: 'abc', refresh_token: 7 }],
    ['an access token with whitespace', { access_token: 'a b' }],
  ])('throws TokenResponseError for %s', (_, body) => {
    expect(() => TokenSet.fromResponse(body, { now })).toThrow(TokenResponseError);
  });

  it.each([null, 'text', 42, ['access_token']])(
    'throws TokenResponseError for a body that is not an object (%j)',
    (body) => {
      expect(() => TokenSet.fromResponse(body)).toThrow(TokenResponseError);
    },
  );

  it('never puts the token value in its error', () => {
    try {
      TokenSet.fromResponse({ access_token: `${SECRET} with space` });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(SECRET);
      expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    }
  });
});

describe('TokenSet.fromResponse: tokens that cannot be served', () => {
  const now = () => T;
  const codeOf = (
    body: unknown,
    options: Parameters<typeof TokenSet.fromResponse>[1] = { now },
  ) => {
    try {
      TokenSet.fromResponse(body, options);
    } catch (error) {
      if (TokenResponseError.isInstance(error)) return { code: error.code, message: error.message };
      throw error;
    }
    return undefined;
  };

  it.each([0, -5, '0', '-5'])(
    'refuses expires_in %j with code token_expired: the token expired on arrival',
    (expiresIn) => {
      expect(codeOf({ access_token: 'abc', expires_in: expiresIn })?.code).toBe('token_expired');
    },
  );

  it('refuses a JWT access token whose exp has passed (no expires_in), naming when it expired', () => {
    const expired = jwt({ exp: T / 1000 - 60 });
    const refused = codeOf({ access_token: expired });
    expect(refused?.code).toBe('token_expired');
    expect(refused?.message).toContain(new Date(T - 60_000).toISOString());
    expect(refused?.message).not.toContain(expired);
  });

  it('refuses a token_type other than Bearer or DPoP unless acceptTokenTypes allows it', () => {
    expect(codeOf({ access_token: 'abc', token_type: 'mac' })?.code).toBe('token_type_unsupported');
    expect(codeOf({ access_token: 'abc', token_type: 'Basic' })?.code).toBe(
      'token_type_unsupported',
    );
    const mac = TokenSet.fromResponse(
      { access_token: 'abc', token_type: 'mac' },
      { now, acceptTokenTypes: ['MAC'] },
    );
    expect(mac.authorizationHeader).toBe('mac abc');
    expect(TokenSet.fromResponse({ access_token: 'abc', token_type: 'DPOP' }).tokenType).toBe(
      'DPoP',
    );
  });

  it('reads refresh_expires_in 0 as a refresh token without a set lifetime (Keycloak offline tokens)', () => {
    const tokens = TokenSet.fromResponse(
      { access_token: 'abc', refresh_token: 'r', refresh_expires_in: 0, expires_in: 60 },
      { now },
    );
    expect(tokens.refreshExpiresAt).toBeUndefined();
    expect(tokens.isRefreshValid(0, T + 1e9)).toBe(true);
  });

  it.each([1e13, 1e300, '99999999999999999999'])(
    'clamps expires_in %j beyond what Date represents, so printing the token never throws',
    (expiresIn) => {
      const tokens = TokenSet.fromResponse({ access_token: 'abc', expires_in: expiresIn }, { now });
      expect(tokens.expiresAt).toBe(8.64e15);
      expect(String(tokens)).toContain('+275760-09-13T00:00:00.000Z');
      expect(() => JSON.stringify(tokens)).not.toThrow();
      expect(() => inspect(tokens)).not.toThrow();
      expect(tokens.isAccessValid(30_000, T)).toBe(true);
    },
  );
});

describe('TokenSet times are epoch milliseconds', () => {
  it.each(['expiresAt', 'refreshExpiresAt', 'issuedAt'] as const)(
    'rejects a %s that can only be epoch seconds, saying times are milliseconds',
    (field) => {
      const seconds = Math.floor(T / 1000) + 3600;
      expect(() => new TokenSet({ accessToken: 'abc', [field]: seconds })).toThrow(
        /epoch milliseconds \(multiply seconds by 1000\)/,
      );
      expect(() => new TokenSet({ accessToken: 'abc', [field]: seconds * 1000 })).not.toThrow();
    },
  );

  it('clamps times beyond what Date represents', () => {
    const tokens = new TokenSet({ accessToken: 'abc', expiresAt: 1e20, refreshExpiresAt: 9e15 });
    expect(tokens.expiresAt).toBe(8.64e15);
    expect(JSON.parse(JSON.stringify(tokens)).refreshExpiresAt).toBe('+275760-09-13T00:00:00.000Z');
  });
});

describe('TokenSet validity', () => {
  const tokens = new TokenSet({
    accessToken: 'abc',
    expiresAt: T + 10_000,
    refreshToken: 'r',
    refreshExpiresAt: T + 20_000,
  });

  it('is valid until skewMs before expiry', () => {
    expect(tokens.isAccessValid(1_000, T + 8_999)).toBe(true);
    expect(tokens.isAccessValid(1_000, T + 9_000)).toBe(false);
    expect(tokens.isAccessValid(0, T + 9_999)).toBe(true);
    expect(tokens.isAccessValid(0, T + 10_000)).toBe(false);
  });

  it('checks the refresh token the same way, and is false without one', () => {
    expect(tokens.isRefreshValid(0, T + 19_999)).toBe(true);
    expect(tokens.isRefreshValid(0, T + 20_000)).toBe(false);
    expect(new TokenSet({ accessToken: 'abc' }).isRefreshValid()).toBe(false);
  });

  it('never expires without expiresAt', () => {
    const forever = new TokenSet({ accessToken: 'abc', refreshToken: 'r' });
    expect(forever.isAccessValid(1e12, 1e15)).toBe(true);
    expect(forever.isRefreshValid(1e12, 1e15)).toBe(true);
  });
});

describe('TokenSet fingerprint', () => {
  it('is a short stable tag that differs between tokens and does not contain the token', () => {
    const a = new TokenSet({ accessToken: SECRET });
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(new TokenSet({ accessToken: SECRET, expiresAt: T + 5 }).fingerprint).toBe(a.fingerprint);
    expect(new TokenSet({ accessToken: `${SECRET}x` }).fingerprint).not.toBe(a.fingerprint);
    expect(SECRET).not.toContain(a.fingerprint);
  });
});

describe('TokenSet redaction', () => {
  const tokens = new TokenSet({
    accessToken: SECRET,
    refreshToken: REFRESH,
    idToken: ID_TOKEN,
    expiresAt: 1_700_000_000_000,
    scope: 'read write',
  });

  it.each([
    ['String()', () => String(tokens)],
    ['template literal', () => `${tokens}`],
    ['JSON.stringify', () => JSON.stringify(tokens)],
    ['JSON.stringify nested', () => JSON.stringify({ tokens })],
    ['util.inspect', () => inspect(tokens)],
    ['util.inspect nested', () => inspect({ deep: { tokens } }, { depth: 10 })],
    ['object spread', () => JSON.stringify({ ...tokens })],
    ['Object.keys values', () => JSON.stringify(Object.values(tokens))],
  ])('%s shows type, expiry and scope but no token', (_, render) => {
    const output = render();
    for (const secret of [SECRET, REFRESH, ID_TOKEN]) expect(output).not.toContain(secret);
  });

  it('shows what is useful for debugging', () => {
    expect(String(tokens)).toContain('Bearer');
    expect(String(tokens)).toContain('2023-11-14T22:13:20.000Z');
    expect(JSON.parse(JSON.stringify(tokens))).toEqual({
      tokenType: 'Bearer',
      fingerprint: tokens.fingerprint,
      expiresAt: '2023-11-14T22:13:20.000Z',
      scope: 'read write',
      hasRefreshToken: true,
      hasIdToken: true,
    });
  });
});

describe('TokenSet serialize/deserialize', () => {
  it('round-trips every field with a version', () => {
    const init = {
      accessToken: 'a',
      tokenType: 'DPoP',
      expiresAt: T + 1,
      refreshToken: 'r',
      refreshExpiresAt: T + 2,
      idToken: 'i',
      scope: 's',
      issuedAt: T,
    };
    const data = new TokenSet(init).serialize();
    expect(data).toEqual({ version: 1, ...init });
    expect(TokenSet.deserialize(JSON.parse(JSON.stringify(data))).serialize()).toEqual(data);
  });

  it.each([
    ['null', null],
    ['a string', '{"version":1}'],
    ['an array', []],
    ['no version', { accessToken: 'a', tokenType: 'Bearer' }],
    ['a future version', { version: 2, accessToken: 'a', tokenType: 'Bearer' }],
    ['no access token', { version: 1, tokenType: 'Bearer' }],
    ['an access token with whitespace', { version: 1, accessToken: 'a b', tokenType: 'Bearer' }],
    ['a string expiry', { version: 1, accessToken: 'a', tokenType: 'Bearer', expiresAt: '1' }],
    ['a NaN expiry', { version: 1, accessToken: 'a', tokenType: 'Bearer', expiresAt: Number.NaN }],
    [
      'a numeric refresh token',
      { version: 1, accessToken: 'a', tokenType: 'Bearer', refreshToken: 5 },
    ],
  ])('throws TokenSetFormatError for %s', (_, data) => {
    expect(() => TokenSet.deserialize(data)).toThrow(TokenSetFormatError);
  });

  it('keeps the stored secret out of its error', () => {
    try {
      TokenSet.deserialize({ version: 1, accessToken: `${SECRET} x`, tokenType: 'Bearer' });
      expect.unreachable();
    } catch (error) {
      expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    }
  });

  it('with() replaces fields and validates the result', () => {
    const tokens = new TokenSet({ accessToken: 'a', refreshToken: 'r' });
    expect(tokens.with({ accessToken: 'b' }).refreshToken).toBe('r');
    expect(() => tokens.with({ accessToken: '' })).toThrow(TypeError);
  });
});
