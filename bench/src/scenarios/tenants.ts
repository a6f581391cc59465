/** The tenants of the multi-tenant fleet: one client of the token server per key. */

/**
 * The client id and secret of tenant `index`.
 *
 * @param index - 0 to keys − 1.
 * @returns Its client credentials.
 * @example
 * ```ts
 * tenantClient(7); // { clientId: 'tenant-7', clientSecret: 'tenant-secret-7' }
 * ```
 */
export function tenantClient(index: number): { clientId: string; clientSecret: string } {
  return { clientId: `tenant-${index}`, clientSecret: `tenant-secret-${index}` };
}

/**
 * Every tenant's credentials, as the token server's `clients` option takes them.
 *
 * @param keys - How many tenants.
 * @returns Client id → secret.
 */
export function tenantClients(keys: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: keys }, (_, index) => {
      const { clientId, clientSecret } = tenantClient(index);
      return [clientId, clientSecret];
    }),
  );
}
