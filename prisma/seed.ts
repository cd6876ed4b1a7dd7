/**
 * `npm run seed`: loads the demo data set (prisma/seed-data.ts) into DATABASE_URL. Idempotent: a second
 * run restores master data and leaves stock that orders reserved alone. Dates are relative to today
 * (UTC), or to `--today=YYYY-MM-DD` when given.
 */
import { createDb } from '../lib/db';
import { isIsoDate } from '../domain/calendar/business-days';
import { seedDemoData } from './seed-data';

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    fail('DATABASE_URL is not set: export DATABASE_URL=postgresql://user@host:5432/db and run npm run seed again');

  const todayArg = process.argv
    .slice(2)
    .find((a) => a.startsWith('--today='))
    ?.slice('--today='.length);
  if (todayArg !== undefined && !isIsoDate(todayArg)) fail(`--today must be a date as YYYY-MM-DD (got "${todayArg}")`);
  const today = todayArg ?? new Date().toISOString().slice(0, 10);

  const db = createDb(url, 2);
  try {
    const { created } = await seedDemoData(db, { today });
    const counts = {
      sla_profile: await db.slaProfile.count(),
      customer: await db.customer.count(),
      warehouse: await db.warehouse.count(),
      sku: await db.sku.count(),
      contract_price: await db.contractPrice.count(),
      stock: await db.stock.count(),
      stock_lot: await db.stockLot.count(),
      scheduled_receipt: await db.scheduledReceipt.count(),
      carrier: await db.carrier.count(),
      carrier_rate: await db.carrierRate.count(),
      holiday: await db.holiday.count(),
    };
    process.stdout.write(
      `seed: demo data ${created ? 'loaded' : 'already present (master data refreshed)'} for ${today}\n`,
    );
    for (const [table, count] of Object.entries(counts)) process.stdout.write(`  ${table.padEnd(18)} ${count}\n`);
  } catch (error) {
    process.stderr.write(`seed: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) void main();
