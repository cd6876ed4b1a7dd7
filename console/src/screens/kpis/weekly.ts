import { api } from '../../api';
import type { Kpi, KpiReport } from '../../finance/types';

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const MAX_WEEKS = 53;

export interface Week {
  start: string;
  end: string;
  kpi: Kpi;
}

/** ISO weeks (Monday to Sunday) covering [from, to], the first and last clipped to the range, as the API groups them. */
export function weeksOf(from: string, to: string): { start: string; end: string }[] {
  const first = Date.parse(`${from}T00:00:00Z`);
  const last = Date.parse(`${to}T00:00:00Z`);
  const weeks: { start: string; end: string }[] = [];
  let monday = first - ((new Date(first).getUTCDay() + 6) % 7) * DAY;
  while (monday <= last && weeks.length < MAX_WEEKS) {
    weeks.push({ start: iso(Math.max(monday, first)), end: iso(Math.min(monday + 6 * DAY, last)) });
    monday += 7 * DAY;
  }
  return weeks;
}

/** The range's overall figures and its weekly series. */
export async function weeklyKpis(
  from: string,
  to: string,
  signal: AbortSignal,
): Promise<{ overall: Kpi; weeks: Week[]; isFallback: boolean }> {
  const report = await api<KpiReport>('/kpis', { query: { from, to, groupBy: 'week' }, signal });
  if (Array.isArray(report.series)) {
    return {
      overall: report.overall,
      weeks: report.series.map((e) => ({ start: e.weekStart, end: e.weekEnd, kpi: e })),
      isFallback: false,
    };
  }
  // A server without groupBy ignores it: the same figures, asked week by week.
  const weeks = await Promise.all(
    weeksOf(from, to).map(async (w) => ({
      ...w,
      kpi: (await api<KpiReport>('/kpis', { query: { from: w.start, to: w.end }, signal })).overall,
    })),
  );
  return { overall: report.overall, weeks, isFallback: true };
}
