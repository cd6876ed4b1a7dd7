/**
 * Secrets the embedded default makes for itself, so `npm start` works on a fresh clone: a CRM webhook
 * secret kept in DATA_DIR (mode 600, reused on restart) and, on an empty database, one admin API key
 * that is printed once and never stored in clear.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../lib/db';
import { createApiKey } from '../api/auth/api-keys';

export const CRM_SECRET_FILE = 'crm-webhook-secret';

export function localCrmWebhookSecret(dataDir: string): { secret: string; file: string } {
  const file = path.join(dataDir, CRM_SECRET_FILE);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return { secret: readFileSync(file, 'utf8').trim(), file };
}

/** Creates the first admin key when no key exists yet; returns it (to print once) or undefined. */
export async function firstAdminKey(db: Db): Promise<string | undefined> {
  if ((await db.apiKey.count()) > 0) return undefined;
  return (await createApiKey(db, 'first-admin', 'admin')).key;
}
