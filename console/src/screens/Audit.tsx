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
import { EmptyState } from '../components/States';
import { customerPath, invoicePath, orderPath, returnPath } from '../links';
import { CursorPager } from '../finance/CursorPager';
import { Loaded } from '../finance/Loaded';
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
  const [params] = useSearchParams();
  const targetId = params.get('targetId') ?? '';
  const actor = params.get('actor') ?? '';
  const cursor = params.get('cursor') ?? '';
  const log = useQuery({
    queryKey: ['audit', targetId, actor, cursor],
    queryFn: ({ signal }) => api<Page<AuditEntry>>('/audit', { query: { targetId, actor, cursor, limit: 50 }, signal }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="muted">Every action taken through the API, newest first.</p>
      </div>
      <AuditFilters targetId={targetId} actor={actor} />
      <Loaded query={log} what="the audit log">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={targetId || actor ? 'No action matches these filters.' : 'No action recorded yet.'}>
              Retries, skips, holds, payments and other decisions are recorded here with their reason.
            </EmptyState>
          ) : (
            <>
              <Table<AuditEntry> caption="Audit log" columns={columns} rows={page.items} rowKey={(a) => a.id} />
              <CursorPager label="Audit pages" nextCursor={page.nextCursor} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

/** Object and actor filters: typed text stays local until applied, then goes to the URL. */
function AuditFilters({ targetId, actor }: { targetId: string; actor: string }) {
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState({ targetId, actor });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const p = new URLSearchParams();
    if (draft.targetId.trim()) p.set('targetId', draft.targetId.trim());
    if (draft.actor.trim()) p.set('actor', draft.actor.trim());
    setParams(p);
  };
  return (
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
  );
}
