import type { ChangeEvent, InputHTMLAttributes, KeyboardEvent, ReactNode } from 'react';
import type { FieldProblem } from '../api/types';
import { MarkedText } from '../i18n/i18n';

/**
 * For forms whose submission matters (a declaration, a decision): Enter in a text field does not submit them by
 * accident; the person presses the button.
 */
export function holdEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key === 'Enter' && event.target instanceof HTMLInputElement && !['submit', 'button', 'checkbox', 'radio'].includes(event.target.type)) event.preventDefault();
}

/** A DOM id for the field that shows a JSON path (`$.lines[0].hsCode` ▶ `f-lines-0-hsCode`). */
export const fieldId = (path: string): string => `f-${path.replace(/^\$\.?/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;

/** The API's problems for one field: its code and message, as the API said them. */
export function FieldErrors({ id, errors }: { readonly id: string; readonly errors: readonly FieldProblem[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" id={`${id}-errors`}>
      {errors.map((error) => (
        <li key={error.code + error.message}>
          <code>{error.code}</code> <MarkedText text={error.message} />
        </li>
      ))}
    </ul>
  );
}

export interface ShellProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly errors?: readonly FieldProblem[] | undefined;
  readonly required?: boolean | undefined;
  readonly className?: string | undefined;
}

/** What a required control says to assistive technology; the `*` is hidden from it and says nothing. */
export const requiredProps = (required: boolean | undefined): { readonly 'aria-required'?: true } => (required === true ? { 'aria-required': true } : {});

/** What describes a control to a screen reader: its hint and its errors. */
export function describedBy(id: string, hint: string | undefined, errors: readonly FieldProblem[]): string | undefined {
  const ids = [hint === undefined ? undefined : `${id}-hint`, errors.length === 0 ? undefined : `${id}-errors`].filter((value) => value !== undefined);
  return ids.length === 0 ? undefined : ids.join(' ');
}

/**
 * A label, the control, its hint and its errors. A field marked required with `*` is required to assistive
 * technology too: every control passes `aria-required` from the same `required` (see `requiredProps`).
 */
export function FieldShell({ id, label, hint, errors = [], required = false, className, children }: ShellProps & { readonly children: ReactNode }) {
  return (
    <div className={`field${errors.length > 0 ? ' has-error' : ''}${className === undefined ? '' : ` ${className}`}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </label>
      {children}
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

type TextFieldProps = ShellProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className' | 'required'> & {
    readonly value: string;
    readonly onValue: (value: string) => void;
  };

export function TextField({ id, label, hint, errors = [], required, className, value, onValue, ...input }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={required} className={className}>
      <input
        id={id}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onValue(event.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...requiredProps(required)}
        {...input}
      />
    </FieldShell>
  );
}

type SelectFieldProps = ShellProps & {
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly disabled?: boolean;
};

export function SelectField({ id, label, hint, errors = [], required, className, value, onValue, options, disabled }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors} required={required} className={className}>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...requiredProps(required)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
