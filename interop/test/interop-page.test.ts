import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { INTEROP_PAGE, withCurrentTable } from '../src/interop-page.js';

describe('docs/interop.md', () => {
  it('shows the server × feature table the suite proves (rewrite it: pnpm --filter @auth/interop table)', async () => {
    const page = await readFile(INTEROP_PAGE, 'utf8');
    await expect(withCurrentTable(page)).toMatchFileSnapshot(INTEROP_PAGE.pathname);
  });
});
