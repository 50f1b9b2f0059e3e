/** A stored goods declaration (or an agency's projection of it), read-only. */
import type { ReactNode } from 'react';
import { TRANSPORT_MODES } from '../declaration/declaration.model';
import { useI18n } from '../i18n/i18n';

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

function trader(value: unknown): string {
  const party = object(value);
  return [text(party.name), text(party.id), text(party.country), text(party.address)].filter((part) => part !== '').join(' · ');
}

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
        <Item term={t('form.consignee')}>{trader(document.consignee)}</Item>
        <Item term={t('form.consignor')}>{trader(document.consignor)}</Item>
        <Item term={t('form.customsOffice')}>{text(document.customsOffice)}</Item>
        <Item term={t('form.portOfEntry')}>{text(document.portOfEntry)}</Item>
        <Item term={t('form.portOfExit')}>{text(document.portOfExit)}</Item>
        <Item term={t('form.countryOfDispatch')}>{text(document.countryOfDispatch)}</Item>
        <Item term={t('form.countryOfDestination')}>{text(document.countryOfDestination)}</Item>
        <Item term={t('form.currency')}>{currency}</Item>
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
                <td>{text(line.originCountry)}</td>
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
