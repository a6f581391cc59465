import { describe, expect, it } from 'vitest';
import type { Contender } from './contender.js';
import type { Scenario } from './scenario.js';
import { markdownTable } from './table.js';

const contender = (id: string, packageName: string): Contender => ({
  id,
  packageName,
  usage: '',
  create: () => Promise.reject(new Error('not used')),
});
const scenario = (id: string, rows: string[]): Scenario => ({
  id,
  rows,
  run: () => Promise.reject(new Error('not used')),
});

describe('the results table', () => {
  it('has a row per measurement and a column per contender, this project first and named so', () => {
    const table = markdownTable(
      [contender('auth', '@auth/fetch'), contender('peer', 'peer-lib')],
      [
        {
          scenario: scenario('bursts', [
            'cold: token requests (goal 1)',
            'cold: failures (goal 0)',
          ]),
          cells: new Map([
            ['auth', ['1', '0']],
            ['peer', ['1000', '3']],
          ]),
        },
        { scenario: scenario('fleet', ['fleet (goal 1)']), cells: new Map([['auth', ['1']]]) },
      ],
      new Map([
        ['@auth/fetch', '0.1.0'],
        ['peer-lib', '2.0.0'],
      ]),
    );
    expect(table.split('\n')).toEqual([
      '| scenario (goal) | @auth/fetch 0.1.0 (this project) | peer-lib 2.0.0 |',
      '|---|---|---|',
      '| cold: token requests (goal 1) | 1 | 1000 |',
      '| cold: failures (goal 0) | 0 | 3 |',
      '| fleet (goal 1) | 1 | n/a |',
    ]);
  });
});
