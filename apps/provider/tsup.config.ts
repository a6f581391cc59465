import { appBuildConfig } from '../../tsup.shared';

export default appBuildConfig(['src/main.ts']);
