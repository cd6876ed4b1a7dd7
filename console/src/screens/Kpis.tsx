/**
 * KPIs by week over a date range (finance and ops): on-time-in-full, order cycle time p50/p90, time
 * to invoice p50/p90, days sales outstanding and the SLA breach rate, each as a chart and all of them
 * in a table. GET /v1/kpis?groupBy=week answers the weekly series; a server that does not know
 * groupBy yet is asked once per week instead (the same figures, more requests).
 */
import '../finance/finance.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Loaded } from '../finance/Loaded';
import { EmptyState } from '../components/States';
import { todayUtc, type Kpi } from '../finance/types';
import { CHARTS, KpiChart } from './kpis/Charts';
import { Overall, WeekTable } from './kpis/Figures';
import { DAY, iso, weeklyKpis, type Week } from './kpis/weekly';

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
      ) : (
        <Loaded query={kpis} what="KPIs">
          {(data) => <KpiView overall={data.overall} weeks={data.weeks} />}
        </Loaded>
      )}
    </>
  );
}

function KpiView({ overall, weeks }: { overall: Kpi; weeks: Week[] }) {
  const hasData = weeks.some(
    (w) => w.kpi.orders > 0 || w.kpi.otifPercent !== null || w.kpi.daysSalesOutstanding !== null,
  );
  return (
    <>
      <Overall overall={overall} />
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
      <WeekTable weeks={weeks} />
    </>
  );
}
