/**
 * The form's link to the API's verdict: which problems each field shows, and which fields the person has
 * touched (a field shows its problems once touched, every field after a submit attempt).
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

/** A text field of the declaration at a JSON path, showing the API's problems for that path. */
export function CheckedText({ path, onValue, nested = false, ...rest }: CheckedProps) {
  const checks = useContext(ChecksContext);
  return (
    <TextField
      id={fieldId(path)}
      errors={checks.errorsAt(path, nested)}
      onValue={(value) => {
        checks.touch(path);
        onValue(value);
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

/** A code field of the declaration (HS, country, port, ...) with look-up as you type. */
export function CheckedLookup({ path, onValue, ...rest }: CheckedLookupProps) {
  const checks = useContext(ChecksContext);
  return (
    <CodeLookup
      id={fieldId(path)}
      errors={checks.errorsAt(path)}
      onValue={(value) => {
        checks.touch(path);
        onValue(value);
      }}
      {...rest}
    />
  );
}
