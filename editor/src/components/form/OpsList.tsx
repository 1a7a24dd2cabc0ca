import { useState, type DragEvent } from 'react';
import type { ListField } from '../../lib/schema-form.ts';
import { errorsUnder, type FieldErrors } from '../../lib/schema-form-issues.ts';
import { moveItem } from '../../lib/schema-form-values.ts';
import { fieldDomId } from './form-env.ts';
import { SchemaForm } from './SchemaForm.tsx';

const STEP_DRAG_TYPE = 'application/topicflow-step';

interface OpsListProps {
  field: ListField;
  formId: string;
  path: string;
  value: unknown;
  onChange(value: unknown): void;
  errors: FieldErrors;
}

/**
 * A list of objects of several kinds (the transform's steps): each item a card with its kind
 * select and its own fields; add, remove, move up/down or drag to reorder.
 */
export function OpsList({ field, formId, path, value, onChange, errors }: OpsListProps) {
  // Without a value the server uses the default list: show it as the items it will be.
  const items = (Array.isArray(value) ? value : Array.isArray(field.default) ? field.default : []) as Record<string, unknown>[];
  const [dragFrom, setDragFrom] = useState<number | undefined>();
  const [dropAt, setDropAt] = useState<number | undefined>();
  const key = field.discriminator;
  const listErrors = (errors[path] ?? []).filter(Boolean);
  const set = (next: Record<string, unknown>[]) => onChange(next);

  const onDrop = (event: DragEvent, index: number) => {
    const from = Number(event.dataTransfer.getData(STEP_DRAG_TYPE));
    setDragFrom(undefined);
    setDropAt(undefined);
    if (!Number.isInteger(from) || from === index) return;
    event.preventDefault();
    set(moveItem(items, from, index));
  };

  return (
    <div className="sf-field sf-list" data-field={path} role="group" aria-labelledby={`${fieldDomId(formId, path)}-label`}>
      <div className="sf-list-head">
        <span className="sf-label" id={`${fieldDomId(formId, path)}-label`}>
          {field.label}
        </span>
        {field.help && <p className="sf-help">{field.help}</p>}
      </div>
      {listErrors.length > 0 && (
        <div className="sf-errors" role="alert">
          {listErrors.map((m) => (
            <p key={m} className="sf-error">
              {m}
            </p>
          ))}
        </div>
      )}
      <ol className="sf-steps">
        {items.map((item, index) => {
          const variant = field.variants.find((v) => v.value === item[key]);
          const itemPath = `${path}.${index}`;
          const kindErrors = errorsUnder(errors, `${itemPath}.${key}`);
          const invalid = errorsUnder(errors, itemPath).length > 0;
          const selectId = fieldDomId(formId, `${itemPath}.${key}`);
          return (
            <li
              key={index}
              className={`sf-step${invalid ? ' sf-invalid' : ''}${dragFrom === index ? ' sf-dragging' : ''}${dropAt === index && dragFrom !== index ? ' sf-drop-target' : ''}`}
              data-field={itemPath}
              onDragOver={(e) => {
                if (!e.dataTransfer.types.includes(STEP_DRAG_TYPE)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                setDropAt(index);
              }}
              onDragLeave={() => setDropAt((at) => (at === index ? undefined : at))}
              onDrop={(e) => onDrop(e, index)}
            >
              <div className="sf-step-head">
                <span
                  className="sf-step-grip"
                  draggable
                  title="Drag to reorder"
                  aria-hidden="true"
                  onDragStart={(e) => {
                    e.dataTransfer.setData(STEP_DRAG_TYPE, String(index));
                    e.dataTransfer.effectAllowed = 'move';
                    const card = e.currentTarget.closest('li');
                    if (card) e.dataTransfer.setDragImage(card, 12, 12);
                    setDragFrom(index);
                  }}
                  onDragEnd={() => {
                    setDragFrom(undefined);
                    setDropAt(undefined);
                  }}
                >
                  ⋮⋮
                </span>
                <span className="sf-step-number">{index + 1}</span>
                <select
                  id={selectId}
                  className="sf-input sf-select sf-step-kind"
                  aria-label={`Step ${index + 1}`}
                  aria-invalid={kindErrors.length > 0 || undefined}
                  value={variant ? variant.value : ''}
                  onChange={(e) => {
                    const next = field.variants.find((v) => v.value === e.target.value);
                    if (next) set(items.map((it, i) => (i === index ? structuredClone(next.defaults) : it)));
                  }}
                >
                  {!variant && <option value="">{String(item[key] ?? 'choose…')} (unknown)</option>}
                  {field.variants.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </select>
                <div className="sf-step-actions">
                  <button type="button" className="sf-icon-button" aria-label={`Move step ${index + 1} up`} title="Move up" disabled={index === 0} onClick={() => set(moveItem(items, index, index - 1))}>
                    ↑
                  </button>
                  <button type="button" className="sf-icon-button" aria-label={`Move step ${index + 1} down`} title="Move down" disabled={index === items.length - 1} onClick={() => set(moveItem(items, index, index + 1))}>
                    ↓
                  </button>
                  <button type="button" className="sf-icon-button sf-danger" aria-label={`Remove step ${index + 1}`} title="Remove" onClick={() => set(items.filter((_, i) => i !== index))}>
                    ✕
                  </button>
                </div>
              </div>
              {kindErrors.map((m) => (
                <p key={m} className="sf-error" role="alert">
                  {m}
                </p>
              ))}
              {variant?.help && <p className="sf-help sf-step-help">{variant.help}</p>}
              {variant && variant.fields.length > 0 && (
                <SchemaForm
                  fields={variant.fields}
                  value={item}
                  onChange={(next) => set(items.map((it, i) => (i === index ? next : it)))}
                  errors={errors}
                  basePath={itemPath}
                  formId={formId}
                />
              )}
            </li>
          );
        })}
      </ol>
      <select
        className="sf-input sf-select sf-add-step"
        aria-label="Add a step"
        value=""
        onChange={(e) => {
          const variant = field.variants.find((v) => v.value === e.target.value);
          if (variant) set([...items, structuredClone(variant.defaults)]);
        }}
      >
        <option value="">+ Add a step…</option>
        {field.variants.map((v) => (
          <option key={v.value} value={v.value}>
            {v.label}
            {v.help ? ` — ${v.help}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
