/**
 * API keys: `cl_<random>` shown once at creation; only the SHA-256 is stored. A role per key decides
 * what it may do: crm (intake and read-back), ops, finance, admin (everything).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../lib/db';

export const ROLES = ['crm', 'ops', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export async function createApiKey(db: Db, name: string, role: Role): Promise<{ key: string; id: string }> {
  if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  if (!name.trim()) throw new Error('name is required');
  const key = `cl_${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { name: name.trim(), role, keyHash: hashKey(key), prefix: key.slice(0, 8) },
  });
  return { key, id: row.id };
}

/**
 * Resolves a presented key. Lookups are cached briefly (a revoked key stops working within `ttlMs`),
 * so authentication costs no database round trip on most requests. Unknown keys are remembered in a
 * separate, smaller map: a flood of made-up keys evicts only its own entries, never the valid ones.
 */
export function createKeyVerifier(db: Db, { ttlMs = 10_000, maxKeys = 10_000, maxUnknown = 1_000 } = {}) {
  const known = new Map<string, { principal: Principal; expires: number }>();
  const unknown = new Map<string, number>();
  const remember = <V>(map: Map<string, V>, max: number, hash: string, value: V) => {
    map.delete(hash);
    if (map.size >= max) map.delete(map.keys().next().value as string); // the oldest entry
    map.set(hash, value);
  };
  const verify = async (key: string): Promise<Principal | null> => {
    const hash = hashKey(key);
    const now = Date.now();
    const hit = known.get(hash);
    if (hit && hit.expires > now) return hit.principal;
    if ((unknown.get(hash) ?? 0) > now) return null;
    const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
    if (!row || row.revokedAt) {
      known.delete(hash);
      remember(unknown, maxUnknown, hash, now + ttlMs);
      return null;
    }
    const principal = { keyId: row.id, name: row.name, role: row.role as Role };
    remember(known, maxKeys, hash, { principal, expires: now + ttlMs });
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
    return principal;
  };
  /** A key verified recently and still valid, answered without any database work. */
  const cached = (key: string): Principal | undefined => {
    const hit = known.get(hashKey(key));
    return hit && hit.expires > Date.now() ? hit.principal : undefined;
  };
  return Object.assign(verify, { cached });
}
