import { useEffect } from 'react';
import type { SeenTopic } from '../../../nodes/protocol.ts';
import type { TextField } from '../lib/schema-form.ts';
import { suggestTopics, topicsMatching } from '../lib/schema-form-paths.ts';
import { Combobox, type ComboOption } from './form/Combobox.tsx';
import { useFormEnv } from './form/form-env.ts';
import { placeholderOf, type ControlProps } from './form/inputs.tsx';
import { ago, payloadPreview, refreshSeenTopics, useSeenTopics } from './form/use-seen-topics.ts';

const MAX_OPTIONS = 150;

function option(seen: SeenTopic): ComboOption {
  return {
    value: seen.topic,
    label: seen.topic,
    detail: payloadPreview(seen, 70),
    meta: `${seen.count}×${seen.retained ? ' · retained' : ''} · ${ago(seen.lastSeen)}`,
  };
}

/**
 * A topic input (mqtt-in filter or mqtt-out topic) that offers the topics seen on the node's
 * broker with their last payload, refreshed each time the list opens. For a filter it also
 * says how many seen topics it matches.
 */
export function TopicPicker(props: ControlProps<TextField> & { mode: 'filter' | 'name' }) {
  const { field, value, onChange, mode } = props;
  const env = useFormEnv();
  const broker = typeof env.root['broker'] === 'string' && env.root['broker'] ? env.root['broker'] : undefined;
  const seen = useSeenTopics();
  const text = typeof value === 'string' ? value : '';

  useEffect(() => {
    void refreshSeenTopics(10_000);
  }, []);

  const onBroker = seen.topics.filter((t) => !broker || t.broker === broker);
  const matches = mode === 'filter' && text ? topicsMatching(text, broker, seen.topics) : [];
  const header = seen.loading && seen.fetchedAt === undefined ? 'Loading the topics seen…' : seen.error ? `Topics could not be loaded: ${seen.error}` : `${onBroker.length} ${onBroker.length === 1 ? 'topic' : 'topics'} seen${broker ? ` on ${broker}` : ''}`;

  return (
    <div className="sf-topic">
      <Combobox
        id={props.id}
        value={text}
        onChange={(next) => onChange(next === '' && !field.required ? undefined : next)}
        options={(typed) => suggestTopics(text, mode, broker, seen.topics, typed).slice(0, MAX_OPTIONS).map(option)}
        onOpen={() => void refreshSeenTopics(2000)}
        placeholder={placeholderOf(field)}
        invalid={props.invalid}
        describedBy={props.describedBy}
        required={field.required}
        header={onBroker.length > 0 || seen.error || seen.loading ? header : undefined}
        emptyText={
          seen.error ? (
            `Topics could not be loaded: ${seen.error}`
          ) : (
            <>
              No messages seen{broker ? ` on ${broker}` : ''} yet. Topics show up here once this broker is deployed and devices publish.
            </>
          )
        }
      />
      {mode === 'filter' && text && !props.invalid && seen.fetchedAt !== undefined && (
        <p className="sf-note sf-topic-matches" aria-live="polite">
          {matches.length === 0 ? (
            'No seen topic matches this filter yet.'
          ) : (
            <>
              Matches {matches.length} seen {matches.length === 1 ? 'topic' : 'topics'}, latest <code>{matches[0]!.topic}</code>: <code>{payloadPreview(matches[0]!, 50)}</code>
            </>
          )}
        </p>
      )}
    </div>
  );
}
