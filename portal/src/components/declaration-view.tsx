/** A stored goods declaration (or an agency's projection of it), read-only. */
import type { ReactNode } from 'react';
import { TRANSPORT_MODES } from '../declaration/declaration.model';
import { useI18n } from '../i18n/i18n';
import { CodeName } from './code-name';

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function Item({ term, children }: { readonly term: string; readonly children: ReactNode }) {
  if (children === '' || children === undefined || children === null) return null;
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A party to the declaration: name, credit code, country (with its name) and address. */
function Trader({ value }: { readonly value: unknown }) {
  const party = object(value);
  const parts = [text(party.name), text(party.id)].filter((part) => part !== '');
  const country = text(party.country);
  const address = text(party.address);
  return (
    <>
      {parts.join(' · ')}
      {country !== '' && (
        <>
          {parts.length > 0 && ' · '}
          <CodeName list="country" code={country} />
        </>
      )}
      {address !== '' && ` · ${address}`}
    </>
  );
}

const present = (value: unknown): boolean => Object.values(object(value)).some((member) => text(member) !== '');
/** A code with its name, or nothing when the document has none (so the term is left out). */
const coded = (list: 'country' | 'locode' | 'currency', value: unknown) => (text(value) === '' ? '' : <CodeName list={list} code={text(value)} />);

export function DeclarationView({ data }: { readonly data: unknown }) {
  const { t, number } = useI18n();
  const document = object(data);
  const transport = object(document.transport);
  const lines = list(document.lines).map(object);
  const currency = text(document.currency);
  const direction = text(document.direction);
  const modeName = (mode: string) => {
    const known = TRANSPORT_MODES.find((candidate) => candidate === mode);
    return known === undefined ? mode : t(`mode.${known}`);
  };
  return (
    <>
      <dl className="facts">
        <Item term={t('form.direction')}>{direction === 'import' || direction === 'export' ? t(`direction.${direction}`) : direction}</Item>
        <Item term={t('form.declarant')}>{text(document.declarant)}</Item>
        <Item term={t('form.consignee')}>{present(document.consignee) ? <Trader value={document.consignee} /> : ''}</Item>
        <Item term={t('form.consignor')}>{present(document.consignor) ? <Trader value={document.consignor} /> : ''}</Item>
        <Item term={t('form.customsOffice')}>{text(document.customsOffice)}</Item>
        <Item term={t('form.portOfEntry')}>{coded('locode', document.portOfEntry)}</Item>
        <Item term={t('form.portOfExit')}>{coded('locode', document.portOfExit)}</Item>
        <Item term={t('form.countryOfDispatch')}>{coded('country', document.countryOfDispatch)}</Item>
        <Item term={t('form.countryOfDestination')}>{coded('country', document.countryOfDestination)}</Item>
        <Item term={t('form.currency')}>{coded('currency', currency)}</Item>
        <Item term={t('form.incoterm')}>{text(document.incoterm)}</Item>
        <Item term={t('form.transport')}>
          {[modeName(text(transport.mode)), text(transport.vesselImo) && `IMO ${text(transport.vesselImo)}`, text(transport.voyage), text(transport.billOfLading) && `B/L ${text(transport.billOfLading)}`].filter((part) => part !== '').join(' · ')}
        </Item>
        <Item term={t('form.containers')}>{list(transport.containers).map(text).join(', ')}</Item>
      </dl>
      <div className="table-wrap">
        <table>
          <caption>{t('form.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('view.lineNo')}</th>
              <th scope="col">{t('form.hsCode')}</th>
              <th scope="col">{t('form.description')}</th>
              <th scope="col" className="number">{t('form.quantity')}</th>
              <th scope="col" className="number">{t('form.netWeight')}</th>
              <th scope="col" className="number">{t('form.value')}</th>
              <th scope="col">{t('form.originCountry')}</th>
              <th scope="col">{t('view.documents')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => (
              <tr key={index}>
                <td>{text(line.lineNumber) || index + 1}</td>
                <td className="code">{text(line.hsCode)}</td>
                <td>{text(line.description)}</td>
                <td className="number">
                  {number(text(line.quantity))} {text(line.unit)}
                </td>
                <td className="number">{number(text(line.netWeightKg))} kg</td>
                <td className="number">
                  {number(text(line.value))} {currency}
                </td>
                <td>{text(line.originCountry) === '' ? '' : <CodeName list="country" code={text(line.originCountry)} />}</td>
                <td>
                  {list(line.documents)
                    .map(object)
                    .map((reference) => `${text(reference.type)} ${text(reference.number)}`)
                    .join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="raw">
        <summary>{t('view.json')}</summary>
        <pre>{JSON.stringify(data, null, 2)}</pre>
      </details>
    </>
  );
}
