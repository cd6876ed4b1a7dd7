/**
 * After an outage (a carrier API down, the ERP unreachable) many runs sit in needs_attention on the
 * same step. Pick the step, see how many and which (a dry run: nothing changes), then confirm to retry
 * them all with one reason. The API retries only the runs this role may act on.
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { describeError, post } from '../api';
import { notAllowedReason, useCan, useMe } from '../auth';
import { EmptyState, Refusal } from '../components/States';
import { Table } from '../components/Table';
import { useAnnounce } from '../components/Announcer';
import { INVOICE_STEPS, ORDER_STEPS } from '../steps';
import { invoicePath, orderPath } from '../links';

const PERMISSION = 'POST /v1/steps/:step/retry-all';

interface RetryAllResult {
  step: string;
  dryRun: boolean;
  stuck: number;
  runs: { runId: string; outcome: string }[];
}

export function BulkRetryScreen() {
  const can = useCan();
  const me = useMe();
  const retry = useBulkRetry();

  if (!can(PERMISSION)) {
    return (
      <>
        <h1>Bulk retry</h1>
        <EmptyState title={notAllowedReason(me, 'retry runs in bulk')}>
          Ops keys retry orders and shipments; finance keys retry invoices.
        </EmptyState>
      </>
    );
  }
  const shown = retry.result ?? retry.preview;
  return (
    <>
      <h1>Bulk retry</h1>
      <p className="muted">
        Retry every run stuck in needs attention on one step, for example after a carrier or ERP outage. A dry run
        counts them first; nothing changes until you confirm.
      </p>
      <BulkRetryForm retry={retry} />
      {shown && <Outcome shown={shown} />}
    </>
  );
}

/** The step and reason typed, the dry run's preview and the real run's result, and the send of both. */
function useBulkRetry() {
  const client = useQueryClient();
  const announce = useAnnounce();
  const [step, setStep] = useState('');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<RetryAllResult | null>(null);
  const [result, setResult] = useState<RetryAllResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await post<RetryAllResult>(`/steps/${encodeURIComponent(step.trim())}/retry-all`, {
        reason,
        dryRun,
      });
      if (dryRun) {
        setPreview(answer);
        setResult(null);
      } else {
        setResult(answer);
        setPreview(null);
        const retried = answer.runs.filter((r) => r.outcome === 'retried').length;
        announce(`Retried ${retried} of ${answer.stuck} run(s) stuck on ${answer.step}`);
        void client.invalidateQueries();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  /** A new step invalidates the preview: its count was for the old one. */
  const changeStep = (next: string) => {
    setStep(next);
    setPreview(null);
  };
  const problem = error ? describeError(error) : null;
  return { step, changeStep, reason, setReason, preview, result, busy, problem, send };
}

function BulkRetryForm({ retry }: { retry: ReturnType<typeof useBulkRetry> }) {
  const { step, reason, preview, busy, problem, send } = retry;
  const countStuck = (event: FormEvent) => {
    event.preventDefault();
    void send(true);
  };
  return (
    <form className="panel" onSubmit={countStuck} aria-label="Bulk retry">
      <div className="field">
        <label htmlFor="bulk-step">Step</label>
        <input
          id="bulk-step"
          list="bulk-steps"
          value={step}
          required
          onChange={(e) => retry.changeStep(e.target.value)}
          aria-describedby="bulk-step-hint"
        />
        <datalist id="bulk-steps">
          {[...ORDER_STEPS, ...INVOICE_STEPS].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <small id="bulk-step-hint" className="hint">
          The step's name as the order page shows it, e.g. book-carrier.
        </small>
      </div>
      <div className="field">
        <label htmlFor="bulk-reason">Reason</label>
        <textarea
          id="bulk-reason"
          value={reason}
          required
          rows={2}
          onChange={(e) => retry.setReason(e.target.value)}
          aria-describedby="bulk-reason-hint"
        />
        <small id="bulk-reason-hint" className="hint">
          Required: kept in the audit log of every run retried.
        </small>
      </div>
      <div className="actions">
        <button type="submit" className="btn" disabled={busy || !step.trim() || !reason.trim()}>
          {busy && !preview ? 'Counting…' : 'Dry run: count stuck runs'}
        </button>
        {preview && preview.stuck > 0 && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send(false)}>
            {busy ? 'Retrying…' : `Retry ${preview.stuck} run${preview.stuck === 1 ? '' : 's'} on ${preview.step}`}
          </button>
        )}
      </div>
      {problem && <Refusal problem={problem} />}
    </form>
  );
}

/** The dry run's count or the real run's outcome, run by run. */
function Outcome({ shown }: { shown: RetryAllResult }) {
  const runs = `run${shown.stuck === 1 ? '' : 's'}`;
  return (
    <section aria-labelledby="bulk-result" aria-live="polite">
      <h2 id="bulk-result" data-testid="bulk-summary">
        {shown.dryRun
          ? `Dry run: ${shown.stuck} ${runs} stuck on ${shown.step}`
          : `Retried ${shown.runs.filter((r) => r.outcome === 'retried').length} of ${shown.stuck} ${runs} on ${shown.step}`}
      </h2>
      {shown.runs.length === 0 ? (
        <EmptyState title={`No run you may retry is stuck on ${shown.step}.`} />
      ) : (
        <Table
          caption={shown.dryRun ? 'Runs that would be retried' : 'Outcome per run'}
          rows={shown.runs}
          rowKey={(r) => r.runId}
          columns={[
            {
              key: 'run',
              header: 'Run',
              render: (r) => (
                <Link
                  to={r.runId.startsWith('invoice-') ? invoicePath(r.runId) : orderPath(r.runId.replace(/-S\d+$/, ''))}
                >
                  {r.runId}
                </Link>
              ),
            },
            { key: 'outcome', header: shown.dryRun ? 'Would' : 'Outcome', render: (r) => r.outcome },
          ]}
        />
      )}
    </section>
  );
}
