export {
  type NutcrackerOptions,
  type NutcrackerStats,
  startNutcracker,
  type TestNutcracker,
  type TwemproxyClientOptions,
} from './redis/nutcracker.js';
export {
  type RedisClusterOptions,
  startRedisCluster,
  type TestRedisCluster,
} from './redis/redis-cluster.js';
export { freeLoopbackPort, RedisStartError } from './redis/redis-process.js';
export {
  type RedisServerOptions,
  startRedis,
  startRedisServer,
  type TestRedis,
} from './redis/redis-server.js';
