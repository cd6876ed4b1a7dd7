/**
 * The audit log (admin and finance keys): every ops and finance action, newest first, with who did
 * it, why, and whether it went through. Filter by object or by actor; filters live in the URL.
 */
import '../finance/finance.css';
import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import { DateTime, StatusBadge } from '../components/Format';
import { Table, type Column } from '../components/Table';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { customerPath, invoicePath, orderPath, returnPath } from '../links';
import { RefreshFailed } from '../finance/RefreshFailed';
import type { AuditEntry } from '../finance/types';

function targetLink(a: AuditEntry) {
  const to =
    a.targetType === 'order'
      ? orderPath(a.targetId)
      : a.targetType === 'invoice'
        ? invoicePath(a.targetId)
        : a.targetType === 'return'
          ? returnPath(a.targetId)
          : a.targetType === 'customer'
            ? customerPath(a.targetId)
            : null;
  return to ? <Link to={to}>{a.targetId}</Link> : a.targetId;
}

const columns: Column<AuditEntry>[] = [
  { key: 'at', header: 'When', render: (a) => <DateTime value={a.at} /> },
  {
    key: 'actor',
    header: 'Who',
    render: (a) => (
      <>
        {a.actor} <span className="muted">({a.role})</span>
      </>
    ),
  },
  { key: 'action', header: 'Action', render: (a) => a.action },
  {
    key: 'target',
    header: 'On',
    render: (a) => (
      <>
        {a.targetType} {targetLink(a)}
      </>
    ),
  },
  { key: 'reason', header: 'Reason', render: (a) => a.reason ?? <span className="muted">—</span> },
  { key: 'outcome', header: 'Outcome', render: (a) => <StatusBadge status={a.outcome} /> },
];

export function AuditScreen() {
  const [params, setParams] = useSearchParams();
  const targetId = params.get('targetId') ?? '';
  const actor = params.get('actor') ?? '';
  const cursor = params.get('cursor') ?? '';
  const log = useQuery({
    queryKey: ['audit', targetId, actor, cursor],
    queryFn: ({ signal }) => api<Page<AuditEntry>>('/audit', { query: { targetId, actor, cursor, limit: 50 }, signal }),
    placeholderData: keepPreviousData,
  });
  const [draft, setDraft] = useState({ targetId, actor });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const p = new URLSearchParams();
    if (draft.targetId.trim()) p.set('targetId', draft.targetId.trim());
    if (draft.actor.trim()) p.set('actor', draft.actor.trim());
    setParams(p);
  };

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="muted">Every action taken through the API, newest first.</p>
      </div>
      <form className="filters" role="search" aria-label="Audit filters" onSubmit={apply}>
        <div className="field">
          <label htmlFor="audit-target">Object id</label>
          <input
            id="audit-target"
            value={draft.targetId}
            onChange={(e) => setDraft((d) => ({ ...d, targetId: e.target.value }))}
            placeholder="order, invoice or return id"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input
            id="audit-actor"
            value={draft.actor}
            onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))}
            placeholder="key name"
          />
        </div>
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
      </form>
      {log.isError && log.data !== undefined && <RefreshFailed error={log.error} what="the audit log" />}
      {log.data === undefined ? (
        log.isError ? (
          <ErrorState error={log.error} what="the audit log" onRetry={() => void log.refetch()} />
        ) : (
          <Loading what="the audit log" />
        )
      ) : log.data.items.length === 0 ? (
        <EmptyState title={targetId || actor ? 'No action matches these filters.' : 'No action recorded yet.'}>
          Retries, skips, holds, payments and other decisions are recorded here with their reason.
        </EmptyState>
      ) : (
        <>
          <Table<AuditEntry> caption="Audit log" columns={columns} rows={log.data.items} rowKey={(a) => a.id} />
          <nav className="pager" aria-label="Audit pages">
            {cursor && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  const p = new URLSearchParams(params);
                  p.delete('cursor');
                  setParams(p);
                }}
              >
                First page
              </button>
            )}
            {log.data.nextCursor && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  const p = new URLSearchParams(params);
                  p.set('cursor', log.data.nextCursor!);
                  setParams(p);
                }}
              >
                Next page
              </button>
            )}
          </nav>
        </>
      )}
    </>
  );
}
