import { startOidcProvider } from '@auth/testing/oidc';
import { instructions } from './instructions.js';

const USAGE = `Usage: pnpm provider

Starts the repository's test OpenID provider (oidc-provider) on 127.0.0.1 with HTML
sign-in, consent and device pages, prints the auth-cli command lines to log in to it,
and runs until Ctrl-C. Its clients, secrets and tokens live in memory: new on every start.`;

const args = process.argv.slice(2);
// `pnpm provider -- <args>` passes the `--` on.
const given = args[0] === '--' ? args.slice(1) : args;
if (given.includes('--help') || given.includes('-h')) {
  console.log(USAGE);
} else if (given.length > 0) {
  console.error(`provider: unknown argument ${given[0]}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const bed = await startOidcProvider();
  for (const line of instructions(bed)) console.log(line);
  // Ctrl-C can arrive twice (from the terminal, and forwarded by pnpm): stop once, and never
  // let a second signal kill the process mid-close.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await bed.close();
    console.log('Provider stopped.');
    // Exit now: on a natural exit Node puts the default SIGINT action back while it tears
    // down, and a late second Ctrl-C would then kill the process (and pnpm report a failure).
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
