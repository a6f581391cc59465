import { packageBuildConfig } from '../../tsup.shared';

export default packageBuildConfig({
  entry: ['src/oidc.ts', 'src/http.ts', 'src/redis.ts'],
  format: ['esm'],
});
