import { SERVERS } from './servers.js';
import { renderSupportTable } from './support-table.js';

/** docs/interop.md, from this package. */
export const INTEROP_PAGE = new URL('../../docs/interop.md', import.meta.url);
const START = '<!-- support-table:start (written by `pnpm --filter @auth/interop table`) -->';
const END = '<!-- support-table:end -->';

/**
 * docs/interop.md with its table section replaced by the table of {@link SERVERS}.
 *
 * @param page - The page as it is.
 * @returns The page with the current table.
 * @throws {Error} The page lacks the table markers.
 */
export function withCurrentTable(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/interop.md lacks ${START} … ${END}`);
  return `${page.slice(0, start + START.length)}\n${renderSupportTable(SERVERS)}\n${page.slice(end)}`;
}
