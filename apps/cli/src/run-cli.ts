import type { CliIo, Command } from './commands/command.js';
import { loginCommand } from './commands/login.js';
import { logoutCommand } from './commands/logout.js';
import { statusCommand } from './commands/status.js';
import { tokenCommand } from './commands/token.js';
import { describeFailure, EXIT_CODES, type ExitCode } from './errors.js';

const COMMANDS: readonly Command[] = [loginCommand, tokenCommand, statusCommand, logoutCommand];

const HELP = `Usage: auth-cli <command> [options]

A command-line OAuth client whose login survives across runs.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(8)} ${command.summary}`).join('\n')}

Run \`auth-cli <command> --help\` for a command's options and settings.

Exit codes: 0 done, 1 other failure, 2 bad command, flag or setting, 3 provider
unreachable, 4 provider refused (wrong credentials, denied), 5 not logged in or login
expired (run \`auth-cli login\`), 130 interrupted.`;

/**
 * Runs one `auth-cli` invocation and returns its exit code; never throws. Errors are
 * printed to standard error as `auth-cli: <message>`, without secrets.
 *
 * @param argv - The arguments after the program name.
 * @param io - Environment, output and Ctrl-C signal.
 * @returns The exit code (see `EXIT_CODES`).
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), io);
 * ```
 */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  // `pnpm cli -- <args>` passes the `--` on.
  const [name, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (name === undefined) {
    io.err(HELP);
    return EXIT_CODES.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0] === undefined ? undefined : find(rest[0]);
    if (rest[0] !== undefined && !topic) return unknownCommand(rest[0], io);
    io.out(topic?.help ?? HELP);
    return EXIT_CODES.ok;
  }
  const command = find(name);
  if (!command) return unknownCommand(name, io);
  if (asksForHelp(rest)) {
    io.out(command.help);
    return EXIT_CODES.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (io.signal.aborted) {
      io.err('auth-cli: interrupted');
      return EXIT_CODES.interrupted;
    }
    const failure = describeFailure(error);
    io.err(`auth-cli ${command.name}: ${failure.message}`);
    return failure.exitCode;
  }
}

function find(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}

function unknownCommand(name: string, io: CliIo): ExitCode {
  io.err(
    `auth-cli: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.`,
  );
  io.err('Run `auth-cli --help` for help.');
  return EXIT_CODES.usage;
}

/** Whether a command's arguments ask for its help (`--help` or `-h` before any `--`). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
