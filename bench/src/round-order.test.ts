import { describe, expect, it } from 'vitest';
import { roundOrder } from './round-order.js';

describe('the order of the modes in each round', () => {
  const modes = ['a', 'b', 'c', 'd', 'e', 'f'];
  const rounds = modes.map((_, round) => roundOrder(modes, round));

  it('runs every mode once per round and once in each position over a cycle', () => {
    for (const order of rounds) expect([...order].sort()).toEqual(modes);
    for (let position = 0; position < modes.length; position++) {
      expect(rounds.map((order) => order[position]).sort()).toEqual(modes);
    }
  });

  it('puts every mode right after every other one exactly once over a cycle', () => {
    const pairs = rounds.flatMap((order) => order.slice(1).map((mode, i) => `${order[i]}>${mode}`));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toHaveLength(modes.length * (modes.length - 1));
  });
});
