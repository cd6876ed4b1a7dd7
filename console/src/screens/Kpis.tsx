/**
 * KPIs by week over a date range (finance and ops): on-time-in-full, order cycle time p50/p90, time
 * to invoice p50/p90, days sales outstanding and the SLA breach rate, each as a chart and all of them
 * in a table. GET /v1/kpis?groupBy=week answers the weekly series; a server that does not know
 * groupBy yet is asked once per week instead (the same figures, more requests).
 */
import '../finance/finance.css';
import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { RefreshFailed } from '../finance/RefreshFailed';
import type { ChartConfiguration } from 'chart.js';
import { api } from '../api';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ChartCanvas } from '../finance/Chart';
import { todayUtc, type Kpi, type KpiReport } from '../finance/types';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const MAX_WEEKS = 53;

interface Week {
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

async function weeklyKpis(
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

export function KpisScreen() {
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? todayUtc();
  const from = params.get('from') ?? iso(Date.parse(`${to}T00:00:00Z`) - 12 * 7 * DAY + DAY);
  const isRangeValid = from <= to;
  const kpis = useQuery({
    queryKey: ['kpis', from, to],
    queryFn: ({ signal }) => weeklyKpis(from, to, signal),
    enabled: isRangeValid,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const set = (name: 'from' | 'to', value: string) => {
    const p = new URLSearchParams(params);
    if (value) p.set(name, value);
    else p.delete(name);
    setParams(p);
  };

  return (
    <>
      <div className="page-head">
        <h1>KPIs</h1>
        <p className="muted">
          By week, {from} to {to}.
        </p>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="kpi-from">From</label>
          <input id="kpi-from" type="date" value={from} onChange={(e) => set('from', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="kpi-to">To</label>
          <input id="kpi-to" type="date" value={to} onChange={(e) => set('to', e.target.value)} />
        </div>
      </div>
      {!isRangeValid ? (
        <p role="alert" className="problem-detail">
          From ({from}) is after to ({to}).
        </p>
      ) : kpis.data === undefined ? (
        kpis.isError ? (
          <ErrorState error={kpis.error} what="KPIs" onRetry={() => void kpis.refetch()} />
        ) : (
          <Loading what="KPIs" />
        )
      ) : (
        <>
          {kpis.isError && <RefreshFailed error={kpis.error} what="KPIs" />}
          <KpiView overall={kpis.data.overall} weeks={kpis.data.weeks} />
        </>
      )}
    </>
  );
}

const fmt = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined ? '—' : `${v.toLocaleString('en', { maximumFractionDigits: 1 })}${unit}`;

const CHARTS: {
  key: string;
  title: string;
  unit: string;
  series: { label: string; colour: string; value: (k: Kpi) => number | null }[];
}[] = [
  {
    key: 'otif',
    title: 'On time in full',
    unit: '%',
    series: [{ label: 'OTIF %', colour: '#2e7d32', value: (k) => k.otifPercent }],
  },
  {
    key: 'cycle',
    title: 'Order cycle time (hours)',
    unit: ' h',
    series: [
      { label: 'p50', colour: '#1565c0', value: (k) => k.cycleTimeHours.p50 },
      { label: 'p90', colour: '#90caf9', value: (k) => k.cycleTimeHours.p90 },
    ],
  },
  {
    key: 'invoice',
    title: 'Time to invoice (hours)',
    unit: ' h',
    series: [
      { label: 'p50', colour: '#6a1b9a', value: (k) => k.timeToInvoiceHours.p50 },
      { label: 'p90', colour: '#ce93d8', value: (k) => k.timeToInvoiceHours.p90 },
    ],
  },
  {
    key: 'dso',
    title: 'Days sales outstanding',
    unit: ' d',
    series: [
      {
        label: 'DSO (days)',
        colour: '#ef6c00',
        value: (k) => k.daysSalesOutstanding ?? k.daysSalesOutstandingByCurrency[0]?.days ?? null,
      },
    ],
  },
  {
    key: 'sla',
    title: 'SLA breach rate',
    unit: '%',
    series: [{ label: 'Orders with a missed SLA %', colour: '#c62828', value: (k) => k.slaBreachPercent }],
  },
];

function KpiView({ overall, weeks }: { overall: Kpi; weeks: Week[] }) {
  const hasData = weeks.some(
    (w) => w.kpi.orders > 0 || w.kpi.otifPercent !== null || w.kpi.daysSalesOutstanding !== null,
  );
  return (
    <>
      <section aria-labelledby="kpi-overall" className="card">
        <h2 id="kpi-overall">Whole range</h2>
        <dl className="facts" data-testid="kpi-overall">
          <div>
            <dt>Orders</dt>
            <dd>{overall.orders}</dd>
          </div>
          <div>
            <dt>OTIF</dt>
            <dd>{fmt(overall.otifPercent, '%')}</dd>
          </div>
          <div>
            <dt>Cycle time p50 / p90</dt>
            <dd>
              {fmt(overall.cycleTimeHours.p50, ' h')} / {fmt(overall.cycleTimeHours.p90, ' h')}
            </dd>
          </div>
          <div>
            <dt>Time to invoice p50 / p90</dt>
            <dd>
              {fmt(overall.timeToInvoiceHours.p50, ' h')} / {fmt(overall.timeToInvoiceHours.p90, ' h')}
            </dd>
          </div>
          <div>
            <dt>DSO</dt>
            <dd>
              {overall.daysSalesOutstanding !== null
                ? fmt(overall.daysSalesOutstanding, ' d')
                : overall.daysSalesOutstandingByCurrency.map((d) => `${d.currency} ${fmt(d.days, ' d')}`).join(', ') ||
                  '—'}
            </dd>
          </div>
          <div>
            <dt>SLA breach rate</dt>
            <dd>{fmt(overall.slaBreachPercent, '%')}</dd>
          </div>
        </dl>
      </section>
      {!hasData ? (
        <EmptyState title="No orders, deliveries or invoices in this range.">
          Pick a longer range, or come back once orders have flowed.
        </EmptyState>
      ) : (
        <div className="chart-grid">
          {CHARTS.map((c) => (
            <KpiChart key={c.key} chart={c} weeks={weeks} />
          ))}
        </div>
      )}
      <section aria-labelledby="kpi-weeks">
        <h2 id="kpi-weeks">By week</h2>
        <div className="table-wrap">
          <table data-testid="kpi-table">
            <caption className="visually-hidden">KPIs per week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  OTIF
                </th>
                <th scope="col" className="num">
                  Cycle p50 / p90
                </th>
                <th scope="col" className="num">
                  To invoice p50 / p90
                </th>
                <th scope="col" className="num">
                  DSO
                </th>
                <th scope="col" className="num">
                  SLA breach
                </th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.start}>
                  <th scope="row">{w.start}</th>
                  <td className="num">{w.kpi.orders}</td>
                  <td className="num">{fmt(w.kpi.otifPercent, '%')}</td>
                  <td className="num">
                    {fmt(w.kpi.cycleTimeHours.p50, ' h')} / {fmt(w.kpi.cycleTimeHours.p90, ' h')}
                  </td>
                  <td className="num">
                    {fmt(w.kpi.timeToInvoiceHours.p50, ' h')} / {fmt(w.kpi.timeToInvoiceHours.p90, ' h')}
                  </td>
                  <td className="num">{fmt(w.kpi.daysSalesOutstanding, ' d')}</td>
                  <td className="num">{fmt(w.kpi.slaBreachPercent, '%')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function KpiChart({ chart, weeks }: { chart: (typeof CHARTS)[number]; weeks: Week[] }) {
  const figures = weeks.map((w) => `${w.start}:${chart.series.map((s) => s.value(w.kpi)).join(',')}`).join('|');
  const config = useMemo(
    (): ChartConfiguration<'line'> => ({
      type: 'line',
      data: {
        labels: weeks.map((w) => w.start),
        datasets: chart.series.map((s) => ({
          label: s.label,
          data: weeks.map((w) => s.value(w.kpi)),
          borderColor: s.colour,
          backgroundColor: s.colour,
          spanGaps: true,
          tension: 0.2,
        })),
      },
      options: {
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => `${v}${chart.unit}` } } },
        plugins: {
          legend: { display: chart.series.length > 1 },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${fmt(item.raw as number | null, chart.unit)}` },
          },
        },
      },
    }),
    [figures],
  );
  return (
    <section aria-labelledby={`kpi-chart-${chart.key}`} className="card">
      <h3 id={`kpi-chart-${chart.key}`}>{chart.title}</h3>
      <ChartCanvas
        config={config}
        height={220}
        testId={`kpi-chart-${chart.key}`}
        label={`${chart.title} by week; the table below has the same figures.`}
      />
    </section>
  );
}
