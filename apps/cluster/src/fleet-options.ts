import { parseArgs } from 'node:util';

/** The settings of one fleet run. Durations in ms, except the token lifetime (seconds, as `expires_in`). */
export interface FleetOptions {
  /** Worker processes. Default 4. */
  workers: number;
  /** API requests each worker makes. Default 40. */
  requestsPerWorker: number;
  /** `expires_in` of the tokens the token server issues, in seconds. Default 5. */
  tokenLifetimeSeconds: number;
  /** How long each worker spreads its requests over. Default 6 000. */
  durationMs: number;
  /** The workers' `TokenManager` `refreshAheadMs`. Default 1 000. */
  refreshAheadMs: number;
  /** The workers' `TokenManager` `expirySkewMs`. Default 500. */
  expirySkewMs: number;
}

/** Thrown for bad flags; the program prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The usage text of the cluster app (`pnpm cluster`, or `node apps/cluster/dist/main.js`).
 *
 * @example
 * ```ts
 * console.log(USAGE);
 * ```
 */
export const USAGE = `Usage: pnpm cluster -- [options]   (or: node apps/cluster/dist/main.js [options])

Starts a token server, a protected API and N worker processes on 127.0.0.1. Every
worker calls the API through createAuthFetch with a TokenManager over one shared
RedisTokenStore; the program prints how many token requests the whole fleet made.
Needs Redis: REDIS_URL, else a throwaway redis-server it starts from PATH.

  --workers <n>            worker processes (1-64, default 4)
  --requests <m>           API requests per worker (1-10000, default 40)
  --token-lifetime <s>     token lifetime in seconds (1-3600, default 5)
  --duration-ms <d>        how long each worker spreads its requests over (0-600000, default 6000)
  --refresh-ahead-ms <ms>  the workers' refresh-ahead window (default 1000)
  --expiry-skew-ms <ms>    the workers' expiry skew (default 500)
  -h, --help               this help

Exit codes: 0 every request served, 1 some failed, 2 bad options, 3 could not start
(no Redis, no free port).`;

const LIMITS = {
  workers: ['--workers', 1, 64, 4],
  requestsPerWorker: ['--requests', 1, 10_000, 40],
  tokenLifetimeSeconds: ['--token-lifetime', 1, 3600, 5],
  durationMs: ['--duration-ms', 0, 600_000, 6000],
  refreshAheadMs: ['--refresh-ahead-ms', 0, 600_000, 1000],
  expirySkewMs: ['--expiry-skew-ms', 0, 600_000, 500],
} as const satisfies Record<keyof FleetOptions, readonly [string, number, number, number]>;

/**
 * Parses and checks the flags.
 *
 * @param args - The arguments after the program name.
 * @returns The options, or `'help'` for `--help`.
 * @throws {UsageError} An unknown flag, a stray argument, or a value that is not a whole
 *   number within its bounds.
 * @example
 * ```ts
 * const options = parseFleetOptions(['--workers', '8']);
 * ```
 */
export function parseFleetOptions(args: string[]): FleetOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      // `pnpm cluster -- <args>` passes the `--` on.
      args: args[0] === '--' ? args.slice(1) : args,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          Object.values(LIMITS).map(([flag]) => [flag.slice(2), { type: 'string' as const }]),
        ),
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const options = {} as FleetOptions;
  for (const [name, [flag, min, max, fallback]] of Object.entries(LIMITS)) {
    const raw = values[flag.slice(2)];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
    options[name as keyof FleetOptions] = value;
  }
  return options;
}
