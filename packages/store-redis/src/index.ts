export {
  type RedisKeys,
  RedisTokenStore,
  type RedisTokenStoreOptions,
} from './redis-token-store.js';
