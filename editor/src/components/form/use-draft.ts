import { useEffect, useState } from 'react';

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The text of an input whose value is not text (a number, any JSON). What the user types is
 * kept as typed (`2.`, `-`, `{"a": 1` stay on screen); the text is rewritten only when the
 * value changes from outside (undo, another panel) into something the text does not say.
 */
export function useDraft(value: unknown, format: (value: unknown) => string, read: (text: string) => unknown): [string, (text: string) => void] {
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    setText((current) => (same(read(current), value) ? current : format(value)));
    // format/read are pure functions of their input; only a new value matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return [text, setText];
}
