/**
 * Charts for the reports. Chart.js, because it draws stacked bars and line series out of the box, on
 * a canvas that stays fast with hundreds of customers, and tree-shakes: only the bar and line
 * controllers, two scales, the legend and the tooltip are registered here, about 60 kB gzipped
 * of the console's 300 kB budget. (uPlot is smaller but has no stacked bars; Recharts and ECharts
 * are several times larger.)
 *
 * A canvas says nothing to a screen reader: every chart carries a label and sits next to the table
 * with the same figures.
 */
import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.animation = false;

/** The charts the reports draw. */
export type ReportChartConfig = ChartConfiguration<'bar'> | ChartConfiguration<'line'>;

export interface ChartCanvasProps {
  config: ReportChartConfig;
  /** What the chart shows, for screen readers (role="img"). */
  label: string;
  height?: number;
  testId?: string;
}

/**
 * One Chart.js chart. A new config updates the chart in place (no flicker when a report refreshes);
 * a change of chart type rebuilds it.
 */
export function ChartCanvas({ config, label, height = 320, testId }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);

  useEffect(() => {
    if (!canvas.current) return undefined;
    const next = config as unknown as ChartConfiguration;
    if (chart.current && (chart.current.config as { type?: string }).type === next.type) {
      chart.current.data = next.data;
      if (next.options) chart.current.options = next.options;
      chart.current.update('none');
      return undefined;
    }
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, {
      ...next,
      options: { responsive: true, maintainAspectRatio: false, ...next.options },
    });
    return undefined;
  }, [config]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <div className="chart" style={{ position: 'relative', height }}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} data-points={countPoints(config)} />
    </div>
  );
}

/** How many non-empty values the chart draws: tests and screen readers can tell an empty chart apart. */
function countPoints(config: ReportChartConfig): number {
  return (config.data.datasets as { data: unknown[] }[]).reduce(
    (n, d) => n + d.data.filter((v) => typeof v === 'number' && v !== 0).length,
    0,
  );
}
