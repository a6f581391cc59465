import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A child running one of the `.mjs` fixtures, with its stderr collected for failure messages. */
export interface Child {
  process: ChildProcess;
  stderr: () => string;
}

/**
 * Starts `fixtures/<name>` with an IPC channel. With `shellPrefix` (e.g. `ulimit -f 8`),
 * the child runs under `sh -c '<prefix>; exec node …'`. With `hostName`, it runs in a UTS
 * namespace of its own under that host name (`unshare --uts`, which needs root with
 * CAP_SYS_ADMIN, as in CI): to the store, a process of another host sharing the folder.
 */
export function startFixture(
  name: string,
  args: string[],
  shellPrefix?: string,
  hostName?: string,
): Child {
  const script = `${FIXTURES}${name}`;
  const prefix = [hostName && `hostname ${hostName}`, shellPrefix].filter(Boolean).join('; ');
  const shell = ['-c', `${prefix}; exec "$0" "$@"`, process.execPath, script, ...args];
  const stdio: ['ignore', 'pipe', 'pipe', 'ipc'] = ['ignore', 'pipe', 'pipe', 'ipc'];
  const child = hostName
    ? spawn('unshare', ['--uts', 'sh', ...shell], { stdio })
    : prefix
      ? spawn('sh', shell, { stdio })
      : fork(script, args, { stdio });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { process: child, stderr: () => stderr };
}

/** The next IPC message of `child`; rejects if it exits first. */
export function nextMessage<T = unknown>(child: Child): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      child.process.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      child.process.off('message', onMessage);
      reject(new Error(`child exited (${code ?? signal}) before answering: ${child.stderr()}`));
    };
    child.process.once('message', onMessage);
    child.process.once('exit', onExit);
  });
}

/** Resolves once `child` has exited (and been reaped), with its exit code or signal. */
export function exited(child: Child): Promise<{ code: number | null; signal: string | null }> {
  const { exitCode, signalCode } = child.process;
  if (exitCode !== null || signalCode !== null) {
    return Promise.resolve({ code: exitCode, signal: signalCode });
  }
  return new Promise((resolve) => {
    child.process.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
