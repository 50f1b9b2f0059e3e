/**
 * A stored document of any type (or an agency's projection of it), read-only, named by its type's published
 * schema: each value under its field's label in the reader's language, groups nested, rows numbered. What the
 * schema has no field for (a projection may add some) is shown under its name as words.
 */
import type { ReactNode } from 'react';
import { useDocType } from '../api/doctypes';
import { CodeName, type NamedList } from '../components/code-name';
import { useI18n } from '../i18n/i18n';
import { documentTree, humanName, inLanguage, labelOf, type FieldNode } from './schema-form';

const NAMED: ReadonlySet<string> = new Set<NamedList>(['agency', 'country', 'locode', 'currency']);
const isNamed = (list: string): list is NamedList => NAMED.has(list);
type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function Leaf({ node, value }: { readonly node: FieldNode | undefined; readonly value: unknown }) {
  const { t, number, language } = useI18n();
  if (typeof value === 'boolean') return <>{value ? t('yes') : t('no')}</>;
  if (value === null || value === undefined || value === '') return <>{t('document.none')}</>;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (node?.kind === 'code' && isNamed(node.list)) return <CodeName list={node.list} code={text} />;
  if (node?.kind === 'code') return <span className="code">{text}</span>;
  if (node?.kind === 'decimal' || node?.kind === 'number' || node?.kind === 'integer') return <>{number(text)}</>;
  if (node?.kind === 'enum') return <>{inLanguage(node.optionLabels?.[text], language) ?? text}</>;
  return <>{text}</>;
}

function Value({ node, value, label }: { readonly node: FieldNode | undefined; readonly value: unknown; readonly label: string }): ReactNode {
  const { t } = useI18n();
  if (isObject(value)) return <Facts node={node} value={value} />;
  if (Array.isArray(value)) {
    const rows: readonly unknown[] = value;
    const item = node?.kind === 'array' ? node.item : undefined;
    if (rows.length === 0) return t('document.none');
    if (!rows.some((row) => isObject(row) || Array.isArray(row)))
      return rows.map((row, index) => (
        <span key={index}>
          {index > 0 && ', '}
          <Leaf node={item} value={row} />
        </span>
      ));
    return (
      <ol className="document-rows">
        {rows.map((row, index) => (
          <li key={index} aria-label={t('document.row', { group: label, number: index + 1 })}>
            <Value node={item} value={row} label={label} />
          </li>
        ))}
      </ol>
    );
  }
  return <Leaf node={node} value={value} />;
}

function Facts({ node, value }: { readonly node: FieldNode | undefined; readonly value: Json }) {
  const { language } = useI18n();
  const fields = node?.kind === 'object' ? node.fields : [];
  // The schema's order first, then what it does not name.
  const names = [...fields.map((field) => field.name).filter((name) => value[name] !== undefined), ...Object.keys(value).filter((name) => !fields.some((field) => field.name === name))];
  return (
    <dl className="facts">
      {names.map((name) => {
        const field = fields.find((candidate) => candidate.name === name);
        const label = field === undefined ? humanName(name) : labelOf(field, language);
        return (
          <div key={name} data-path={name}>
            <dt>{label}</dt>
            <dd>
              <Value node={field} value={value[name]} label={label} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** The document, named by its type's schema (by its property names while the schema loads, or if it fails to). */
export function DocumentView({ docType, data }: { readonly docType: string; readonly data: unknown }) {
  const { t } = useI18n();
  const definition = useDocType(docType);
  const tree = definition.data === undefined ? undefined : documentTree(definition.data.schema);
  return (
    <>
      <Value node={tree} value={data} label={t('document.whole')} />
      <details className="raw">
        <summary>{t('view.json')}</summary>
        <pre>{JSON.stringify(data, null, 2)}</pre>
      </details>
    </>
  );
}
