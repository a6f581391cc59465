/**
 * The key Node's `util.inspect` looks for, reached through `Symbol.for` so core needs no
 * `node:util` import. Objects holding secrets implement it to print a redacted summary.
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** What a status screen may show of a secret: whether it is set, never its value. */
export function presence(value: unknown): 'set' | 'not set' {
  return value === undefined || value === null || value === '' ? 'not set' : 'set';
}

/**
 * `target` with a redacted face: `JSON.stringify` gives `summary()`, and `util.inspect`
 * gives `name(<summary as JSON>)`, so a strategy or provider holding a secret never shows
 * it. The summary must hold no secret (use {@link presence} for them).
 *
 * @param name - What `util.inspect` calls the object, usually its factory's name.
 * @param summary - The redacted description, called on every print.
 * @param target - The object; it is extended, not copied.
 * @returns `target`, typed as it was.
 */
export function redacted<T extends object>(name: string, summary: () => unknown, target: T): T {
  return Object.assign(target, {
    toJSON: summary,
    [inspectSymbol]: () => `${name}(${JSON.stringify(summary())})`,
  });
}
