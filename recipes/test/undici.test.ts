import { request } from 'undici';
import { describe } from 'vitest';
import { createApiDispatcher } from '../src/undici.js';
import { itKeepsTheRecipeContract } from './support/client-contract.js';

describe('undici request recipe', () => {
  itKeepsTheRecipeContract(({ manager, api }) => {
    const dispatcher = createApiDispatcher(manager, api.url);
    return async (url) => {
      const response = await request(url, { dispatcher });
      return { status: response.statusCode, body: await response.body.json() };
    };
  });
});
