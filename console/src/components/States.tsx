/** Loading, empty and error states: every screen uses these, so none of them is accidental. */
import type { ReactNode } from 'react';
import { describeError } from '../api';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-hint">{children}</div>}
    </div>
  );
}

/** The API's problem detail verbatim, with a way to try again. */
export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const { title, detail } = describeError(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        Could not load {what}: {title}
      </p>
      <p className="problem-detail">{detail}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** An action the API refused, in its words, where the action was taken (a dialog, a form). */
export function Refusal({ problem }: { problem: { title: string; detail: string } }) {
  return (
    <div className="problem" role="alert">
      <strong>Refused: {problem.title}</strong>
      <p className="problem-detail">{problem.detail}</p>
    </div>
  );
}
