/**
 * `npm run apikey -- create --role ops --name "Night shift"`: prints the new key once.
 * `npm run apikey -- list` and `npm run apikey -- revoke <id>`. Uses DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { createDb } from '../lib/db';
import { createApiKey, ROLES, type Role } from '../api/auth/api-keys';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, id] = positionals;
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(
      "DATABASE_URL: required (the database the API uses; for npm start's embedded one see README)\n",
    );
    return 2;
  }
  const db = createDb(url, 2);
  try {
    if (command === 'create') {
      if (!values.role || !ROLES.includes(values.role as Role)) {
        process.stderr.write(
          `--role: must be one of ${ROLES.join(', ')} (got ${JSON.stringify(values.role ?? null)})\n`,
        );
        return 2;
      }
      if (!values.name?.trim()) {
        process.stderr.write('--name: required, e.g. --name "Salesforce integration"\n');
        return 2;
      }
      const { key, id: keyId } = await createApiKey(db, values.name, values.role as Role);
      process.stdout.write(`created key ${keyId} (${values.role}, "${values.name}"). It is shown only now:\n${key}\n`);
      return 0;
    }
    if (command === 'list') {
      for (const k of await db.apiKey.findMany({ orderBy: { createdAt: 'asc' } })) {
        process.stdout.write(
          `${k.id}  ${k.prefix}...  ${k.role.padEnd(7)}  ${k.name}${k.revokedAt ? '  (revoked)' : ''}\n`,
        );
      }
      return 0;
    }
    if (command === 'revoke' && id) {
      const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
      process.stdout.write(count ? `revoked ${id}\n` : `no active key ${id}\n`);
      return count ? 0 : 1;
    }
    process.stderr.write(
      'usage: npm run apikey -- create --role crm|ops|finance|admin --name NAME | list | revoke ID\n',
    );
    return 2;
  } finally {
    await db.$disconnect();
  }
}

void main().then((code) => process.exit(code));
