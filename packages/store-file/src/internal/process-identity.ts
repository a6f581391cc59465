import { readFile, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fingerprint } from '@auth/core/internal';
import { isCode } from './fs-errors.js';

/**
 * Who holds a lock file, recorded in it: enough for a waiter to tell whether that process
 * still runs. `processStart` (the start time in clock ticks from `/proc/<pid>/stat`) tells a
 * reused pid apart; `bootId` and `pidNamespace` tell another machine or container with the
 * same host name apart. The last three exist only where `/proc` does (Linux).
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  processStart?: string;
  bootId?: string;
  pidNamespace?: string;
}

/** This process's identity, plus a file-name-safe tag of it for the files it leaves around. */
export interface OwnIdentity extends ProcessIdentity {
  /** `<hash of host, boot id and pid namespace>-<pid>-<process start>`. */
  fileTag: string;
}

/** Whether a lock's holder runs: `unknown` for a holder on another host (judged by TTL only). */
export type HolderLiveness = 'running' | 'gone' | 'unknown';

const HOST_TAG_LENGTH = 8;

/**
 * Reads this process's identity (pid, host name, and on Linux its start time, boot id and
 * pid namespace).
 *
 * @returns The identity and its file tag.
 */
export async function readOwnIdentity(): Promise<OwnIdentity> {
  const [stat, bootId, pidNamespace] = await Promise.all([
    readProcessStat(process.pid),
    readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    ),
    readlink('/proc/self/ns/pid').catch(() => undefined),
  ]);
  const identity: ProcessIdentity = { pid: process.pid, host: hostname() };
  if (stat) identity.processStart = stat.start;
  if (bootId) identity.bootId = bootId;
  if (pidNamespace) identity.pidNamespace = pidNamespace;
  return { ...identity, fileTag: fileTagOf(identity) };
}

/**
 * The tag of a process in the names of its temporary files: which machine, pid and start.
 *
 * @param identity - The process.
 * @returns `<8 hex>-<pid>-<start or 0>`.
 */
export function fileTagOf(identity: ProcessIdentity): string {
  const machine = [identity.host, identity.bootId ?? '', identity.pidNamespace ?? ''].join('\n');
  const hostTag = fingerprint(machine, HOST_TAG_LENGTH);
  return `${hostTag}-${identity.pid}-${identity.processStart ?? '0'}`;
}

/**
 * Whether the process `holder` describes still runs, judged only when it ran on this machine
 * (same host name, and the same boot and pid namespace where both are recorded): its pid is
 * gone, a zombie, or now belongs to a process that started at another time. A holder on
 * another machine is `unknown`; so is one whose start cannot be compared and whose pid runs.
 *
 * @param holder - The identity recorded in a lock file.
 * @param self - This process's identity.
 * @returns `running`, `gone` or `unknown`.
 */
export async function holderLiveness(
  holder: ProcessIdentity,
  self: ProcessIdentity,
): Promise<HolderLiveness> {
  if (holder.host !== self.host) return 'unknown';
  if (differs(holder.bootId, self.bootId) || differs(holder.pidNamespace, self.pidNamespace)) {
    return 'unknown';
  }
  if (self.processStart !== undefined) {
    const stat = await readProcessStat(holder.pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return 'gone';
    return holder.processStart === undefined || holder.processStart === stat.start
      ? 'running'
      : 'gone';
  }
  try {
    process.kill(holder.pid, 0);
    return 'running';
  } catch (error) {
    return isCode(error, 'ESRCH') ? 'gone' : 'running';
  }
}

function differs(recorded: string | undefined, own: string | undefined): boolean {
  return recorded !== undefined && own !== undefined && recorded !== own;
}

/** State and start time (clock ticks after boot) of `pid`, or `undefined` when it has none. */
async function readProcessStat(pid: number): Promise<{ state: string; start: string } | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'ESRCH')) return undefined;
    throw error;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3,
  // start time field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const start = fields[19];
  return state && start ? { state, start } : undefined;
}
