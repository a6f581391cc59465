import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startNutcracker } from './nutcracker.js';

describe('startNutcracker', () => {
  it('fails saying how to install nutcracker when the binary is missing', async () => {
    await expect(startNutcracker({ command: '/nonexistent/nutcracker' })).rejects.toThrow(
      /install nutcracker \(Debian: `apt-get install -y nutcracker`\)/,
    );
  });

  it('proxies to its backends on a free loopback port and counts connections', async () => {
    const proxy = await startNutcracker({ backends: 2 });
    try {
      expect(proxy.url).toBe(`redis://127.0.0.1:${proxy.port}`);
      const client = new Redis({ ...proxy.clientOptions });
      client.on('error', () => {});
      try {
        for (let index = 0; index < 20; index++) await client.set(`k${index}`, 'v');
        const stored = await Promise.all(
          proxy.backends.map(async (backend) => {
            const direct = new Redis(backend.url);
            try {
              return await direct.dbsize();
            } finally {
              direct.disconnect();
            }
          }),
        );
        expect(stored.reduce((sum, count) => sum + count, 0)).toBe(20);
        expect(stored.every((count) => count > 0)).toBe(true);
      } finally {
        client.disconnect();
      }
      expect((await proxy.stats()).totalConnections).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
