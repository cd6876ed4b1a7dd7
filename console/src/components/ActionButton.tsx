/**
 * An action that changes something: a button that opens a dialog with the fields the API needs (a
 * reason where it requires one), sends it, and shows the API's refusal verbatim inside the dialog.
 * Roles that may not take the action get no button (or a disabled one with the reason, when the
 * caller passes `disabledReason`). The form is local state: a background refetch re-renders the
 * screen but never clears what is being typed.
 */
import { useId, useState, type FormEvent } from 'react';
import { FieldInput } from './FieldInput';
import { ModalForm, useModalForm, type Tone } from './ModalForm';

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
  tone?: Tone;
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
  const form = useModalForm();
  const [values, setValues] = useState<Record<string, string>>({});
  const id = useId();
  const reasonId = `${id}-disabled`;

  const start = () => {
    setValues(Object.fromEntries(fields.map((f) => [f.name, initialValue(f)])));
    form.show();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.send(() => onSubmit(values), onDone);
  };

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
      {form.open && (
        <ModalForm
          form={form}
          id={id}
          title={title ?? label}
          intro={description && <p>{description}</p>}
          tone={tone}
          confirmLabel={confirmLabel ?? label}
          onSubmit={submit}
        >
          {fields.map((f) => (
            <FieldInput
              key={f.name}
              id={`${id}-${f.name}`}
              field={f}
              value={values[f.name] ?? ''}
              onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            />
          ))}
        </ModalForm>
      )}
    </span>
  );
}

/** A field's value when the dialog opens: its default, else a choice's first option, else empty. */
function initialValue(f: Field): string {
  return f.defaultValue ?? (f.type === 'radio' || f.type === 'select' ? (f.options?.[0]?.value ?? '') : '');
}
