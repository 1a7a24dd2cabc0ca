import { useId, useState, type ReactNode } from 'react';
import type { ChoiceField, FieldDescriptor, ObjectField, TextField } from '../../lib/schema-form.ts';
import { errorsUnder, type FieldErrors } from '../../lib/schema-form-issues.ts';
import { currentChoice, seedObject, switchChoice, withField } from '../../lib/schema-form-values.ts';
import { TopicPicker } from '../TopicPicker.tsx';
import { BrokerSelect } from './BrokerSelect.tsx';
import { FieldShell, describedBy } from './FieldShell.tsx';
import { fieldDomId } from './form-env.ts';
import { BooleanInput, EnumSelect, JsonInput, NumberInput, TextInput, TupleInput, type ControlProps } from './inputs.tsx';
import { OpsList } from './OpsList.tsx';
import { PathPicker } from './PathPicker.tsx';

export interface SchemaFormProps {
  fields: readonly FieldDescriptor[];
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  errors: FieldErrors;
  /** Path of `value` from the top of the form ('' at the top, `ops.2` inside a step). */
  basePath?: string;
  /** Prefix of DOM ids; forms inside a form pass theirs on. */
  formId?: string;
  /** Extra content after the field with that key (the broker password after the user name). */
  after?: Record<string, ReactNode>;
}

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** A form drawn from field descriptors: each field with its label, help, default and errors. */
export function SchemaForm(props: SchemaFormProps) {
  const ownId = useId().replace(/:/g, '');
  const formId = props.formId ?? `sf${ownId}`;
  const { fields, value, onChange, errors, basePath = '' } = props;
  const normal = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);
  const advancedInUse = advanced.some((f) => value[f.key] !== undefined || errorsUnder(errors, join(basePath, f.key)).length > 0);
  const [open, setOpen] = useState(advancedInUse);

  const render = (field: FieldDescriptor) => (
    <FieldView key={field.key} field={field} formId={formId} basePath={basePath} object={value} onObjectChange={onChange} errors={errors} after={props.after?.[field.key]} />
  );
  return (
    <div className="sf-form">
      {normal.map(render)}
      {advanced.length > 0 && (
        <details className="sf-more" open={open || advancedInUse} onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>More options</summary>
          {advanced.map(render)}
        </details>
      )}
    </div>
  );
}

interface FieldViewProps {
  field: FieldDescriptor;
  formId: string;
  basePath: string;
  /** The object holding the field. */
  object: Record<string, unknown>;
  onObjectChange(next: Record<string, unknown>): void;
  errors: FieldErrors;
  after?: ReactNode;
}

function FieldView({ field, formId, basePath, object, onObjectChange, errors, after }: FieldViewProps) {
  const path = join(basePath, field.key);
  const id = fieldDomId(formId, path);
  if (field.kind === 'choice') return <ChoiceView field={field} formId={formId} basePath={basePath} object={object} onObjectChange={onObjectChange} errors={errors} />;
  if (field.kind === 'object') return <ObjectGroup field={field} formId={formId} path={path} object={object} onObjectChange={onObjectChange} errors={errors} />;
  const value = object[field.key];
  const onChange = (next: unknown) => onObjectChange(withField(object, field.key, next));
  if (field.kind === 'list') {
    return <OpsList field={field} formId={formId} path={path} value={value} onChange={onChange} errors={errors} />;
  }
  const messages = errorsUnder(errors, path);
  const described = describedBy(id, messages, field.help);
  const control: ControlProps = { field, id, path, value, onChange, invalid: messages.length > 0, describedBy: described };
  return (
    <>
      <FieldShell
        id={id}
        path={path}
        label={field.label}
        help={field.help}
        unit={field.unit}
        errors={messages}
        required={field.required}
        layout={field.kind === 'boolean' ? 'check' : field.kind === 'tuple' ? 'group' : 'stack'}
      >
        <Control {...control} />
      </FieldShell>
      {after}
    </>
  );
}

