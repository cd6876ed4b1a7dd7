/** The milestones sent to the CRM for the order, with the last answer of each delivery. */
import type { CrmDeliveries } from '../../types';
import { DateTime, StatusBadge } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { Table } from '../../components/Table';

export function CrmTable({ data }: { data: CrmDeliveries }) {
  if (data.milestones.length === 0) return <EmptyState title="No milestone sent to the CRM yet." />;
  return (
    <Table
      caption="Milestones sent to the CRM"
      rows={data.milestones}
      rowKey={(m) => m.idempotencyKey}
      columns={[
        { key: 'milestone', header: 'Milestone', render: (m) => m.milestone },
        { key: 'created', header: 'Queued', render: (m) => <DateTime value={m.createdAt} /> },
        {
          key: 'delivered',
          header: 'Delivered',
          render: (m) => (m.deliveredAt ? <DateTime value={m.deliveredAt} /> : <StatusBadge status="pending" />),
        },
        { key: 'attempts', header: 'Attempts', align: 'right', render: (m) => m.attempts },
        {
          key: 'last',
          header: 'Last answer',
          render: (m) => {
            const last = m.deliveries[m.deliveries.length - 1];
            return last ? (
              last.error ? (
                <span className="error-text">{last.error}</span>
              ) : (
                `HTTP ${last.statusCode ?? '—'}`
              )
            ) : (
              <span className="muted">—</span>
            );
          },
        },
      ]}
    />
  );
}
