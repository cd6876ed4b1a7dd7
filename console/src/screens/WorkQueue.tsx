/**
 * Home: what needs a person now, from GET /v1/work-queue: a count per section (links to jump there)
 * and each section's rows linking to their object.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, Navigate } from 'react-router';
import { useCan } from '../auth';
import { api } from '../api';
import type { WorkQueue } from '../types';
import { DateTime } from '../components/Format';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { workItemPath } from '../links';

export function WorkQueueScreen() {
  const can = useCan();
  const allowed = can('GET /v1/work-queue');
  const queue = useQuery({
    queryKey: ['work-queue'],
    queryFn: ({ signal }) => api<WorkQueue>('/work-queue', { signal }),
    enabled: allowed,
  });
  // A role without the work queue (crm) starts at the orders list.
  if (!allowed) return <Navigate to="/orders" replace />;

  return (
    <>
      <div className="page-head">
        <h1>Work queue</h1>
        {queue.data && (
          <p className="muted">
            Updated <DateTime value={queue.data.generatedAt} />, refreshes by itself.
          </p>
        )}
      </div>
      {queue.isPending ? (
        <Loading what="the work queue" />
      ) : queue.isError ? (
        <ErrorState error={queue.error} what="the work queue" onRetry={() => void queue.refetch()} />
      ) : (
        <Sections queue={queue.data} />
      )}
    </>
  );
}

/** Sections the orders list can filter on, for more rows than the work queue lists. */
const SECTION_FILTERS: Record<string, string> = {
  needs_attention: 'needsAttention=true',
  sla_breached: 'slaBreached=true',
};

function Sections({ queue }: { queue: WorkQueue }) {
  const total = queue.sections.reduce((sum, s) => sum + s.count, 0);
  return (
    <>
      <nav aria-label="Work queue sections" className="counts">
        <ul>
          {queue.sections.map((s) => (
            <li key={s.key} className={s.count > 0 ? 'count has-work' : 'count'}>
              <a href={`#section-${s.key}`} data-testid={`count-${s.key}`}>
                <span className="count-number">{s.count}</span>
                <span className="count-label">{s.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {total === 0 && (
        <EmptyState title="Nothing needs you right now.">
          Stuck steps, SLA breaches, holds and escalations appear here as they happen.
        </EmptyState>
      )}
      {queue.sections
        .filter((s) => s.count > 0)
        .map((s) => (
          <section
            key={s.key}
            id={`section-${s.key}`}
            aria-labelledby={`heading-${s.key}`}
            className="queue-section"
            data-testid={`section-${s.key}`}
          >
            <h2 id={`heading-${s.key}`}>
              {s.label} <span className="badge badge-bad">{s.count}</span>
            </h2>
            <ul className="queue-items">
              {s.items.map((item) => (
                <li key={`${item.objectType}:${item.objectId}:${item.title}`}>
                  <Link to={workItemPath(item)} className="queue-item">
                    <span className="queue-title">{item.title}</span>
                    <span className="queue-detail">{item.detail}</span>
                    <span className="queue-at">
                      <DateTime value={item.at} />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
            {s.items.length < s.count && (
              <p className="muted">
                Showing the oldest {s.items.length} of {s.count}.
                {SECTION_FILTERS[s.key] && (
                  <>
                    {' '}
                    <Link to={`/orders?${SECTION_FILTERS[s.key]}`}>All of them in the orders list</Link>
                  </>
                )}
              </p>
            )}
          </section>
        ))}
    </>
  );
}
