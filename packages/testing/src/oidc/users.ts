import { createHmac } from 'node:crypto';

/** A fixed test user of the OpenID test bed. */
export interface TestUser {
  /** The login name and `sub` claim. */
  username: string;
  password: string;
  /** Base32-free raw TOTP secret (UTF-8 text); when set, the password grant requires `totp`. */
  totpSecret?: string;
}

/** The fixed users every test bed knows: `alice` (password only) and `bob` (password + TOTP). */
export const TEST_USERS: readonly TestUser[] = Object.freeze([
  { username: 'alice', password: 'alice-password-1' },
  { username: 'bob', password: 'bob-password-2', totpSecret: 'bob-totp-secret-0123' },
]);

const TOTP_STEP_SECONDS = 30;
const TOTP_DIGITS = 6;

/**
 * The RFC 6238 TOTP code (HMAC-SHA-1, 30 s steps, 6 digits) of `secret` at `atMs`.
 *
 * @param secret - The shared secret as UTF-8 text.
 * @param atMs - The instant (epoch ms). Default now.
 * @returns The six-digit code.
 */
export function totpCode(secret: string, atMs: number = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / TOTP_STEP_SECONDS)));
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** Whether `code` is the user's TOTP code for now or the neighbouring step (clock drift). */
export function totpMatches(secret: string, code: string, atMs: number = Date.now()): boolean {
  const stepMs = TOTP_STEP_SECONDS * 1000;
  return [-stepMs, 0, stepMs].some((drift) => totpCode(secret, atMs + drift) === code);
}

/** Why {@link verifyUser} refused: `totp-required` when only the one-time code was missing. */
export interface LoginRefusal {
  reason: string;
  code: 'invalid-credentials' | 'totp-required' | 'invalid-totp';
}

/**
 * Checks a username and password (and TOTP when the user has one).
 *
 * @returns The user, or why the login fails.
 */
export function verifyUser(
  users: readonly TestUser[],
  credentials: { username?: string; password?: string; totp?: string },
): { user: TestUser } | LoginRefusal {
  const user = users.find((candidate) => candidate.username === credentials.username);
  if (!user || user.password !== credentials.password)
    return { reason: 'invalid username or password', code: 'invalid-credentials' };
  if (user.totpSecret) {
    if (!credentials.totp)
      return { reason: 'a one-time code (totp) is required for this user', code: 'totp-required' };
    if (!totpMatches(user.totpSecret, credentials.totp))
      return { reason: 'invalid one-time code (totp)', code: 'invalid-totp' };
  }
  return { user };
}
