/**
 * A button that opens a modal form whose fields depend on each other (a payment whose amount follows
 * the option picked, an inspection with a row per line): the same behaviour as ActionButton (the API's
 * refusal shown verbatim inside the dialog, typed values kept across background refreshes), with the
 * form's body supplied by the caller.
 */
import { useId, type FormEvent, type ReactNode } from 'react';
import { ModalForm, useModalForm, type Tone } from '../components/ModalForm';

export interface FormDialogProps {
  label: string;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  tone?: Tone;
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
  const form = useModalForm();
  const id = useId();

  const start = () => {
    onOpen?.();
    form.show();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = validate?.();
    if (invalid) {
      form.refuse({ title: 'Check the form', detail: invalid });
      return;
    }
    void form.send(onSubmit, onDone);
  };

  return (
    <span className="action">
      <button type="button" className={`btn btn-${tone}`} onClick={start} data-testid={testId}>
        {label}
      </button>
      {form.open && (
        <ModalForm
          form={form}
          id={id}
          title={title}
          intro={description && <div className="dialog-description">{description}</div>}
          tone={tone}
          confirmLabel={confirmLabel}
          onSubmit={submit}
        >
          {children(id)}
        </ModalForm>
      )}
    </span>
  );
}
