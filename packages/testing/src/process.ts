import { spawn } from 'node:child_process';

/** How a child process ended: its exit code (`null` when killed by a signal) and its output. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Settings of {@link runProcess}. */
export interface RunProcessOptions {
  /** The working directory. Default: this process's. */
  cwd?: string;
  /** The environment, whole. Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a program to its end with no input, collecting what it printed. It never rejects for
 * a non-zero exit (tests assert on `code`), only when the program cannot start.
 *
 * @param file - The program, e.g. `process.execPath`.
 * @param args - Its arguments.
 * @param options - The working directory and environment.
 * @returns The exit code, stdout and stderr.
 * @example
 * ```ts
 * const { code, stdout } = await runProcess(process.execPath, ['--version']);
 * ```
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
