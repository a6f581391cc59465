import { describe } from 'vitest';
import { createApiClient } from '../src/ky.js';
import { itKeepsTheRecipeContract } from './support/client-contract.js';

describe('ky recipe', () => {
  itKeepsTheRecipeContract(({ manager, api }) => {
    const client = createApiClient(manager, api.url);
    return async (url) => {
      const { origin, pathname, search } = new URL(url);
      const input = `${pathname.slice(1)}${search}`;
      const response = await client.get(input, { prefixUrl: origin, throwHttpErrors: false });
      return { status: response.status, body: await response.json() };
    };
  });
});
