import { text } from 'node:stream/consumers';
import { PromptCancelledError, readHiddenLine } from './prompt/hidden-input.js';
import { runCli } from './run-cli.js';

const interrupt = new AbortController();
// `on`, not `once`: under `pnpm cli`, one Ctrl-C can arrive twice (from the terminal, and
// forwarded by pnpm); aborting again does nothing.
process.on('SIGINT', () => interrupt.abort(new Error('interrupted')));

/** Raw mode turns Ctrl-C into a key: treat it as the signal it would have been. */
async function readHidden(question: string): Promise<string> {
  try {
    return await readHiddenLine(process.stdin, process.stderr, question, interrupt.signal);
  } catch (error) {
    if (error instanceof PromptCancelledError && error.key === 'interrupt')
      interrupt.abort(new Error('interrupted'));
    throw error;
  }
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: () => text(process.stdin),
  readHidden: process.stdin.isTTY ? readHidden : undefined,
  now: Date.now,
  signal: interrupt.signal,
});
