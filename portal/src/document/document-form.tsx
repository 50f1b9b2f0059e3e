/**
 * Any document type's form, rendered from its published schema (schema-form.ts reads it): code fields look up
 * their `x-code-list`, choices are selects, groups are fieldsets, arrays are rows to add and remove, and every
 * field sits at the JSON path the API reports problems on, showing them once left (ChecksContext), as the goods
 * declaration's tailored form does.
 */
import { createContext, useContext, useRef, type ReactNode } from 'react';
import { FieldErrors, fieldId, SelectField } from '../components/field';
import { ChecksContext, CheckedLookup, CheckedText } from '../declaration/checks';
import { useI18n } from '../i18n/i18n';
import { child, emptyForm, inLanguage, labelOf, pathSteps, valueAt, withValue, type ArrayNode, type FieldNode, type FormValue, type ObjectNode } from './schema-form';

interface FormState {
  readonly value: FormValue;
  readonly update: (change: (value: FormValue) => FormValue) => void;
}

const FormContext = createContext<FormState>({ value: {}, update: () => undefined });

const isGroup = (node: FieldNode): boolean => node.kind === 'object' || node.kind === 'array';

function useAt(path: string): { readonly value: FormValue | undefined; readonly set: (next: FormValue) => void } {
  const { value, update } = useContext(FormContext);
  const steps = pathSteps(path) ?? [];
  return { value: valueAt(value, steps), set: (next) => update((current) => withValue(current, steps, next)) };
}

interface DocumentFormProps {
  readonly root: ObjectNode;
  readonly value: FormValue;
  readonly update: (change: (value: FormValue) => FormValue) => void;
}

/** The document's fields: its plain ones together in a first card, then each group in its own. */
export function DocumentForm({ root, value, update }: DocumentFormProps) {
  const { t } = useI18n();
  const plain = root.fields.filter((field) => !isGroup(field));
  const groups = root.fields.filter(isGroup);
  return (
    <FormContext.Provider value={{ value, update }}>
      {plain.length > 0 && (
        <fieldset className="card">
          <legend>{t('form.general')}</legend>
          <div className="grid">
            {plain.map((field) => (
              <Field key={field.name} node={field} path={child('$', field.name)} />
            ))}
          </div>
        </fieldset>
      )}
      {groups.map((field) => (
        <Field key={field.name} node={field} path={child('$', field.name)} card />
      ))}
    </FormContext.Provider>
  );
}

interface FieldProps {
  readonly node: FieldNode;
  readonly path: string;
  /** The words to show instead of the field's own (a row of an array: "Crew 2"). */
  readonly label?: string;
  /** A top-level group, shown as a card of its own. */
  readonly card?: boolean;
}

function Field({ node, path, label, card = false }: FieldProps) {
  const { t, language } = useI18n();
  const checks = useContext(ChecksContext);
  const { value, set } = useAt(path);
  const text = typeof value === 'string' ? value : '';
  const shown = label ?? labelOf(node, language);
  const hint = inLanguage(node.help, language);
  const common = { path, label: shown, hint, required: node.required, value: text, onValue: (next: string) => set(next) };
  const choice = (options: readonly { readonly value: string; readonly label: string }[]) => (
    <SelectField
      id={fieldId(path)}
      label={shown}
      hint={hint}
      required={node.required}
      value={text}
      errors={checks.errorsAt(path)}
      onValue={(next) => {
        // A choice is complete when made: it counts as left at once.
        checks.touch(path);
        set(next);
      }}
      options={[{ value: '', label: t('document.choose') }, ...options, ...(text === '' || options.some((option) => option.value === text) ? [] : [{ value: text, label: text }])]}
    />
  );
  switch (node.kind) {
    case 'object':
      return <Group node={node} path={path} label={shown} card={card} />;
    case 'array':
      return <Rows node={node} path={path} label={shown} card={card} />;
    case 'enum':
      return choice(node.options.map((option) => ({ value: option, label: inLanguage(node.optionLabels?.[option] ?? {}, language) ?? option })));
    case 'boolean':
      return choice([
        { value: 'true', label: t('yes') },
        { value: 'false', label: t('no') },
      ]);
    case 'code':
      return <CheckedLookup {...common} list={node.list} />;
    case 'decimal':
    case 'number':
      return <CheckedText {...common} inputMode="decimal" autoComplete="off" />;
    case 'integer':
      return <CheckedText {...common} inputMode="numeric" autoComplete="off" />;
    case 'text':
      return node.format === 'date' ? (
        <CheckedText {...common} type="date" />
      ) : (
        <CheckedText {...common} {...(node.maxLength === undefined ? {} : { maxLength: node.maxLength })} {...(node.maxLength !== undefined && node.maxLength > 255 ? { className: 'wide' } : {})} />
      );
    case 'json':
      return <CheckedText {...common} nested hint={[hint, t('document.jsonHint')].filter((part) => part !== undefined).join(' ')} spellCheck={false} className="wide" />;
  }
}

