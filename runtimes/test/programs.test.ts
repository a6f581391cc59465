import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RuntimeBed, startRuntimeBed } from '../src/bed.js';
import { expectFlowPassed } from '../src/expect-flow.js';
import { bun, deno, type FlowProgram, nodeCjs, nodeEsm, runFlowProgram } from '../src/programs.js';

let bed: RuntimeBed;
beforeEach(async () => {
  bed = await startRuntimeBed();
});
afterEach(() => bed.close());

const programs: { program: FlowProgram; runtime: RegExp }[] = [
  { program: nodeEsm, runtime: /^Node 20\./ },
  { program: nodeCjs, runtime: /^Node 20\./ },
  { program: bun, runtime: /^Bun 1\./ },
  { program: deno, runtime: /^Deno 2\./ },
];

describe.each(programs)('the flow on $program.name', ({ program, runtime }) => {
  it('client credentials → TokenManager → createAuthFetch, forceRefresh, 401 recovery, and every key strategy', async () => {
    const result = await runFlowProgram(program, bed.input);
    expectFlowPassed(result, bed, runtime);
  });
});

describe('which builds ran', () => {
  it('the CJS program loads every package from its .cjs build', async () => {
    const result = (await runFlowProgram(nodeCjs, bed.input)) as { builds: string[] };
    expect(result.builds).toHaveLength(3);
    for (const path of result.builds)
      expect(path).toMatch(/packages\/(core|oauth|fetch)\/dist\/index\.cjs$/);
  });
});
