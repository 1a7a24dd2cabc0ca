import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface ComboOption {
  /** What picking the option puts into the input. */
  value: string;
  label: string;
  /** A second line: a payload preview, a value. */
  detail?: string;
  meta?: string;
}

export interface ComboboxProps {
  id: string;
  value: string;
  onChange(text: string): void;
  /**
   * Computed only while the list is open. `typed` is true once the user has typed since the
   * list opened: before that the text is the field's value, not a search.
   */
  options: (typed: boolean) => readonly ComboOption[];
  /** Called when the list opens (fetch fresh suggestions). */
  onOpen?: () => void;
  placeholder?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
  required?: boolean;
  /** Shown above the options (where they come from) or instead of them when there are none. */
  header?: ReactNode;
  emptyText: ReactNode;
  mono?: boolean;
}

/** A text input with a list of suggestions (ARIA combobox): arrows move, Enter picks, Escape closes. */
export function Combobox(props: ComboboxProps) {
  const listId = `${useId().replace(/:/g, '')}-list`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [typed, setTyped] = useState(false);
  const options = open ? props.options(typed) : [];

  const show = () => {
    if (!open) {
      props.onOpen?.();
      setTyped(false);
    }
    setOpen(true);
  };
  const pick = (option: ComboOption) => {
    props.onChange(option.value);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) show();
      else setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(-1, i - 1));
    } else if (event.key === 'Enter' && open && active >= 0 && options[active]) {
      event.preventDefault();
      pick(options[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className={`sf-combo${open ? ' sf-combo-open' : ''}`}>
      <div className="sf-combo-field">
        <input
          id={props.id}
          className={`sf-input${props.mono === false ? '' : ' sf-mono'}`}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={props.invalid || undefined}
          aria-describedby={props.describedBy}
          aria-required={props.required || undefined}
          value={props.value}
          placeholder={props.placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            props.onChange(e.target.value);
            setActive(-1);
            if (!open) show();
            setTyped(true);
          }}
          onFocus={show}
          onClick={show}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="sf-combo-toggle"
          tabIndex={-1}
          aria-label="Show suggestions"
          onMouseDown={(e) => {
            e.preventDefault();
            if (open) setOpen(false);
            else {
              (document.getElementById(props.id) as HTMLInputElement | null)?.focus();
              show();
            }
          }}
        >
          ▾
        </button>
      </div>
      {/* Typing something nothing matches closes the list, so the field's own message shows. */}
      {open && !(typed && options.length === 0) && (
        <div className="sf-combo-popup">
          {props.header && <div className="sf-combo-header">{props.header}</div>}
          <ul id={listId} role="listbox" className="sf-combo-list">
            {options.map((option, i) => (
              <li
                key={`${option.value}-${i}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={`sf-combo-option${i === active ? ' sf-active' : ''}`}
                onMouseDown={(e) => {
                  // Keep the focus in the input, so picking does not blur-close first.
                  e.preventDefault();
                  pick(option);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="sf-combo-label">{option.label}</span>
                {option.meta && <span className="sf-combo-meta">{option.meta}</span>}
                {option.detail && <span className="sf-combo-detail">{option.detail}</span>}
              </li>
            ))}
          </ul>
          {options.length === 0 && <div className="sf-combo-empty">{props.emptyText}</div>}
        </div>
      )}
    </div>
  );
}
