// One process that waits once for an update through a proxy without pub/sub, then closes
// its store and client, as a service does at shutdown. Prints one JSON line (how the wait
// ended and how long it took), then 'closed'. Exits non-zero if anything (even an
// unhandled rejection inside ioredis) fails.
import { Redis } from 'ioredis';
import { RedisTokenStore } from '../../dist/index.js';

const { proxyOptions, keyPrefix, waitTimeoutMs } = JSON.parse(process.argv[2]);
const redis = new Redis(proxyOptions);
redis.on('error', () => {});
const store = new RedisTokenStore({ redis, keyPrefix });
await store.get('svc');
const started = performance.now();
let outcome;
try {
  await store.waitForUpdate('svc', { timeoutMs: waitTimeoutMs });
  outcome = { settled: 'resolved' };
} catch (error) {
  outcome = {
    settled: 'rejected',
    name: error.name,
    operation: error.operation,
    message: error.message,
  };
}
outcome.waitedMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await store.close();
// twemproxy closes the connection on QUIT without answering, so quit() would reject.
redis.disconnect();
process.stdout.write('closed\n');
