import { FEATURES, type Feature, type ServerSupport } from './features.js';

/**
 * The server × feature table of docs/interop.md: ✓ for a feature the server's tests prove,
 * else a dash and a numbered note saying why.
 *
 * @param servers - The servers, in column order.
 * @returns The Markdown table and its notes.
 */
export function renderSupportTable(servers: readonly ServerSupport[]): string {
  const notes: string[] = [];
  const header = `| feature | ${servers.map((server) => server.name).join(' | ')} |`;
  const rule = `| --- | ${servers.map(() => ':---:').join(' | ')} |`;
  const rows = (Object.keys(FEATURES) as Feature[]).map((feature) => {
    const cells = servers.map((server) => {
      const support = server.features[feature];
      if (support === 'tested') return '✓';
      notes.push(`${server.name}: ${support}`);
      return `— [${notes.length}]`;
    });
    return `| ${FEATURES[feature]} | ${cells.join(' | ')} |`;
  });
  const sources = servers.map((server) => `- ${server.name}: ${server.source}`);
  const noted = notes.map((note, index) => `${index + 1}. ${note}`);
  return [header, rule, ...rows, '', ...sources, '', ...noted].join('\n');
}
