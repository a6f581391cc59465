import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { type CompilerError, typeCheck } from '../src/type-check.ts';

/**
 * The consumer (fixtures/consumer.ts imports every entry point and uses a few types) as an
 * ES module (`.mts`) and as CommonJS (`.cts`), under each module resolution a TypeScript user
 * may pick. `lib` includes DOM: the declarations use Web API types (`CryptoKey`,
 * `RequestInfo`) that `@types/node` 20 does not declare globally.
 */
const settings = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;

function report(errors: CompilerError[]): string {
  return errors
    .map((error) => `${error.file}:${error.line}:${error.column} ${error.code} ${error.message}`)
    .join('\n');
}

describe('the packed packages type-check in a consumer outside the workspace', async () => {
  const dir = inject('consumerDir');
  const source = join(import.meta.dirname, '../fixtures/consumer.ts');
  await mkdir(join(dir, 'src'), { recursive: true });
  const files = { esm: join(dir, 'src/esm.mts'), cjs: join(dir, 'src/cjs.cts') };
  await Promise.all(Object.values(files).map((file) => copyFile(source, file)));

  for (const [name, resolution] of Object.entries(settings)) {
    it(`ESM (.mts) and CJS (.cts) consumers under moduleResolution ${name}`, () => {
      const errors = typeCheck(dir, Object.values(files), {
        ...resolution,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
      });
      expect(report(errors), `tsc errors under moduleResolution ${name}`).toBe('');
    });
  }
});
