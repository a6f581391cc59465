import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PromptCancelledError, readHiddenLine } from '../src/prompt/hidden-input.js';

/** A stand-in terminal: records raw mode and what was written, and types keys. */
function fakeTerminal() {
  const input = Object.assign(new EventEmitter(), {
    rawModes: [] as boolean[],
    paused: false,
    setRawMode(mode: boolean) {
      input.rawModes.push(mode);
    },
    setEncoding() {},
    resume() {
      input.paused = false;
    },
    pause() {
      input.paused = true;
    },
    type(keys: string) {
      input.emit('data', keys);
    },
  });
  let written = '';
  const output = {
    write(text: string) {
      written += text;
    },
  };
  return { input, output, written: () => written };
}

describe('readHiddenLine: a line read from a terminal without echo', () => {
  it('asks, reads keys in raw mode, echoes nothing and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const answer = readHiddenLine(terminal.input, terminal.output, 'Password for alice: ');
    terminal.input.type('s3');
    terminal.input.type('cret\r');
    expect(await answer).toBe('s3cret');
    expect(terminal.written()).toBe('Password for alice: \n');
    expect(terminal.input.rawModes).toEqual([true, false]);
    expect(terminal.input.paused).toBe(true);
    expect(terminal.input.listenerCount('data')).toBe(0);
  });

  it('edits with Backspace and Ctrl-U, and ignores cursor keys', async () => {
    const terminal = fakeTerminal();
    const answer = readHiddenLine(terminal.input, terminal.output, 'Password: ');
    terminal.input.type('wrong\u0015pä');
    terminal.input.type('\u001b[D');
    terminal.input.type('ssx\u007fword\n');
    expect(await answer).toBe('pässword');
  });

  it('Ctrl-C cancels as an interrupt; Ctrl-D on an empty line as the end of input', async () => {
    const interrupted = fakeTerminal();
    const first = readHiddenLine(interrupted.input, interrupted.output, 'Password: ');
    interrupted.input.type('abc\u0003');
    await expect(first).rejects.toMatchObject({ name: 'PromptCancelledError', key: 'interrupt' });
    expect(interrupted.input.rawModes).toEqual([true, false]);

    const ended = fakeTerminal();
    const second = readHiddenLine(ended.input, ended.output, 'Password: ');
    ended.input.type('\u0004');
    await expect(second).rejects.toBeInstanceOf(PromptCancelledError);
    await expect(second).rejects.toMatchObject({ key: 'end' });
  });
});

describe('readHiddenLine and an abort signal', () => {
  it('stops waiting when the signal aborts (a SIGINT from outside), restoring the terminal', async () => {
    const terminal = fakeTerminal();
    const interrupt = new AbortController();
    const answer = readHiddenLine(terminal.input, terminal.output, 'Password: ', interrupt.signal);
    terminal.input.type('abc');
    interrupt.abort(new Error('interrupted'));
    await expect(answer).rejects.toThrow('interrupted');
    expect(terminal.input.rawModes).toEqual([true, false]);
    expect(terminal.input.listenerCount('data')).toBe(0);
  });
});
