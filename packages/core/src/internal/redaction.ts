/**
 * The key Node's `util.inspect` looks for, reached through `Symbol.for` so core needs no
 * `node:util` import. Objects holding secrets implement it to print a redacted summary.
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** What a status screen may show of a secret: whether it is set, never its value. */
export function presence(value: unknown): 'set' | 'not set' {
  return value === undefined || value === null || value === '' ? 'not set' : 'set';
}
