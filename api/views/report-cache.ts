/**
 * Reports (aging, KPIs) aggregate thousands of rows; screens ask for the same one again and again while
 * nothing has changed. Each answer is kept with a fingerprint of the data it was computed from, and
 * handed out again only while the fingerprint is the same and the answer is younger than `maxAgeMs`:
 * a request then costs one indexed statement, like a point read.
 *
 * The fingerprint is the newest step event (every run transition: orders created, shipped, fulfilled,
 * invoices issued, breaches) and the latest invoice update (payments, credits, voids), both read from
 * the top of an index. A change made behind both (a hand edit of a table) shows after `maxAgeMs`.
 */
import type { Db } from '../../lib/db';

interface Entry {
  fingerprint: string;
  computedAt: number;
  value: Promise<unknown>;
}

export class ReportCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 60_000,
    private readonly maxEntries = 256,
  ) {}

  /** The answer for `key`, computed by `compute` unless one for the current data is kept. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const fingerprint = await this.fingerprint();
    const kept = this.entries.get(key);
    if (kept && kept.fingerprint === fingerprint && Date.now() - kept.computedAt < this.maxAgeMs)
      return kept.value as Promise<T>;
    // Kept as a promise: concurrent requests for the same report share one computation.
    const value = compute();
    const entry = { fingerprint, computedAt: Date.now(), value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  private async fingerprint(): Promise<string> {
    const [row] = await this.db.$queryRaw<{ f: string }[]>`
      SELECT coalesce((SELECT max(id) FROM step_event)::text, '') || '/' || coalesce((SELECT max(updated_at) FROM invoice)::text, '') AS f`;
    return row?.f ?? '';
  }
}