/** A group's members: plain fields in a grid, then its own groups. */
function Members({ node, path }: { readonly node: ObjectNode; readonly path: string }) {
  const plain = node.fields.filter((field) => !isGroup(field));
  return (
    <>
      {plain.length > 0 && (
        <div className="grid">
          {plain.map((field) => (
            <Field key={field.name} node={field} path={child(path, field.name)} />
          ))}
        </div>
      )}
      {node.fields.filter(isGroup).map((field) => (
        <Field key={field.name} node={field} path={child(path, field.name)} />
      ))}
    </>
  );
}

function Group({ node, path, label, card, actions }: { readonly node: ObjectNode; readonly path: string; readonly label: string; readonly card: boolean; readonly actions?: ReactNode }) {
  const { language } = useI18n();
  const checks = useContext(ChecksContext);
  const help = inLanguage(node.help, language);
  return (
    <fieldset className={card ? 'card' : 'line'} id={fieldId(path)} tabIndex={-1}>
      <legend>
        {label}
        {node.required && (
          <span className="required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </legend>
      {help !== undefined && <p className="hint">{help}</p>}
      <FieldErrors id={fieldId(path)} errors={checks.errorsAt(path)} />
      <Members node={node} path={path} />
      {actions}
    </fieldset>
  );
}

let nextRowKey = 0;

/** An array: its rows, each removable while more than its fewest remain, and a button that adds one. */
function Rows({ node, path, label, card }: { readonly node: ArrayNode; readonly path: string; readonly label: string; readonly card: boolean }) {
  const { t, language } = useI18n();
  const checks = useContext(ChecksContext);
  const { value, set } = useAt(path);
  const rows: readonly FormValue[] = Array.isArray(value) ? (value as readonly FormValue[]) : [];
  // Keys that follow the rows as they are added and removed, so a row's fields keep their state.
  const keys = useRef<string[]>([]);
  while (keys.current.length < rows.length) keys.current.push(`row-${(nextRowKey += 1)}`);
  keys.current.length = rows.length;
  const help = inLanguage(node.help, language);
  const headingId = `${fieldId(path)}-heading`;
  const full = node.maxItems !== undefined && rows.length >= node.maxItems;
  const rowPath = (index: number) => child(path, index);

  const add = () => {
    set([...rows, emptyForm(node.item)]);
    const item = node.item;
    const first = item.kind === 'object' ? item.fields.find((field) => !isGroup(field)) : undefined;
    const target = first === undefined ? rowPath(rows.length) : child(rowPath(rows.length), first.name);
    // The new row's first field is where the person continues.
    window.setTimeout(() => (document.getElementById(fieldId(target)) ?? document.getElementById(fieldId(rowPath(rows.length))))?.focus(), 0);
  };
  const remove = (index: number) => {
    keys.current.splice(index, 1);
    checks.touch(path);
    set(rows.filter((_row, at) => at !== index));
  };

  return (
    <section className={card ? 'card' : 'rows'} id={fieldId(path)} tabIndex={-1} aria-labelledby={headingId}>
      {card ? <h2 id={headingId}>{label}</h2> : <p className="label" id={headingId}>{label}</p>}
      {help !== undefined && <p className="hint">{help}</p>}
      <FieldErrors id={fieldId(path)} errors={checks.errorsAt(path)} />
      {rows.map((_row, index) => {
        const name = t('document.row', { group: label, number: index + 1 });
        const removeButton =
          rows.length > node.minItems ? (
            <button type="button" className="button link danger" onClick={() => remove(index)}>
              {t('document.removeRow', { row: name })}
            </button>
          ) : null;
        return node.item.kind === 'object' ? (
          <Group key={keys.current[index]} node={node.item} path={rowPath(index)} label={name} card={false} actions={removeButton} />
        ) : (
          <div className="document-row" key={keys.current[index]}>
            <Field node={node.item} path={rowPath(index)} label={name} />
            {removeButton}
          </div>
        );
      })}
      <button type="button" className="button secondary small" onClick={add} disabled={full}>
        {t('document.addRow', { group: label })}
      </button>
    </section>
  );
}
