import type { TextField } from '../../lib/schema-form.ts';
import { numericLeaves, sampleBeforeOp } from '../../lib/schema-form-paths.ts';
import { useEditor } from '../../store/editor-store.ts';
import { Combobox, type ComboOption } from './Combobox.tsx';
import { useFormEnv } from './form-env.ts';
import { placeholderOf, type ControlProps } from './inputs.tsx';
import { payloadPreview, refreshSeenTopics, useSeenTopics } from './use-seen-topics.ts';

/** `ops.2.path` → 2: which step of the transform the field belongs to. */
function stepIndex(path: string): number {
  const match = /(?:^|\.)ops\.(\d+)\./.exec(path);
  return match ? Number(match[1]) : 0;
}

function shortValue(value: number | string): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

/**
 * The `path` of a transform step: offers the numeric fields of the payload that reaches the
 * step (the last message seen on the topic of the mqtt-in feeding the node) as `path = value`.
 */
export function PathPicker(props: ControlProps<TextField>) {
  const { field, value, onChange } = props;
  const env = useFormEnv();
  const seen = useSeenTopics();
  const text = typeof value === 'string' ? value : '';

  const sample = () => {
    if (!env.nodeId) return undefined;
    const { nodes, edges } = useEditor.getState();
    return sampleBeforeOp(env.nodeId, stepIndex(props.path), nodes, edges, seen.topics);
  };
  const current = sample();
  const leaves = current ? numericLeaves(current.payload) : [];

  const options = (typed: boolean): ComboOption[] => {
    const needle = typed ? text.trim().toLowerCase() : '';
    const hits = needle ? leaves.filter((l) => l.path.toLowerCase().includes(needle)) : leaves;
    return hits.map((leaf) => ({ value: leaf.path, label: `${leaf.path} = ${shortValue(leaf.value)}` }));
  };

  return (
    <Combobox
      id={props.id}
      value={text}
      onChange={(next) => onChange(next === '' && !field.required ? undefined : next)}
      options={options}
      onOpen={() => void refreshSeenTopics(2000)}
      placeholder={placeholderOf(field)}
      invalid={props.invalid}
      describedBy={props.describedBy}
      header={
        current ? (
          <>
            Numeric fields of the last message on <code>{current.topic || '(inject)'}</code>
          </>
        ) : undefined
      }
      emptyText={
        current
          ? `This payload has no numeric field: ${payloadPreview({ payload: typeof current.payload === 'string' ? current.payload : (JSON.stringify(current.payload) ?? ''), binary: false }, 60)}`
          : 'No message seen upstream yet: wire an mqtt-in to this node and deploy, and its fields show up here.'
      }
    />
  );
}
