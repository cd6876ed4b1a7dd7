/** The range's figures and the same figures week by week, as text (what the charts draw). */
import { ColumnHeads, numeric } from '../../components/ColumnHeads';
import { Fact } from '../../components/Fact';
import type { Kpi } from '../../finance/types';
import type { Week } from './weekly';

export const fmt = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined ? '—' : `${v.toLocaleString('en', { maximumFractionDigits: 1 })}${unit}`;

export function Overall({ overall }: { overall: Kpi }) {
  return (
    <section aria-labelledby="kpi-overall" className="card">
      <h2 id="kpi-overall">Whole range</h2>
      <dl className="facts" data-testid="kpi-overall">
        <Fact term="Orders">{overall.orders}</Fact>
        <Fact term="OTIF">{fmt(overall.otifPercent, '%')}</Fact>
        <Fact term="Cycle time p50 / p90">
          {fmt(overall.cycleTimeHours.p50, ' h')} / {fmt(overall.cycleTimeHours.p90, ' h')}
        </Fact>
        <Fact term="Time to invoice p50 / p90">
          {fmt(overall.timeToInvoiceHours.p50, ' h')} / {fmt(overall.timeToInvoiceHours.p90, ' h')}
        </Fact>
        <Fact term="DSO">
          {overall.daysSalesOutstanding !== null
            ? fmt(overall.daysSalesOutstanding, ' d')
            : overall.daysSalesOutstandingByCurrency.map((d) => `${d.currency} ${fmt(d.days, ' d')}`).join(', ') || '—'}
        </Fact>
        <Fact term="SLA breach rate">{fmt(overall.slaBreachPercent, '%')}</Fact>
      </dl>
    </section>
  );
}

export function WeekTable({ weeks }: { weeks: Week[] }) {
  return (
    <section aria-labelledby="kpi-weeks">
      <h2 id="kpi-weeks">By week</h2>
      <div className="table-wrap">
        <table data-testid="kpi-table">
          <caption className="visually-hidden">KPIs per week</caption>
          <ColumnHeads
            heads={[
              'Week of',
              numeric('Orders'),
              numeric('OTIF'),
              numeric('Cycle p50 / p90'),
              numeric('To invoice p50 / p90'),
              numeric('DSO'),
              numeric('SLA breach'),
            ]}
          />
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
  );
}
