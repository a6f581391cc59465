import { afterAll, expect, it } from 'vitest';
import { FEATURES, type Feature, type ServerSupport } from './features.js';

/**
 * Registers a server's feature tests and checks, once they have run, that every feature its
 * support row marks `'tested'` had one (and no other), so the docs table cannot claim more
 * than the suite proves.
 *
 * @param support - The server's row of the table.
 * @returns `feature(name, test)`, which registers the test of one feature.
 * @example
 * ```ts
 * const feature = featureSuite(authlibSupport);
 * feature('post', async () => {
 *   // … a client_secret_post request against the server …
 * });
 * ```
 */
export function featureSuite(
  support: ServerSupport,
): (feature: Feature, test: () => Promise<void>) => void {
  const registered = new Set<Feature>();
  afterAll(() => {
    const claimed = (Object.keys(FEATURES) as Feature[]).filter(
      (feature) => support.features[feature] === 'tested',
    );
    expect([...registered].sort(), `${support.name}: features marked tested`).toEqual(
      claimed.sort(),
    );
  });
  return (feature, test) => {
    registered.add(feature);
    it(`${feature}: ${FEATURES[feature]}`, test);
  };
}
