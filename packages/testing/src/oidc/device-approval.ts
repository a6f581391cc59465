import type { Provider } from 'oidc-provider';
import type { TestUser } from './users.js';

/**
 * Approves a pending device authorization (RFC 8628 §3.3) as `username` had entered the
 * `user_code` and consented: the next poll of the device gets tokens.
 *
 * @param provider - The provider that issued the code.
 * @param users - The known users.
 * @param userCode - The `user_code` shown to the user.
 * @param username - Who approves.
 * @throws {Error} An unknown user code or user.
 */
export async function approveDeviceCode(
  provider: Provider,
  users: readonly TestUser[],
  userCode: string,
  username: string,
): Promise<void> {
  if (!users.some((user) => user.username === username))
    throw new Error(`unknown user ${username}`);
  const code = await findCode(provider, userCode);
  const grant = new provider.Grant({ accountId: username, clientId: code.clientId });
  if (code.scope) grant.addOIDCScope(code.scope);
  const mutable = code as unknown as Record<string, unknown>;
  mutable.grantId = await grant.save();
  mutable.accountId = username;
  mutable.authTime = Math.floor(Date.now() / 1000);
  await code.save();
}

/**
 * Denies a pending device authorization: the next poll gets `access_denied`.
 *
 * @param provider - The provider that issued the code.
 * @param userCode - The `user_code` shown to the user.
 */
export async function denyDeviceCode(provider: Provider, userCode: string): Promise<void> {
  const code = await findCode(provider, userCode);
  const mutable = code as unknown as Record<string, unknown>;
  mutable.error = 'access_denied';
  mutable.errorDescription = 'the user denied the request';
  await code.save();
}

async function findCode(provider: Provider, userCode: string) {
  // oidc-provider stores user codes normalised: letters and digits only, upper case.
  const normalised = userCode.replace(/[^0-9a-z]/gi, '').toUpperCase();
  const code = await provider.DeviceCode.findByUserCode(normalised, { ignoreExpiration: true });
  if (!code) throw new Error(`unknown user_code ${userCode}`);
  return code;
}
