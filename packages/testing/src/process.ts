import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended: its exit code (`null` when killed by a signal) and its output. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Settings of {@link runProcess} and {@link startProcess}. */
export interface RunProcessOptions {
  /** The working directory. Default: this process's. */
  cwd?: string;
  /** The environment, whole. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /**
   * Run in a process group of its own, so that
   * `process.kill(-child.pid, 'SIGINT')` reaches the program and everything it started,
   * as Ctrl-C in a terminal does. Default `false`.
   */
  detached?: boolean;
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
  return launch(file, args, options, 'ignore').result;
}

/** A program started by {@link startProcess}, still running. */
export interface RunningProcess {
  /** The child: write to its `stdin`, send it signals. */
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in what the program printed on `stream`; rejects if it ends first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when the program has ended. */
  result: Promise<ProcessRun>;
}

/**
 * Starts a program that keeps running (a server, a login waiting for approval) and lets a
 * test wait for what it prints, event-driven: no sleeps. Its standard input is a pipe.
 *
 * @param file - The program.
 * @param args - Its arguments.
 * @param options - The working directory and environment.
 * @returns The running program.
 * @example
 * ```ts
 * const server = startProcess(process.execPath, ['dist/main.js']);
 * const [, url] = await server.waitFor('stdout', /running at (\S+)/);
 * server.child.kill('SIGINT');
 * ```
 */
export function startProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): RunningProcess {
  return launch(file, args, options, 'pipe');
}

/** Spawns the program and collects what it prints; `stdin` is a pipe or nothing. */
function launch(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
  stdin: 'pipe' | 'ignore',
): RunningProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [stdin, 'pipe', 'pipe'],
    detached: options.detached === true,
  });
  const output = { stdout: '', stderr: '' };
  const watchers: {
    stream: 'stdout' | 'stderr';
    pattern: RegExp;
    resolve: (match: RegExpMatchArray) => void;
  }[] = [];
  // Both are pipes (stdio above); the types cannot tell with `stdin` a variable.
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
      output[stream] += chunk;
      for (const watcher of watchers.filter((candidate) => candidate.stream === stream)) {
        const match = output[stream].match(watcher.pattern);
        if (match) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(match);
        }
      }
    });
  }
  const result = new Promise<ProcessRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, ...output }));
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const match = output[stream].match(pattern);
      if (match) return resolve(match);
      watchers.push({ stream, pattern, resolve });
      result.then(
        (ended) =>
          reject(
            new Error(
              `${file} exited (${ended.code}) without printing ${pattern} on ${stream}:\n${ended.stdout}\n${ended.stderr}`,
            ),
          ),
        reject,
      );
    });
  return { child, waitFor, result };
}
