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
  const row = await db.apiKey.create({ data: { name: name.trim(), role, keyHash: hashKey(key), prefix: key.slice(0, 8) } });
  return { key, id: row.id };
}

/**
 * Resolves a presented key. Lookups are cached briefly (a revoked key stops working within `ttlMs`),
 * so authentication costs no database round trip on most requests.
 */
export function createKeyVerifier(db: Db, ttlMs = 10_000) {
  const cache = new Map<string, { principal: Principal | null; expires: number }>();
  return async (key: string): Promise<Principal | null> => {
    const hash = hashKey(key);
    const hit = cache.get(hash);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.principal;
    const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
    const principal = row && !row.revokedAt ? { keyId: row.id, name: row.name, role: row.role as Role } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { principal, expires: now + ttlMs });
    if (row && principal) void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
    return principal;
  };
}
