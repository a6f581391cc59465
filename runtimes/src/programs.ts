import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@auth/testing/process';
import type { FlowInput } from './bed.js';

/** The package's root; the flow resolves `@auth/*` from its `node_modules`. */
export const runtimesRoot = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** A runtime that runs the flow as a program: the command, given the input as JSON. */
export interface FlowProgram {
  name: string;
  command(input: FlowInput): { file: string; args: string[] };
}

/**
 * A runtime binary shipped inside an npm package (`bun`, `deno`): its path, or an error
 * saying how to get it. Their postinstall scripts put the binary in place from a platform
 * package (`@oven/bun-linux-x64`, `@deno/linux-x64-glibc`), so pnpm must be allowed to run
 * them (`onlyBuiltDependencies` in pnpm-workspace.yaml).
 */
export function packagedBinary(packageName: 'bun' | 'deno', relativePath: string): string {
  let root: string;
  try {
    root = dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    throw new Error(
      `the ${packageName} package is not installed: run \`pnpm install\` at the repository root`,
    );
  }
  const binary = join(root, relativePath);
  if (!existsSync(binary))
    throw new Error(
      `the ${packageName} binary is missing at ${binary}: its postinstall did not run; keep "${packageName}" in onlyBuiltDependencies (pnpm-workspace.yaml) and run \`pnpm install\``,
    );
  return binary;
}

const json = (input: FlowInput) => JSON.stringify(input);

/** Node 20 with the ES module builds. */
export const nodeEsm: FlowProgram = {
  name: 'node (ESM)',
  command: (input) => ({ file: process.execPath, args: ['flow/main.mjs', json(input)] }),
};

/** Node 20 with the CommonJS builds, loaded by `require`. */
export const nodeCjs: FlowProgram = {
  name: 'node (CJS)',
  command: (input) => ({ file: process.execPath, args: ['flow/main.cjs', json(input)] }),
};

/** Bun, from the `bun` npm package. */
export const bun: FlowProgram = {
  name: 'bun',
  command: (input) => ({
    file: packagedBinary('bun', 'bin/bun.exe'),
    args: ['flow/main.mjs', json(input)],
  }),
};

/** Deno, from the `deno` npm package, allowed the network of loopback and reading files only. */
export const deno: FlowProgram = {
  name: 'deno',
  command: (input) => ({
    file: packagedBinary('deno', 'deno'),
    args: [
      'run',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      '--allow-read',
      'flow/main.mjs',
      json(input),
    ],
  }),
};

/**
 * Runs the flow program to its end and returns the JSON line it printed last.
 *
 * @throws {Error} A non-zero exit or no JSON line, with the program's stderr.
 */
export async function runFlowProgram(program: FlowProgram, input: FlowInput): Promise<unknown> {
  const { file, args } = program.command(input);
  const { code, stdout, stderr } = await runProcess(file, args, {
    cwd: runtimesRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`${program.name} exited with ${code}:\n${stderr}${stdout}`);
  return JSON.parse(last);
}
