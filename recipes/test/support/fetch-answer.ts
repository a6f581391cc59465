import type { FetchFunction } from '@auth/fetch';
import type { ClientAnswer } from './client-contract.js';

/** A GET with a fetch-shaped function, read as a {@link ClientAnswer}. */
export function fetchAnswer(fetch: FetchFunction): (url: string) => Promise<ClientAnswer> {
  return async (url) => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  };
}
