/** Events as a test receives them, with a way to await one that has not arrived yet. */
export class EventLog<T> {
  readonly events: T[] = [];
  readonly #watchers: { match: (event: T) => boolean; resolve: (event: T) => void }[] = [];

  /** Records `event` and resolves the watchers it matches. Pass as an `onEvent` callback. */
  readonly push = (event: T): void => {
    this.events.push(event);
    for (const watcher of [...this.#watchers]) {
      if (!watcher.match(event)) continue;
      this.#watchers.splice(this.#watchers.indexOf(watcher), 1);
      watcher.resolve(event);
    }
  };

  /** The first event from index `from` on that matches, waiting for it if need be. */
  next(match: (event: T) => boolean, from = 0): Promise<T> {
    const found = this.events.slice(from).find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#watchers.push({ match, resolve }));
  }
}
