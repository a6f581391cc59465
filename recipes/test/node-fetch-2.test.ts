import { describe } from 'vitest';
import { createApiFetch } from '../src/node-fetch-2.js';
import { itKeepsTheRecipeContract } from './support/client-contract.js';
import { fetchAnswer } from './support/fetch-answer.js';

describe('node-fetch-2 recipe', () => {
  itKeepsTheRecipeContract(({ manager, api }) => fetchAnswer(createApiFetch(manager, api.url)));
});
