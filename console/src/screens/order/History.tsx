/** Who did what on the order and why: people's actions and the step transitions that carry a reason or an error. */
import type { Timeline } from '../../types';
import { DateTime } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { Table } from '../../components/Table';

export function History({ timeline }: { timeline: Timeline }) {
  const people = timeline.actions;
  const transitions = timeline.events.filter((e) => e.reason || e.error || e.actor !== 'system');
  if (people.length === 0 && transitions.length === 0)
    return <EmptyState title="No one has acted on this order yet." />;
  type Row = { key: string; at: string; actor: string; what: string; reason: string | null; outcome: string };
  const rows: Row[] = [
    ...people.map((a, i) => ({
      key: `a${i}`,
      at: a.at,
      actor: a.actor,
      what: a.action,
      reason: a.reason,
      outcome: a.outcome,
    })),
    ...transitions.map((e, i) => ({
      key: `e${i}`,
      at: e.at,
      actor: e.actor,
      what: `${e.runId === timeline.orderId ? '' : `${e.runId} `}${e.step}: ${e.from ?? '—'} → ${e.to}`,
      reason: e.reason === e.error ? null : e.reason,
      outcome: e.error ?? '',
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Table
      caption="Actions and transitions with their reasons"
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { key: 'at', header: 'When', render: (r) => <DateTime value={r.at} /> },
        { key: 'actor', header: 'Who', render: (r) => r.actor },
        { key: 'what', header: 'What', render: (r) => r.what },
        { key: 'reason', header: 'Why', render: (r) => r.reason ?? <span className="muted">—</span> },
        { key: 'outcome', header: 'Outcome', render: (r) => <span className="error-text-soft">{r.outcome}</span> },
      ]}
    />
  );
}
