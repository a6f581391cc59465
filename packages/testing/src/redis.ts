export {
  type RedisClusterOptions,
  startRedisCluster,
  type TestRedisCluster,
} from './redis/redis-cluster.js';
export {
  type RedisServerOptions,
  startRedis,
  startRedisServer,
  type TestRedis,
} from './redis/redis-server.js';
