/**
 * One process of the fleet scenario: builds a client of the contender named in
 * `process.argv[2]` from the setup in `argv[3]` (JSON), tells the parent it is ready,
 * waits for `go`, makes a burst of `argv[4]` requests and reports its failures.
 */
import type { ClientSetup } from '../contender.js';
import { contenderById } from '../contenders/index.js';
import { burst } from '../traffic.js';

/** What a worker tells the parent. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; failures: number; firstFailure?: string };

const [id = '', setupJson = '{}', countText = '0'] = process.argv.slice(2);
const send = (message: WorkerMessage) => process.send?.(message);
const client = await contenderById(id).create(JSON.parse(setupJson) as ClientSetup);
process.once('message', async () => {
  const traffic = await burst(client, '/items', Number(countText));
  await client.close();
  send({ type: 'done', failures: traffic.failures, firstFailure: traffic.firstFailure });
  process.disconnect();
});
send({ type: 'ready' });
