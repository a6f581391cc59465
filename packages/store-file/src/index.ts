export {
  type DefaultTokenFilePathOptions,
  defaultTokenFilePath,
} from './default-token-file-path.js';
export { FileTokenStore } from './file-token-store.js';
export type {
  FileMovedAsideEvent,
  FileTokenStoreEvent,
  PermissionsInsecureEvent,
  PermissionsTightenedEvent,
  StaleLockRemovedEvent,
} from './file-token-store-events.js';
export type { FileTokenStoreOptions } from './file-token-store-options.js';
