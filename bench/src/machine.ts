import { availableParallelism, cpus, release, totalmem, type } from 'node:os';

/** One line naming the machine a run was made on: CPU, cores, memory, OS and Node. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  return `${cpu}, ${availableParallelism()} cores, ${memoryGiB} GiB, ${type()} ${release()}, Node ${process.version}`;
}
