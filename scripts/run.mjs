// Running commands for the repository scripts: pnpm at the version package.json pins, output
// passed through (or kept, for a command whose output is the answer).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The command that runs the pnpm `packageManager` pins in `root`'s package.json.
 *
 * @param {string} root - The repository root.
 * @returns {[string, string[]]} `npx` and its arguments, e.g. `['--yes', 'pnpm@10.34.9']`.
 */
export function pnpmCommand(root) {
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return ['npx', ['--yes', packageManager]];
}

/**
 * Runs a command and waits for it; fails with its output when it exits non-zero.
 *
 * @param {string} command - The program.
 * @param {string[]} args - Its arguments.
 * @param {{ cwd: string, capture?: boolean, env?: NodeJS.ProcessEnv }} options - `capture`:
 *   keep the output and return it instead of passing it through to this process's.
 * @returns {Promise<string>} What it wrote to stdout when `capture` is set, else `''`.
 */
export function run(command, args, { cwd, capture = false, env = process.env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      reject(
        new Error(`${command} ${args.join(' ')} exited ${code} in ${cwd}\n${stderr}${stdout}`),
      );
    });
  });
}
