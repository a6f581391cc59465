import { describe, expect, it } from 'vitest';
import { checkStepGraph } from './step-graph.js';

describe('checkStepGraph', () => {
  it('accepts a diamond', () => {
    expect(() =>
      checkStepGraph([
        { name: 'a', dependsOn: [] },
        { name: 'b', dependsOn: ['a'] },
        { name: 'c', dependsOn: ['a'] },
        { name: 'd', dependsOn: ['b', 'c'] },
      ]),
    ).not.toThrow();
  });

  it('names the path of a longer cycle', () => {
    expect(() =>
      checkStepGraph([
        { name: 'a', dependsOn: ['c'] },
        { name: 'b', dependsOn: ['a'] },
        { name: 'c', dependsOn: ['b'] },
      ]),
    ).toThrow('cycle: a → c → b → a');
  });
});
