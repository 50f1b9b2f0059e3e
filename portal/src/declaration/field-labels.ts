/**
 * The words for a JSON path of the goods declaration, as the form labels its field: `$.lines[0].hsCode` is
 * "Item 1: HS code", `$.consignee.id` "Consignee: Unified social credit code". The checks summary links each
 * problem by these words (a path is for machines); a path the form has no words for is given as it is.
 */
import { pathSteps } from '../document/schema-form';
import type { MessageKey } from '../i18n/en';
import type { Translate } from '../i18n/i18n';

const TOP: Readonly<Record<string, MessageKey>> = {
  direction: 'form.direction',
  declarant: 'form.declarant',
  customsOffice: 'form.customsOffice',
  portOfEntry: 'form.portOfEntry',
  portOfExit: 'form.portOfExit',
  countryOfDispatch: 'form.countryOfDispatch',
  countryOfDestination: 'form.countryOfDestination',
  currency: 'form.currency',
  incoterm: 'form.incoterm',
  tradeMode: 'form.tradeMode',
  consignee: 'form.consignee',
  consignor: 'form.consignor',
  transport: 'form.transport',
  lines: 'form.lines',
};
const TRADER: Readonly<Record<string, MessageKey>> = { id: 'form.traderId', name: 'form.traderName', country: 'form.traderCountry', address: 'form.traderAddress' };
const TRANSPORT: Readonly<Record<string, MessageKey>> = {
  mode: 'form.mode',
  vesselImo: 'form.vesselImo',
  voyage: 'form.voyage',
  billOfLading: 'form.billOfLading',
  containers: 'form.containers',
};
const LINE: Readonly<Record<string, MessageKey>> = {
  hsCode: 'form.hsCode',
  description: 'form.description',
  quantity: 'form.quantity',
  unit: 'form.unit',
  grossWeightKg: 'form.grossWeight',
  netWeightKg: 'form.netWeight',
  value: 'form.value',
  originCountry: 'form.originCountry',
};
const DOCUMENT: Readonly<Record<string, MessageKey>> = { type: 'form.documentType', number: 'form.documentNumber' };

/** The field's words for a path of the goods declaration, or undefined when the form has none for it. */
export function fieldLabel(path: string, t: Translate): string | undefined {
  const steps = pathSteps(path);
  if (steps === undefined) return undefined;
  const within = (group: string, field: string) => t('label.in', { group, field });
  const named = (table: Readonly<Record<string, MessageKey>>, name: string | number | undefined): string | undefined => {
    if (typeof name !== 'string') return undefined;
    const key = table[name];
    return key === undefined ? undefined : t(key);
  };
  const [first, second, third, fourth, fifth] = steps;
  if (first === undefined) return t('label.declaration');
  if (typeof first !== 'string') return undefined;
  const top = named(TOP, first);
  if (top === undefined) return undefined;
  if (second === undefined) return top;
  if (first === 'consignee' || first === 'consignor') {
    const field = steps.length === 2 ? named(TRADER, second) : undefined;
    return field === undefined ? undefined : within(top, field);
  }
  if (first === 'transport') {
    const field = named(TRANSPORT, second);
    if (field === undefined) return undefined;
    if (third === undefined) return within(top, field);
    return second === 'containers' && typeof third === 'number' && steps.length === 3 ? within(field, t('label.container', { number: third + 1 })) : undefined;
  }
  if (first !== 'lines' || typeof second !== 'number') return undefined;
  const item = t('label.item', { number: second + 1 });
  if (third === undefined) return item;
  if (third !== 'documents') {
    const field = steps.length === 3 ? named(LINE, third) : undefined;
    return field === undefined ? undefined : within(item, field);
  }
  const documents = t('form.documents', { number: second + 1 });
  if (fourth === undefined) return documents;
  if (typeof fourth !== 'number') return undefined;
  const reference = within(item, t('label.document', { number: fourth + 1 }));
  if (fifth === undefined) return reference;
  const field = steps.length === 5 ? named(DOCUMENT, fifth) : undefined;
  return field === undefined ? undefined : within(reference, field);
}
