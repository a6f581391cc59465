import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The code of one fenced `ts` block under an `@example` tag. */
export interface TsDocExample {
  /** The source file, relative to the repository root. */
  file: string;
  /** The 1-based line of the source file where the code starts. */
  line: number;
  /** The code, comment markers removed; `undefined` for an `@example` with no `ts` block. */
  code: string | undefined;
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const FENCE_CLOSE = /^```\s*$/;

/**
 * The fenced `ts` blocks of every `@example` tag in one source text, and each `@example` tag
 * without one (`code: undefined`). An `@example` section ends at the next block tag or the end
 * of its comment.
 *
 * @param text - The source text.
 * @param file - Its path, recorded in each example.
 * @returns The examples, in order.
 */
export function examplesIn(text: string, file: string): TsDocExample[] {
  const examples: TsDocExample[] = [];
  let inComment = false;
  let inExample = false;
  let fence: TsDocExample | undefined;
  // The `@example` tag being read, until a block of it is found.
  let unfenced: TsDocExample | undefined;
  const endExample = () => {
    if (unfenced) examples.push(unfenced);
    unfenced = undefined;
    inExample = false;
  };
  text.split('\n').forEach((raw, index) => {
    if (!inComment) {
      inComment = raw.trimStart().startsWith('/**');
      inExample = false;
      if (!inComment || raw.includes('*/')) inComment = false;
      return;
    }
    const closes = raw.includes('*/');
    const line = raw.replace(/^\s*\*(?!\/) ?/, '').replace(/\s*\*\/\s*$/, '');
    if (fence) {
      if (FENCE_CLOSE.test(line)) {
        examples.push(fence);
        fence = undefined;
      } else {
        fence.code += `${line}\n`;
      }
    } else if (line.startsWith('@')) {
      endExample();
      inExample = line.startsWith('@example');
      if (inExample) unfenced = { file, line: index + 1, code: undefined };
    } else if (inExample && FENCE_OPEN.test(line)) {
      unfenced = undefined;
      fence = { file, line: index + 2, code: '' };
    }
    if (closes) {
      endExample();
      inComment = false;
      fence = undefined;
    }
  });
  return examples;
}

/**
 * The examples of every published package's sources (`packages/<name>/src`, test files
 * excluded).
 *
 * @param repoRoot - The repository root.
 * @param packages - The package directories under `packages/`.
 * @returns The examples, by file and line.
 */
export async function publishedExamples(
  repoRoot: string,
  packages: readonly string[],
): Promise<TsDocExample[]> {
  const examples: TsDocExample[] = [];
  for (const name of packages) {
    const src = join(repoRoot, 'packages', name, 'src');
    const files = (await readdir(src, { recursive: true }))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .sort();
    for (const file of files) {
      const path = join(src, file);
      examples.push(...examplesIn(await readFile(path, 'utf8'), relative(repoRoot, path)));
    }
  }
  return examples;
}
