import type { OidcTestBed } from '@auth/testing/oidc';

/** Quotes a word for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function command(env: Record<string, string>, args: string[]): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellWord(value)}`);
  return `  ${[...assignments, 'pnpm', 'cli', '--', ...args.map(shellWord)].join(' ')}`;
}

/**
 * What the provider prints once it runs: where it is, who may sign in, and the exact
 * `pnpm cli -- login …` command lines for the device, password and client credentials
 * logins (with this run's client secrets: they are new on every start).
 *
 * @param bed - The running provider.
 * @returns The lines to print.
 * @example
 * ```ts
 * for (const line of instructions(await startOidcProvider())) console.log(line);
 * ```
 */
export function instructions(bed: OidcTestBed): string[] {
  const issuer = ['--issuer', bed.issuer];
  const scope = ['--scope', 'openid offline_access'];
  const [alice, bob] = bed.users;
  const { user, device, basic, native } = bed.clients;
  return [
    `OpenID provider running at ${bed.issuer} (oidc-provider; stop it with Ctrl-C).`,
    `  discovery: ${bed.issuer}/.well-known/openid-configuration`,
    `  users: ${alice?.username} / ${alice?.password}; ${bob?.username} / ${bob?.password} with a one-time code (the sign-in page shows the current one)`,
    '  clients and secrets are new on every start: copy the commands again after a restart.',
    '',
    'In another terminal, in this repository:',
    '',
    'Device code: the CLI prints a URL and a code; open the URL, enter the code, sign in as alice and allow.',
    command({}, ['login', '--device', ...issuer, '--client-id', device.clientId, ...scope]),
    '',
    `Password: the CLI asks for ${alice?.username}'s password (${alice?.password}).`,
    command({ AUTH_CLIENT_SECRET: user.clientSecret }, [
      'login',
      '--password',
      ...issuer,
      '--client-id',
      user.clientId,
      '--username',
      alice?.username ?? '',
      ...scope,
    ]),
    '',
    'Client credentials: the client logs in as itself.',
    command({ AUTH_CLIENT_SECRET: basic.clientSecret }, [
      'login',
      '--client-credentials',
      ...issuer,
      '--client-id',
      basic.clientId,
    ]),
    '',
    'Then: pnpm cli -- status, pnpm cli -- token, pnpm cli -- token --refresh, pnpm cli -- logout.',
    `Authorization code + PKCE: the public client ${native.clientId} (redirect URI ${native.redirectUri}) signs in through the same pages.`,
  ];
}
