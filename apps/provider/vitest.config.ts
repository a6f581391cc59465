import { appTestConfig } from '../../vitest.shared.ts';

export default appTestConfig();
