/**
 * An action that changes something: a button that opens a dialog with the fields the API needs (a
 * reason where it requires one), sends it, and shows the API's refusal verbatim inside the dialog.
 * Roles that may not take the action get no button (or a disabled one with the reason, when the
 * caller passes `disabledReason`). The form is local state: a background refetch re-renders the
 * screen but never clears what is being typed.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../api';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'number' | 'date' | 'datetime-local' | 'radio';
  required?: boolean;
  options?: { value: string; label: string }[];
  defaultValue?: string;
  hint?: string;
  /** For type number: step (e.g. "0.01" for money). */
  step?: string;
}

/** The reason field most actions take; `required` as the API's schema says. */
export const reasonField = (required: boolean, label = 'Reason'): Field => ({
  name: 'reason',
  label: required ? label : `${label} (optional)`,
  type: 'textarea',
  required,
  hint: required
    ? "Required: kept in the audit log with your key's name."
    : "Kept in the audit log with your key's name.",
});

export interface ActionButtonProps {
  label: string;
  /** Title of the dialog; the label when omitted. */
  title?: string;
  /** A sentence saying what will happen. */
  description?: string;
  fields?: Field[];
  confirmLabel?: string;
  tone?: 'primary' | 'danger' | 'default';
  /** When set, the button is shown disabled with this reason next to it. */
  disabledReason?: string;
  /** Sends the action; throw (ApiError) to keep the dialog open with the API's reason. */
  onSubmit: (values: Record<string, string>) => Promise<unknown>;
  /** Called after a successful submit (e.g. to announce it). */
  onDone?: (result: unknown) => void;
  className?: string;
}

export function ActionButton({
  label,
  title,
  description,
  fields = [],
  confirmLabel,
  tone = 'default',
  disabledReason,
  onSubmit,
  onDone,
  className,
}: ActionButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const reasonId = `${id}-disabled`;

  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const start = () => {
    setValues(
      Object.fromEntries(
        fields.map((f) => [
          f.name,
          f.defaultValue ?? (f.type === 'radio' || f.type === 'select' ? (f.options?.[0]?.value ?? '') : ''),
        ]),
      ),
    );
    setError(null);
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await onSubmit(values);
      setOpen(false);
      onDone?.(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problem = error ? describeError(error) : null;
  return (
    <span className={`action ${className ?? ''}`}>
      <button
        type="button"
        className={`btn btn-${tone}`}
        onClick={start}
        disabled={disabledReason !== undefined}
        aria-describedby={disabledReason ? reasonId : undefined}
      >
        {label}
      </button>
      {disabledReason && (
        <span id={reasonId} className="disabled-reason">
          {disabledReason}
        </span>
      )}
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
            <h2 id={`${id}-title`}>{title ?? label}</h2>
            {description && <p>{description}</p>}
            {fields.map((f) => (
              <FieldInput
                key={f.name}
                id={`${id}-${f.name}`}
                field={f}
                value={values[f.name] ?? ''}
                onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
              />
            ))}
            {problem && (
              <div className="problem" role="alert">
                <strong>Refused: {problem.title}</strong>
                <p className="problem-detail">{problem.detail}</p>
              </div>
            )}
            <div className="dialog-buttons">
              <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
                Cancel
              </button>
              <button type="submit" className={`btn btn-${tone === 'default' ? 'primary' : tone}`} disabled={busy}>
                {busy ? 'Sending…' : (confirmLabel ?? label)}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </span>
  );
}

function FieldInput({
  id,
  field,
  value,
  onChange,
}: {
  id: string;
  field: Field;
  value: string;
  onChange: (value: string) => void;
}) {
  const hintId = field.hint ? `${id}-hint` : undefined;
  if (field.type === 'radio') {
    return (
      <fieldset className="field">
        <legend>{field.label}</legend>
        {field.options?.map((o) => (
          <label key={o.value} className="radio">
            <input
              type="radio"
              name={id}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              required={field.required}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {field.type === 'textarea' ? (
        <textarea
          id={id}
          name={field.name}
          value={value}
          required={field.required}
          rows={3}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : field.type === 'select' ? (
        <select
          id={id}
          name={field.name}
          value={value}
          required={field.required}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.target.value)}
        >
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={field.name}
          type={field.type ?? 'text'}
          value={value}
          required={field.required}
          step={field.step}
          aria-describedby={hintId}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {field.hint && (
        <small id={hintId} className="hint">
          {field.hint}
        </small>
      )}
    </div>
  );
}
