/**
 * The form's link to the API's verdict: which problems each field shows, and which fields the person has
 * left. A field shows its problems once it has been left (blur) or after a submit attempt, and from then on
 * as they change; never while a fresh field is being typed (ten digits of an HS code are not wrong after two).
 * A choice (radio, select) is complete when made, and counts as left at once.
 */
import { createContext, useContext, type InputHTMLAttributes } from 'react';
import type { FieldProblem } from '../api/types';
import { CodeLookup, type CodeList } from '../components/code-lookup';
import { fieldId, TextField } from '../components/field';
import type { CodeEntry } from '../api/types';

export interface Checks {
  /** The problems shown at a path (with `nested`, also those below it). */
  readonly errorsAt: (path: string, nested?: boolean) => readonly FieldProblem[];
  readonly touch: (path: string) => void;
}

export const ChecksContext = createContext<Checks>({ errorsAt: () => [], touch: () => undefined });

type CheckedProps = {
  readonly path: string;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint?: string | undefined;
  readonly required?: boolean;
  readonly nested?: boolean;
  readonly className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className' | 'required'>;

/** A text field of the declaration at a JSON path, showing the API's problems for that path once it is left. */
export function CheckedText({ path, nested = false, onBlur, ...rest }: CheckedProps) {
  const checks = useContext(ChecksContext);
  return (
    <TextField
      id={fieldId(path)}
      errors={checks.errorsAt(path, nested)}
      onBlur={(event) => {
        checks.touch(path);
        onBlur?.(event);
      }}
      {...rest}
    />
  );
}

interface CheckedLookupProps {
  readonly path: string;
  readonly list: CodeList;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly pick?: (entry: CodeEntry) => string;
  readonly hint?: string | undefined;
  readonly required?: boolean;
  readonly className?: string;
}

/** A code field of the declaration (HS, country, port, ...) with look-up as you type; checked once left. */
export function CheckedLookup({ path, ...rest }: CheckedLookupProps) {
  const checks = useContext(ChecksContext);
  return <CodeLookup id={fieldId(path)} errors={checks.errorsAt(path)} onBlur={() => checks.touch(path)} {...rest} />;
}
