/**
 * The modal form behind every action: a `<dialog>` opened with showModal (focus trapped, Escape
 * cancels unless a send is under way), a title, the fields, the API's refusal verbatim, Cancel and
 * the confirm button. ActionButton and FormDialog differ only in how they build the fields.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { describeError } from '../api';
import { Refusal } from './States';

export type Tone = 'primary' | 'danger' | 'default';

interface Problem {
  title: string;
  detail: string;
}

/** Whether the dialog is open, whether a send is under way, and the refusal of the last one. */
export function useModalForm() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const show = () => {
    setProblem(null);
    setOpen(true);
  };
  /** Sends; closes the dialog on success, keeps it open with the API's reason on a refusal. */
  const send = async (action: () => Promise<unknown>, onDone?: (result: unknown) => void) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await action();
      setOpen(false);
      onDone?.(result);
    } catch (e) {
      setProblem(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return { dialog, open, busy, problem, show, send, close: () => setOpen(false), refuse: setProblem };
}

export type ModalFormState = ReturnType<typeof useModalForm>;

export function ModalForm({
  form,
  id,
  title,
  intro,
  tone,
  confirmLabel,
  onSubmit,
  children,
}: {
  form: ModalFormState;
  /** Prefix of the ids inside; the title's id is `${id}-title`. */
  id: string;
  title: string;
  /** What comes between the title and the fields. */
  intro: ReactNode;
  tone: Tone;
  confirmLabel: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  const { dialog, busy, problem, close } = form;
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) close();
      }}
    >
      <form onSubmit={onSubmit}>
        <h2 id={`${id}-title`}>{title}</h2>
        {intro}
        {children}
        {problem && <Refusal problem={problem} />}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className={`btn btn-${tone === 'default' ? 'primary' : tone}`} disabled={busy}>
            {busy ? 'Sending…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
