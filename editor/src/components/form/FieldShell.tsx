import type { ReactNode } from 'react';

export interface ShellProps {
  id: string;
  /** The field's dotted path, as `data-field` for tests and for scrolling to a problem. */
  path: string;
  label: string;
  help?: string | undefined;
  unit?: string | undefined;
  errors: readonly string[];
  required?: boolean | undefined;
  /** `check`: the control before its label (checkboxes). `group`: several inputs, no single label target. */
  layout?: 'stack' | 'check' | 'group';
  children: ReactNode;
}

/** The ids a control lists in aria-describedby: its errors, then its help. */
export function describedBy(id: string, errors: readonly string[], help?: string): string | undefined {
  const ids = [...(errors.length ? [`${id}-err`] : []), ...(help ? [`${id}-help`] : [])];
  return ids.length ? ids.join(' ') : undefined;
}

/** Label, control, unit, error messages and help text of one form field. */
export function FieldShell(props: ShellProps) {
  const { id, path, label, help, unit, errors, required, layout = 'stack', children } = props;
  const invalid = errors.length > 0;
  const labelNode =
    layout === 'group' ? (
      <span className="sf-label" id={`${id}-label`}>
        {label}
        {required && <span className="sf-required" title="required" aria-hidden="true">*</span>}
      </span>
    ) : (
      <label className="sf-label" htmlFor={id}>
        {label}
        {required && <span className="sf-required" title="required" aria-hidden="true">*</span>}
      </label>
    );
  return (
    <div className={`sf-field sf-${layout}${invalid ? ' sf-invalid' : ''}`} data-field={path} {...(layout === 'group' ? { role: 'group', 'aria-labelledby': `${id}-label` } : {})}>
      {layout === 'check' ? (
        <div className="sf-check-row">
          {children}
          {labelNode}
        </div>
      ) : (
        <>
          {labelNode}
          <div className="sf-control">
            {children}
            {unit && <span className="sf-unit">{unit}</span>}
          </div>
        </>
      )}
      {invalid && (
        <div className="sf-errors" id={`${id}-err`} role="alert">
          {errors.map((message) => (
            <p key={message} className="sf-error">
              {message}
            </p>
          ))}
        </div>
      )}
      {help && (
        <p className="sf-help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  );
}
