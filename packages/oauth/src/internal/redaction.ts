/** The key Node's `util.inspect` looks for, through `Symbol.for` (no `node:util` import). */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** What a status screen may show of a secret: whether it is set, never its value. */
export function presence(value: unknown): 'set' | 'not set' {
  return value === undefined || value === null || value === '' ? 'not set' : 'set';
}
