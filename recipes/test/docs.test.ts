import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

/** The code blocks of a docs page that start with `// recipes/src/<file>`, by file. */
function recipeBlocks(page: string): Map<string, string> {
  const text = readFileSync(new URL(`docs/${page}`, root), 'utf8');
  const blocks = new Map<string, string>();
  for (const match of text.matchAll(/```ts\n\/\/ (recipes\/src\/\S+)\n([\s\S]*?)```/g)) {
    blocks.set(match[1]!, match[2]!);
  }
  return blocks;
}

it.each([
  ['http-clients.md', 8],
  ['observability.md', 2],
])('docs/%s shows each tested recipe file as it is', (page, count) => {
  const blocks = recipeBlocks(page);
  expect(blocks.size).toBe(count);
  for (const [file, code] of blocks) {
    expect(code, file).toBe(readFileSync(new URL(file, root), 'utf8'));
  }
});
