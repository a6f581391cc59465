/** A terminal to read from: standard input when it is a TTY. */
export interface TerminalInput {
  setRawMode(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The user pressed Ctrl-C (or Ctrl-D on an empty line) at a hidden prompt. */
export class PromptCancelledError extends Error {
  /** `interrupt` for Ctrl-C, `end` for Ctrl-D. */
  readonly key: 'interrupt' | 'end';

  /**
   * @param key - Which key cancelled the prompt.
   */
  constructor(key: 'interrupt' | 'end') {
    super(key === 'interrupt' ? 'interrupted' : 'nothing was entered');
    this.name = 'PromptCancelledError';
    this.key = key;
  }
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESCAPE = '\u001b';

/**
 * Asks a question on a terminal and reads one line without echoing it (raw mode, as `sudo`
 * and `ssh` read passwords). Backspace and Ctrl-U edit; Enter ends the line; Ctrl-C, and
 * Ctrl-D on an empty line, cancel. The terminal is back in its normal mode afterwards.
 *
 * @param input - The terminal (standard input when it is a TTY).
 * @param output - Where the question goes (standard error), and the newline after Enter.
 * @param question - E.g. `Password for alice: `.
 * @param signal - Stops waiting (a SIGINT from outside): rejects with its reason.
 * @returns The line, without its end.
 * @throws {PromptCancelledError} Ctrl-C, or Ctrl-D on an empty line.
 * @throws The signal's reason when it aborts.
 * @example
 * ```ts
 * const password = await readHiddenLine(process.stdin, process.stderr, 'Password: ');
 * ```
 */
export function readHiddenLine(
  input: TerminalInput,
  output: { write(text: string): unknown },
  question: string,
  signal?: AbortSignal,
): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Raw mode first: keys typed as soon as the question shows must not be echoed.
  input.setEncoding('utf8');
  input.setRawMode(true);
  input.resume();
  output.write(question);
  let line = '';
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      // A cursor or function key sends an escape sequence: not part of a password.
      if (chunk.startsWith(ESCAPE)) return;
      for (const char of chunk) {
        if (ENTER.has(char)) return finish(() => resolve(line));
        if (char === CTRL_C) return finish(() => reject(new PromptCancelledError('interrupt')));
        if (char === CTRL_D) {
          if (line === '') return finish(() => reject(new PromptCancelledError('end')));
          return finish(() => resolve(line));
        }
        if (BACKSPACE.has(char)) line = [...line].slice(0, -1).join('');
        else if (char === CTRL_U) line = '';
        else if (char >= ' ') line += char;
      }
    };
    input.on('data', onData);
  });
}
