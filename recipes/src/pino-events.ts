import type { TokenManagerEvent } from '@auth/core';
import type { Logger } from 'pino';

/**
 * A TokenManager `onEvent` that writes each event as one pino line: `warn` for a failure the
 * manager works around, `error` when callers will see it, `info` otherwise. Events carry no
 * secret: tokens appear only as fingerprints, errors hold no credentials.
 */
export function pinoTokenEvents(logger: Logger): (event: TokenManagerEvent) => void {
  return (event) => {
    const { type, ...fields } = event;
    const { error, ...rest } = 'error' in fields ? fields : { ...fields, error: undefined };
    const fatal = type === 'session-expired' || (type === 'refresh-failed' && !event.willRetry);
    const level = fatal ? 'error' : error === undefined ? 'info' : 'warn';
    logger[level]({ event: type, ...rest, err: error }, `token manager: ${type}`);
  };
}
