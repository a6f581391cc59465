import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package shares: ESM and CJS, declarations, Node 20 target.
 * `keepNames`, because the bundler renames classes that refer to themselves (`_AuthError`)
 * and error names and `describe()` output come from class names. No source maps: the output
 * is not minified, so a stack trace already points at readable code with the original names,
 * and maps would ship every source a second time (they were 60% of each tarball).
 */
export function packageBuildConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    treeshake: true,
    keepNames: true,
    ...overrides,
  });
}

/** The build of an example app: ESM programs for Node with source maps, no declarations. */
export function appBuildConfig(entry: string[], overrides: Options = {}) {
  return packageBuildConfig({
    entry,
    format: ['esm'],
    dts: false,
    sourcemap: true,
    treeshake: false,
    ...overrides,
  });
}
