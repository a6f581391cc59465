import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTokenFilePath } from './default-token-file-path.js';

describe('defaultTokenFilePath', () => {
  it('lives in $XDG_STATE_HOME/<appName>/tokens.json', () => {
    expect(defaultTokenFilePath({ appName: 'my-cli', env: { XDG_STATE_HOME: '/state' } })).toBe(
      join('/state', 'my-cli', 'tokens.json'),
    );
  });

  it('falls back to ~/.local/state when XDG_STATE_HOME is unset, empty or relative', () => {
    const expected = join('/home/ada', '.local', 'state', 'auth', 'tokens.json');
    for (const env of [{}, { XDG_STATE_HOME: '' }, { XDG_STATE_HOME: 'relative/state' }]) {
      expect(defaultTokenFilePath({ env, homeDir: '/home/ada' })).toBe(expected);
    }
  });

  it('rejects an appName that is not a single folder name', () => {
    for (const appName of ['', '.', '..', 'a/b', 'a\\b', 'nul\0']) {
      expect(() => defaultTokenFilePath({ appName, env: {} })).toThrow(TypeError);
    }
  });
});
