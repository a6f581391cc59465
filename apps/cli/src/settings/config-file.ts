import { readFile } from 'node:fs/promises';
import { CliError, EXIT_CODES } from '../errors.js';
import { SETTING_SPECS, type SettingName, type Settings } from './setting-specs.js';

const KNOWN = new Set<string>(SETTING_SPECS.map((spec) => spec.name));

/**
 * Reads a JSON config file: one object whose keys are setting names (`issuer`,
 * `clientId`, `clientSecret`, `scope`, …) with string, number or boolean values.
 *
 * @param path - The file.
 * @returns The settings it holds, as strings.
 * @throws {CliError} (usage) The file cannot be read, is not JSON, is not an object, or
 *   holds an unknown setting or a value of another type. The message names the file and
 *   the setting, never a value.
 * @example
 * ```ts
 * const fromFile = await readConfigFile('./auth.json');
 * ```
 */
export async function readConfigFile(path: string): Promise<Settings> {
  const bad = (problem: string, cause?: unknown) =>
    new CliError(`config file ${path}: ${problem}`, EXIT_CODES.usage, { cause });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw bad('is not valid JSON', error);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw bad('must hold one JSON object of settings');
  const settings: Settings = {};
  for (const [name, value] of Object.entries(document)) {
    if (!KNOWN.has(name)) throw bad(`unknown setting "${name}" (known: ${[...KNOWN].join(', ')})`);
    if (value === null || value === undefined) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw bad(`"${name}" must be a string, number or boolean`);
    const text = String(value);
    if (text !== '') settings[name as SettingName] = text;
  }
  return settings;
}
