import type { Contender } from '../contender.js';
import { badgateway } from './badgateway.js';
import { openidClient } from './openid-client.js';
import { simpleOauth2 } from './simple-oauth2.js';
import { thisProject } from './this-project.js';

/** Every contender, this project first: the columns of the table. */
export const CONTENDERS: readonly Contender[] = [
  thisProject,
  badgateway,
  openidClient,
  simpleOauth2,
];

/**
 * The contender with this id.
 *
 * @throws {Error} No contender has it.
 */
export function contenderById(id: string): Contender {
  const found = CONTENDERS.find((contender) => contender.id === id);
  if (!found)
    throw new Error(`no contender "${id}"; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  return found;
}