/** The input for one field kind (and widget). */
export function Control(props: ControlProps) {
  const { field } = props;
  switch (field.kind) {
    case 'text':
      return <TextControl {...(props as ControlProps<TextField>)} />;
    case 'number':
      return <NumberInput {...props} field={field} />;
    case 'boolean':
      return <BooleanInput {...props} field={field} />;
    case 'enum':
      return <EnumSelect {...props} field={field} />;
    case 'tuple':
      return <TupleInput {...props} field={field} />;
    default:
      return <JsonInput {...props} field={{ ...field, kind: 'json' }} />;
  }
}

function TextControl(props: ControlProps<TextField>) {
  switch (props.field.widget) {
    case 'broker':
      return <BrokerSelect {...props} />;
    case 'topic-filter':
      return <TopicPicker {...props} mode="filter" />;
    case 'topic-name':
      return <TopicPicker {...props} mode="name" />;
    case 'payload-path':
      return <PathPicker {...props} />;
    case 'multiline':
      return <TextInput {...props} multiline mono />;
    case 'file':
      return <TextInput {...props} mono />;
    default:
      return <TextInput {...props} />;
  }
}

/** Exactly one of several keys: a select of which, then the input of the chosen one. */
function ChoiceView({ field, formId, basePath, object, onObjectChange, errors }: Omit<FieldViewProps, 'field'> & { field: ChoiceField }) {
  const chosen = currentChoice(object, field);
  const option = field.options.find((o) => o.key === chosen);
  const id = fieldDomId(formId, join(basePath, field.key));
  const optionPath = chosen ? join(basePath, chosen) : '';
  const messages = [
    ...errorsUnder(errors, join(basePath, field.key)),
    ...field.options.flatMap((o) => errorsUnder(errors, join(basePath, o.key))),
  ].filter((m, i, all) => all.indexOf(m) === i);
  const described = describedBy(id, messages, option?.help);
  return (
    <FieldShell id={id} path={join(basePath, field.key)} label={field.label} help={option?.help ?? field.help} errors={messages} required>
      <div className="sf-choice">
        <select
          id={id}
          className="sf-input sf-select sf-choice-select"
          value={chosen ?? ''}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={described}
          onChange={(e) => onObjectChange(switchChoice(object, field, e.target.value))}
        >
          {!chosen && <option value="">choose…</option>}
          {field.options.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
        {option && (
          <div className="sf-choice-value">
            <Control
              field={option}
              id={`${id}-value`}
              path={optionPath}
              value={object[option.key]}
              invalid={messages.length > 0}
              describedBy={described}
              compact
              onChange={(next) => onObjectChange(withField(object, option.key, next))}
            />
          </div>
        )}
      </div>
    </FieldShell>
  );
}

/** A nested object (TLS, Last Will); when optional, a checkbox switches it on and off. */
function ObjectGroup({ field, formId, path, object, onObjectChange, errors }: Omit<FieldViewProps, 'field' | 'basePath'> & { field: ObjectField; path: string }) {
  const value = object[field.key];
  const on = value !== undefined && value !== null && typeof value === 'object';
  const id = fieldDomId(formId, path);
  return (
    <fieldset className={`sf-group${on ? ' sf-group-on' : ''}`} data-field={path}>
      <legend>
        {field.required ? (
          field.label
        ) : (
          <label className="sf-group-toggle">
            <input type="checkbox" id={id} checked={on} onChange={(e) => onObjectChange(withField(object, field.key, e.target.checked ? seedObject(field) : undefined))} />
            {field.label}
          </label>
        )}
      </legend>
      {field.help && <p className="sf-help">{field.help}</p>}
      {on && (
        <SchemaForm
          fields={field.fields}
          value={value as Record<string, unknown>}
          onChange={(next) => onObjectChange(withField(object, field.key, next))}
          errors={errors}
          basePath={path}
          formId={formId}
        />
      )}
    </fieldset>
  );
}
