/**
 * Prints the demo's story: numbered scenes, indented lines, and times relative to the
 * start. It only ever prints what it is given; scenes pass fingerprints, never tokens.
 */
export class Narrator {
  readonly #startedAt = performance.now();
  readonly #write: (line: string) => void;
  #scene = 0;

  constructor(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#write = write;
  }

  /** Seconds since the demo started, e.g. `2.4 s`. */
  elapsed(): string {
    return `${((performance.now() - this.#startedAt) / 1000).toFixed(1)} s`;
  }

  /** A title line. */
  title(text: string): void {
    this.#write(text);
  }

  /** Starts the next numbered scene. */
  scene(title: string, explanation: string): void {
    this.#scene += 1;
    this.#write(`\n${this.#scene}. ${title}`);
    this.#write(`   ${explanation}`);
  }

  /** A line inside the current scene. */
  say(text: string): void {
    this.#write(`   ${text}`);
  }

  /** A line stamped with the time since the start. */
  event(text: string): void {
    this.#write(`   [${this.elapsed().padStart(6)}] ${text}`);
  }

  /** A scene's conclusion. */
  result(text: string): void {
    this.#write(`   → ${text}`);
  }
}

/** How long until `expiresAt`, for a human: `in 4.0 s`, `in 60 min`. */
export function expiresIn(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return 'never expires';
  const ms = expiresAt - Date.now();
  return ms >= 120_000
    ? `expires in ${Math.round(ms / 60_000)} min`
    : `expires in ${(ms / 1000).toFixed(1)} s`;
}
