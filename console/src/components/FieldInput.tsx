/** One field of an ActionButton's form: a radio group, a textarea, a select or an input, with its hint. */
import type { Field } from './ActionButton';

export function FieldInput({
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
