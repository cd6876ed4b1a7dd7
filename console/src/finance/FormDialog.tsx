/**
 * A button that opens a modal form whose fields depend on each other (a payment whose amount follows
 * the option picked, an inspection with a row per line): the same behaviour as ActionButton (the API's
 * refusal shown verbatim inside the dialog, typed values kept across background refreshes), with the
 * form's body supplied by the caller.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { describeError } from '../api';

export interface FormDialogProps {
  label: string;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger' | 'default';
  /** Called each time the dialog opens: reset the form's state here. */
  onOpen?: () => void;
  /** The fields; ids should start with the `idPrefix` given. */
  children: (idPrefix: string) => ReactNode;
  /** Checks the values before sending; a string is shown as the refusal and nothing is sent. */
  validate?: () => string | undefined;
  onSubmit: () => Promise<unknown>;
  onDone?: (result: unknown) => void;
  testId?: string;
}

export function FormDialog({
  label,
  title,
  description,
  confirmLabel,
  tone = 'primary',
  onOpen,
  children,
  validate,
  onSubmit,
  onDone,
  testId,
}: FormDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; detail: string } | null>(null);
  const id = useId();

  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const start = () => {
    onOpen?.();
    setError(null);
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = validate?.();
    if (invalid) {
      setError({ title: 'Check the form', detail: invalid });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await onSubmit();
      setOpen(false);
      onDone?.(result);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="action">
      <button type="button" className={`btn btn-${tone}`} onClick={start} data-testid={testId}>
        {label}
      </button>
      {open && (
        <dialog
          ref={dialog}
          className="dialog"
          aria-labelledby={`${id}-title`}
          onCancel={(e) => {
            e.preventDefault();
            if (!busy) setOpen(false);
          }}
        >
          <form onSubmit={(e) => void submit(e)}>
            <h2 id={`${id}-title`}>{title}</h2>
            {description && <div className="dialog-description">{description}</div>}
            {children(id)}
            {error && (
              <div className="problem" role="alert">
                <strong>Refused: {error.title}</strong>
                <p className="problem-detail">{error.detail}</p>
              </div>
            )}
            <div className="dialog-buttons">
              <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
                Cancel
              </button>
              <button type="submit" className={`btn btn-${tone === 'default' ? 'primary' : tone}`} disabled={busy}>
                {busy ? 'Sending…' : confirmLabel}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </span>
  );
}
