/** One line chart per KPI, week by week; the table below the charts has the same figures. */
import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { ChartCanvas } from '../../finance/Chart';
import type { Kpi } from '../../finance/types';
import { fmt } from './Figures';
import type { Week } from './weekly';

export const CHARTS: {
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

export function KpiChart({ chart, weeks }: { chart: (typeof CHARTS)[number]; weeks: Week[] }) {
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
