import type { BooleanField, EnumField, FieldDescriptor, JsonField, NumberField, TextField, TupleField } from '../../lib/schema-form.ts';
import { jsonToText, numberToText, textToJson, textToNumber } from '../../lib/schema-form-values.ts';
import { useDraft } from './use-draft.ts';

/** What every field control gets from the form. */
export interface ControlProps<F extends FieldDescriptor = FieldDescriptor> {
  field: F;
  id: string;
  /** Dotted path of the field from the top of the form (`ops.1.path`). */
  path: string;
  value: unknown;
  /** `undefined` removes the key, so the schema's default applies. */
  onChange(value: unknown): void;
  invalid: boolean;
  describedBy?: string | undefined;
  /** Inline layout without member labels (a tuple next to the threshold's condition select). */
  compact?: boolean;
}

/** What an empty input shows: the default the server will use, else an example. */
export function placeholderOf(field: FieldDescriptor): string | undefined {
  if (field.default !== undefined) {
    if (field.kind === 'json') return field.default === '' ? '(empty text)' : jsonToText(field.default);
    if (field.default === '') return field.placeholder;
    return String(field.default);
  }
  return field.placeholder;
}

function aria(props: ControlProps) {
  return {
    id: props.id,
    'aria-invalid': props.invalid || undefined,
    'aria-describedby': props.describedBy,
    'aria-required': props.field.required || undefined,
  };
}

export function TextInput(props: ControlProps<TextField> & { multiline?: boolean; mono?: boolean }) {
  const { field, value, onChange } = props;
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  const change = (next: string) => onChange(next === '' && !field.required ? undefined : next);
  const common = {
    ...aria(props),
    className: `sf-input${props.mono ? ' sf-mono' : ''}`,
    value: text,
    placeholder: placeholderOf(field),
    spellCheck: false,
    autoComplete: 'off',
    maxLength: field.maxLength,
  };
  if (props.multiline) return <textarea {...common} rows={Math.min(8, Math.max(2, text.split('\n').length))} onChange={(e) => change(e.target.value)} />;
  return <input {...common} type="text" onChange={(e) => change(e.target.value)} />;
}

export function NumberInput(props: ControlProps<NumberField> & { label?: string }) {
  const { field, value, onChange } = props;
  const [text, setText] = useDraft(value, numberToText, textToNumber);
  return (
    <input
      {...aria(props)}
      {...(props.label ? { 'aria-label': props.label } : {})}
      className="sf-input sf-number"
      type="text"
      inputMode={field.integer && (field.min ?? -1) >= 0 ? 'numeric' : 'decimal'}
      value={text}
      placeholder={placeholderOf(field)}
      autoComplete="off"
      onChange={(e) => {
        setText(e.target.value);
        onChange(textToNumber(e.target.value));
      }}
    />
  );
}

export function BooleanInput(props: ControlProps<BooleanField>) {
  const { field, value, onChange } = props;
  const checked = typeof value === 'boolean' ? value : field.default === true;
  return <input {...aria(props)} className="sf-checkbox" type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />;
}

export function EnumSelect(props: ControlProps<EnumField>) {
  const { field, value, onChange } = props;
  const current = value ?? field.default;
  const index = field.options.findIndex((o) => o.value === current);
  return (
    <select {...aria(props)} className="sf-input sf-select" value={index < 0 ? '' : String(index)} onChange={(e) => onChange(e.target.value === '' ? undefined : field.options[Number(e.target.value)]!.value)}>
      {index < 0 && <option value="">{current === undefined ? 'choose…' : `${String(current)} (not a valid choice)`}</option>}
      {field.options.map((option, i) => (
        <option key={String(option.value)} value={String(i)}>
          {option.label}
          {option.value === field.default ? ' (default)' : ''}
        </option>
      ))}
    </select>
  );
}

/** Any JSON value typed as text; a badge says what it will be sent as. */
export function JsonInput(props: ControlProps<JsonField>) {
  const { field, value, onChange } = props;
  const [text, setText] = useDraft(value, jsonToText, (t) => (t === '' ? undefined : textToJson(t).value));
  const reading = text === '' ? undefined : textToJson(text);
  const shown = reading ?? (field.default !== undefined ? { kind: textToJson(jsonToText(field.default)).kind, note: undefined } : undefined);
  return (
    <div className="sf-json">
      <input
        {...aria(props)}
        className="sf-input sf-mono"
        type="text"
        value={text}
        placeholder={placeholderOf(field)}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value === '' ? undefined : textToJson(e.target.value).value);
        }}
      />
      {shown && (
        <span className={`sf-kind${shown.note ? ' sf-kind-warn' : ''}`} title={shown.note ?? 'What this value is sent as. Put text in "quotes" to send 25 or true as text.'}>
          {shown.kind}
        </span>
      )}
      {reading?.note && <p className="sf-note">{reading.note}</p>}
    </div>
  );
}

/** `[low, high]`: one number input per member; compact: `[low] to [high]` on one line. */
export function TupleInput(props: ControlProps<TupleField>) {
  const { field, value, onChange, compact } = props;
  const items = Array.isArray(value) ? value : [];
  const member = (item: FieldDescriptor, i: number) =>
    item.kind === 'number' ? (
      <NumberInput
        field={compact ? { ...item, placeholder: item.label } : item}
        id={i === 0 ? props.id : `${props.id}-${i}`}
        path={`${props.path}.${i}`}
        value={items[i]}
        invalid={props.invalid}
        describedBy={props.describedBy}
        {...(compact ? { label: item.label } : {})}
        onChange={(v) => {
          const next = field.items.map((_, j) => (j === i ? v : items[j]));
          onChange(next.every((x) => x === undefined) ? undefined : next);
        }}
      />
    ) : (
      <span className="sf-note">unsupported</span>
    );
  if (compact) {
    return (
      <div className="sf-tuple sf-tuple-compact">
        {field.items.map((item, i) => (
          <span key={item.key} className="sf-tuple-part">
            {i > 0 && <span className="sf-tuple-sep">to</span>}
            {member(item, i)}
          </span>
        ))}
      </div>
    );
  }
  return (
    <div className="sf-tuple">
      {field.items.map((item, i) => (
        <label key={item.key} className="sf-tuple-item">
          <span className="sf-tuple-label">{item.label}</span>
          {member(item, i)}
        </label>
      ))}
    </div>
  );
}
