import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { installPackedPackages } from './packed-install.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project outside the workspace where the packed packages are installed. */
    consumerDir: string;
  }
}

/** Packs and installs the published packages once for every test file; removes them after. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await installPackedPackages();
  project.provide('consumerDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
