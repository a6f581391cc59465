import { appBuildConfig } from '../../tsup.shared';

export default appBuildConfig(['src/main.ts'], { banner: { js: '#!/usr/bin/env node' } });
