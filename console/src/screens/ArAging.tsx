/**
 * Receivables aging (finance): a stacked bar per customer (current, 1-30, 31-60, 61-90, 90+ days past
 * due), one chart per currency because amounts in different currencies are never added, the same
 * figures as a table, and the CSV the API writes (format=csv) for a spreadsheet.
 */
import '../finance/finance.css';
import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { ChartConfiguration } from 'chart.js';
import { api, describeError } from '../api';
import { EmptyState } from '../components/States';
import { customerPath } from '../links';
import { ChartCanvas } from '../finance/Chart';
import { downloadWithKey } from '../finance/documents';
import { Loaded } from '../finance/Loaded';
import { formatMinor } from '../finance/money';
import { AGING_BUCKETS, todayUtc, type ArAging } from '../finance/types';

/** Green to red as money gets older; distinguishable in grey scale too (lightness falls steadily). */
const BUCKET_COLOURS = ['#4caf50', '#c0ca33', '#fbc02d', '#f57c00', '#c62828'];
const CHART_CUSTOMERS = 25;

export function ArAgingScreen() {
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? '';
  const report = useQuery({
    queryKey: ['ar-aging', asOf],
    queryFn: ({ signal }) => api<ArAging>('/reports/ar-aging', { query: { asOf }, signal }),
    placeholderData: keepPreviousData,
  });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const day = asOf || report.data?.asOf || todayUtc();
  const download = async () => {
    setDownloadError(null);
    try {
      await downloadWithKey('/reports/ar-aging', `ar-aging-${day}.csv`, { asOf: day, format: 'csv' });
    } catch (e) {
      setDownloadError(describeError(e).detail);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Receivables aging</h1>
        <p className="muted">
          Open invoice balances by how far past due they are{report.data ? <>, as of {report.data.asOf}</> : null}.
        </p>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="aging-as-of">As of</label>
          <input
            id="aging-as-of"
            type="date"
            value={asOf || report.data?.asOf || ''}
            onChange={(e) => setParams(e.target.value ? { asOf: e.target.value } : {})}
          />
        </div>
        <button type="button" className="btn" onClick={() => void download()} data-testid="aging-csv">
          Download CSV
        </button>
        {downloadError && (
          <p role="alert" className="problem-detail">
            CSV not downloaded: {downloadError}
          </p>
        )}
      </div>
      <Loaded query={report} what="the aging report">
        {(data) =>
          data.rows.length === 0 ? (
            <EmptyState title="Nothing is owed: no open invoice has a balance.">
              Issued invoices with an open balance appear here.
            </EmptyState>
          ) : (
            <AgingView report={data} />
          )
        }
      </Loaded>
    </>
  );
}

function AgingView({ report }: { report: ArAging }) {
  const currencies = [...new Set(report.rows.map((r) => r.currency))].sort();
  return (
    <>
      {currencies.map((currency) => (
        <AgingChart key={currency} report={report} currency={currency} />
      ))}
      <section aria-labelledby="aging-table-heading">
        <h2 id="aging-table-heading">By customer</h2>
        <div className="table-wrap">
          <table data-testid="aging-table">
            <caption className="visually-hidden">
              Open balances by customer and days past due, as of {report.asOf}
            </caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Currency</th>
                {AGING_BUCKETS.map((b) => (
                  <th key={b.key} scope="col" className="num">
                    {b.label}
                  </th>
                ))}
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.customerId}-${r.currency}`}>
                  <th scope="row">
                    <Link to={customerPath(r.customerId)}>{r.customerName}</Link>
                  </th>
                  <td>{r.currency}</td>
                  {AGING_BUCKETS.map((b) => (
                    <td key={b.key} className={`num ${b.key !== 'current' && r[b.key] > 0 ? 'text-bad' : ''}`}>
                      {formatMinor(r[b.key], r.currency)}
                    </td>
                  ))}
                  <td className="num">
                    <strong>{formatMinor(r.totalMinor, r.currency)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              {report.totals.map((t) => (
                <tr key={t.currency}>
                  <th scope="row">Total</th>
                  <td>{t.currency}</td>
                  {AGING_BUCKETS.map((b) => (
                    <td key={b.key} className="num">
                      {formatMinor(t[b.key], t.currency)}
                    </td>
                  ))}
                  <td className="num">
                    <strong>{formatMinor(t.totalMinor, t.currency)}</strong>
                  </td>
                </tr>
              ))}
            </tfoot>
          </table>
        </div>
      </section>
    </>
  );
}

function AgingChart({ report, currency }: { report: ArAging; currency: string }) {
  const rows = useMemo(
    () => report.rows.filter((r) => r.currency === currency).sort((a, b) => b.totalMinor - a.totalMinor),
    [report, currency],
  );
  const shown = rows.slice(0, CHART_CUSTOMERS);
  // Rebuilt only when a figure changes, so a refresh with the same figures leaves the chart alone.
  const figures = shown.map((r) => `${r.customerId}:${AGING_BUCKETS.map((b) => r[b.key]).join(',')}`).join('|');
  const config = useMemo(
    (): ChartConfiguration<'bar'> => ({
      type: 'bar',
      data: {
        labels: shown.map((r) => r.customerName),
        datasets: AGING_BUCKETS.map((b, i) => ({
          label: b.label,
          data: shown.map((r) => r[b.key]),
          backgroundColor: BUCKET_COLOURS[i],
          borderWidth: 0,
        })),
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            stacked: true,
            ticks: { callback: (value) => formatMinor(Math.round(Number(value)), currency).replace(/\.00$/, '') },
          },
          y: { stacked: true },
        },
        plugins: {
          legend: { position: 'top' },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${formatMinor(Number(item.raw), currency)}` },
          },
        },
      },
    }),
    [figures, currency],
  );
  const total = report.totals.find((t) => t.currency === currency);
  return (
    <section aria-labelledby={`aging-chart-${currency}`} className="card">
      <h2 id={`aging-chart-${currency}`}>
        {currency}: {total ? formatMinor(total.totalMinor, currency) : ''} open
      </h2>
      <ChartCanvas
        config={config}
        height={Math.max(160, 60 + shown.length * 28)}
        testId={`aging-chart-${currency}`}
        label={`Stacked bar chart of open ${currency} balances for ${shown.length} customers by days past due; the table below has the same figures.`}
      />
      {rows.length > shown.length && (
        <p className="muted">
          The chart shows the {CHART_CUSTOMERS} largest balances of {rows.length}; the table lists them all.
        </p>
      )}
    </section>
  );
}
