import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'api.localhost', '[::1]', '127.0.0.1', '127.1.2.3'])(
    'accepts %s',
    (host) => {
      expect(isLoopbackHost(new URL(`http://${host}:8080/`).hostname)).toBe(true);
    },
  );

  it.each(['example.com', '10.0.0.1', '10.0.0.5', '128.0.0.1', 'localhost.example.com', '[::2]'])(
    'refuses %s',
    (host) => {
      expect(isLoopbackHost(new URL(`http://${host}/`).hostname)).toBe(false);
    },
  );
});
