import type { ChildProcess } from 'node:child_process';

/**
 * The next message a child process sends.
 *
 * @throws {Error} The child exited before sending one.
 */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`a child process exited with code ${code} before reporting`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}
