import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { publishedPackages, repoRoot } from '../src/packed-install.ts';
import { publishedExamples } from '../src/tsdoc-examples.ts';
import { typeCheck } from '../src/type-check.ts';

describe('every @example in the published packages', async () => {
  const dir = inject('consumerDir');
  const found = await publishedExamples(repoRoot, publishedPackages);
  const examples = found.filter((example) => example.code !== undefined);
  await mkdir(join(dir, 'examples'), { recursive: true });
  const files = examples.map((_, index) => join(dir, 'examples', `example-${index}.mts`));
  await Promise.all(examples.map((example, index) => writeFile(files[index]!, example.code!)));

  it('have a fenced ts block', () => {
    const unfenced = found
      .filter((example) => example.code === undefined)
      .map((example) => `${example.file}:${example.line} @example without a \`\`\`ts block`);
    expect(unfenced.join('\n')).toBe('');
    expect(examples.length).toBeGreaterThan(0);
  });

  it('are all found: every @example tag in the sources is one extracted', async () => {
    let tags = 0;
    for (const name of publishedPackages) {
      const src = join(repoRoot, 'packages', name, 'src');
      for (const file of await readdir(src, { recursive: true })) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
        tags +=
          (await readFile(join(src, file), 'utf8')).match(/^\s*\*\s*@example\b/gm)?.length ?? 0;
      }
    }
    expect(found.length).toBe(tags);
  });

  it('type-check, as written, against the packed packages (ESM, nodenext)', () => {
    const errors = typeCheck(dir, files, {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
    });
    const broken = errors.map((error) => {
      const index = files.findIndex((file) => file.endsWith(`/${error.file}`));
      const example = examples[index];
      const where = example ? `${example.file}:${example.line + error.line - 1}` : error.file;
      return `${where}:${error.column} ${error.code} ${error.message}`;
    });
    expect(broken.join('\n'), 'examples that do not compile (file:line of the source)').toBe('');
  });
});
