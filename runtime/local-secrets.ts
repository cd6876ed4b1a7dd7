/**
 * Secrets the embedded default makes for itself, so `npm start` works on a fresh clone: a CRM webhook
 * secret kept in DATA_DIR (mode 600, reused on restart) and, on an empty database, one admin API key
 * that is printed once on a terminal, else written to a mode-600 file in DATA_DIR; the database keeps its
 * hash only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../lib/db';
import { createApiKey } from '../api/auth/api-keys';

export const CRM_SECRET_FILE = 'crm-webhook-secret';

export function localCrmWebhookSecret(dataDir: string): { secret: string; file: string } {
  const file = path.join(dataDir, CRM_SECRET_FILE);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  // Every start, not only on creation: a copied or restored file may have come back readable by all.
  chmodSync(file, 0o600);
  return { secret: readFileSync(file, 'utf8').trim(), file };
}

/** DATA_DIR holds the database, the CRM secret and the first admin key: the owner's alone. */
export function ensurePrivateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export const FIRST_ADMIN_KEY_FILE = 'first-admin-key';

/**
 * Where the first admin key goes when nobody watches a terminal (a container's or CI's log would keep it):
 * a file only the owner reads. Returns its path, which is printed instead of the key.
 */
export function writeFirstAdminKeyFile(dataDir: string, key: string): string {
  const file = path.join(dataDir, FIRST_ADMIN_KEY_FILE);
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Creates the first admin key when no key exists yet; returns it (to print once) or undefined. */
export async function firstAdminKey(db: Db): Promise<string | undefined> {
  if ((await db.apiKey.count()) > 0) return undefined;
  return (await createApiKey(db, 'first-admin', 'admin')).key;
}
