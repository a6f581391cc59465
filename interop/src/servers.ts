import { authlibSupport } from '../servers/authlib/support.js';
import { jmondiSupport } from '../servers/jmondi/support.js';
import { nodeOauth2ServerSupport } from '../servers/node-oauth2-server/support.js';
import type { ServerSupport } from './features.js';

/** Every server of the suite, in the column order of docs/interop.md. */
export const SERVERS: readonly ServerSupport[] = [
  authlibSupport,
  nodeOauth2ServerSupport,
  jmondiSupport,
];
