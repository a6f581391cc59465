/**
 * A loopback redirect receiver for the authorization code grant in CLIs and desktop apps
 * (RFC 8252 §7.3). Node only, hence its own entry point.
 *
 * @module @auth/oauth/loopback
 */
export {
  type LoopbackReceiver,
  type LoopbackReceiverOptions,
  startLoopbackReceiver,
  type WaitForCallbackOptions,
} from './loopback/receiver.js';
