import { defineConfig, type Options } from 'tsup';

/** The build every published package shares: ESM and CJS, declarations, Node 20 target. */
export function packageBuildConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    treeshake: true,
    ...overrides,
  });
}
