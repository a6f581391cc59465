import { describe } from 'vitest';
import { createApiClient } from '../src/axios.js';
import { itKeepsTheRecipeContract } from './support/client-contract.js';

describe('axios recipe', () => {
  itKeepsTheRecipeContract(({ manager, api }) => {
    const client = createApiClient(manager, api.url);
    return async (url) => {
      const response = await client.get(url, { validateStatus: () => true });
      return { status: response.status, body: response.data };
    };
  });
});
