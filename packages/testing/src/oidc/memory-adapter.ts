import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * An oidc-provider storage adapter over one `Map` per test bed. Unlike the provider's own
 * development adapter it keeps entries past their expiry (the provider checks `exp`
 * itself), so an expired device code answers `expired_token` instead of vanishing, and
 * it prints no warning.
 *
 * @returns The adapter factory to pass as `configuration.adapter`.
 */
export function mapAdapterFactory(): (name: string) => Adapter {
  const entries = new Map<string, AdapterPayload>();
  const grants = new Map<string, string[]>();
  const byUserCode = new Map<string, string>();
  const byUid = new Map<string, string>();

  return (name: string): Adapter => {
    const key = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload) {
        entries.set(key(id), { ...payload });
        if (payload.grantId) {
          const list = grants.get(payload.grantId) ?? [];
          list.push(key(id));
          grants.set(payload.grantId, list);
        }
        if (payload.userCode) byUserCode.set(payload.userCode, id);
        if (payload.uid) byUid.set(payload.uid, id);
      },
      async find(id) {
        return entries.get(key(id));
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : entries.get(key(id));
      },
      async findByUid(uid) {
        const id = byUid.get(uid);
        return id === undefined ? undefined : entries.get(key(id));
      },
      async consume(id) {
        const entry = entries.get(key(id));
        if (entry) entry.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const entryKey of grants.get(grantId) ?? []) entries.delete(entryKey);
        grants.delete(grantId);
      },
    };
  };
}
