import { Redis } from 'ioredis';

/**
 * ioredis clients for one test file, all disconnected by `disconnectAll()`. Their 'error'
 * events are swallowed: tests that stop Redis expect connection errors and assert them
 * through the store instead.
 */
export class TestClients {
  readonly #clients: Redis[] = [];

  /** A client of the Redis at `url`, connected once `ready` resolves. */
  connect(url: string): Redis {
    const client = new Redis(url);
    client.on('error', () => {});
    this.#clients.push(client);
    return client;
  }

  /** Resolves once `client` is connected (at once when it already is). */
  static ready(client: Redis): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => client.once('ready', () => resolve()));
  }

  /** Resolves once `client` has noticed its connection is gone (at once if it is not ready). */
  static disconnected(client: Redis): Promise<void> {
    if (client.status !== 'ready') return Promise.resolve();
    return new Promise((resolve) => client.once('close', () => resolve()));
  }

  /**
   * Resolves once `channel` has at least `subscribers` subscribers on the server
   * (`PUBSUB NUMSUB`), so a test can publish knowing the wake-up cannot be missed. Checks
   * every 10 ms, for 10 s at most.
   */
  static async subscribed(client: Redis, channel: string, subscribers = 1): Promise<void> {
    for (let attempt = 0; attempt < 1_000; attempt++) {
      const [, count] = (await client.pubsub('NUMSUB', channel)) as [string, number];
      if (count >= subscribers) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`nothing subscribed to ${channel} within 10 s`);
  }

  disconnectAll(): void {
    for (const client of this.#clients.splice(0)) client.disconnect();
  }
}
