export {
  type LoopbackReceiver,
  type LoopbackReceiverOptions,
  startLoopbackReceiver,
  type WaitForCallbackOptions,
} from './loopback/receiver.js';
