import type { Contender } from './contender.js';
import type { Cells, Scenario } from './scenario.js';

/** What one scenario measured, ready for the table. */
export interface ScenarioOutcome {
  scenario: Scenario;
  cells: Map<string, Cells>;
}

/**
 * The results as one Markdown table: a row per measurement, a column per contender.
 *
 * @param versions - The installed version of each contender's package, for the heading.
 */
export function markdownTable(
  contenders: readonly Contender[],
  outcomes: readonly ScenarioOutcome[],
  versions: ReadonlyMap<string, string>,
): string {
  const heading = contenders.map((contender, index) => {
    const name = `${contender.packageName} ${versions.get(contender.packageName) ?? ''}`.trim();
    return index === 0 ? `${name} (this project)` : name;
  });
  const lines = [
    `| scenario (goal) | ${heading.join(' | ')} |`,
    `|---|${contenders.map(() => '---').join('|')}|`,
  ];
  for (const { scenario, cells } of outcomes) {
    scenario.rows.forEach((label, row) => {
      const values = contenders.map((contender) => cells.get(contender.id)?.[row] ?? 'n/a');
      lines.push(`| ${label} | ${values.join(' | ')} |`);
    });
  }
  return lines.join('\n');
}
