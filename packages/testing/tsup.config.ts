import { packageBuildConfig } from '../../tsup.shared';

export default packageBuildConfig({
  entry: ['src/oidc.ts', 'src/http.ts', 'src/process.ts', 'src/redis.ts', 'src/tls.ts'],
  format: ['esm'],
});
