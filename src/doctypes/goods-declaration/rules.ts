/**
 * The goods declaration's cross-field rules. Who may declare (the rule declarant-is-caller) comes from the
 * kernel, out of the definition's parties.
 */
import { compareDecimal } from '../../shared/decimal.js';
import type { FieldError } from '../../shared/errors.js';
import type { CrossFieldRule, LooseDocument } from '../../modules/doctypes/doctype.js';
import { arr, decimal, obj, str } from '../../modules/doctypes/loose.js';

/** Which trader is the domestic one: the consignee of an import, the consignor of an export. */
export const domesticTraderField = (document: LooseDocument): 'consignee' | 'consignor' | undefined =>
  document.direction === 'import' ? 'consignee' : document.direction === 'export' ? 'consignor' : undefined;

/** The port a declaration crosses the border at: an import's port of entry, an export's port of exit. */
export const borderPortField = (document: LooseDocument): 'portOfEntry' | 'portOfExit' | undefined =>
  document.direction === 'import' ? 'portOfEntry' : document.direction === 'export' ? 'portOfExit' : undefined;

/** The rule that the border port lies in the country whose single window this is. */
export function portInCountry(country: string): CrossFieldRule {
  return {
    id: 'port-in-country',
    description: {
      en: `An import's portOfEntry and an export's portOfExit are in ${country}, the country of this single window (their UN/LOCODE starts ${country}).`,
      zh: `进口的入境口岸、出口的出境口岸须在本单一窗口所在国 ${country} 境内（UN/LOCODE 以 ${country} 开头）。`,
    },
    codes: ['PORT_NOT_IN_COUNTRY'],
    check(document) {
      const field = borderPortField(document);
      const port = field === undefined ? undefined : str(document[field]);
      if (field === undefined || port === undefined || !/^[A-Z]{2}[A-Z2-9]{3}$/.test(port) || port.startsWith(country)) return [];
      return [{ path: `$.${field}`, code: 'PORT_NOT_IN_COUNTRY', params: { field, direction: String(document.direction), country, value: port } }];
    },
  };
}

/** The goods declaration's cross-field rules; the port-in-country rule follows the first (see definition). */
/** Processing trade modes (来料加工 0214, 进料对口 0615), which draw on the processing-trade manual. */
const PROCESSING_MODES = ['0214', '0615'] as const;

/** The ledger account each trade mode's lines must cite: the manual under processing trade, the temporary admission for exhibition and temporary goods. */
const TRADE_MODE_ACCOUNTS: Readonly<Record<string, string>> = {
  '0214': 'processing-trade-manual',
  '0615': 'processing-trade-manual',
  '2600': 'temporary-admission',
  '2700': 'temporary-admission',
};

export const rules: readonly CrossFieldRule[] = [
  {
    id: 'port-for-direction',
    description: { en: 'An import names portOfEntry and no portOfExit; an export names portOfExit and no portOfEntry.', zh: '进口填报入境口岸、不填出境口岸；出口反之。' },
    codes: ['PORT_OF_ENTRY_REQUIRED', 'PORT_OF_EXIT_REQUIRED', 'PORT_WRONG_DIRECTION'],
    check(document) {
      const errors: FieldError[] = [];
      if (document.direction === 'import') {
        if (document.portOfEntry === undefined) errors.push({ path: '$.portOfEntry', code: 'PORT_OF_ENTRY_REQUIRED' });
        if (document.portOfExit !== undefined) errors.push({ path: '$.portOfExit', code: 'PORT_WRONG_DIRECTION', params: { field: 'portOfExit', direction: 'import' } });
      }
      if (document.direction === 'export') {
        if (document.portOfExit === undefined) errors.push({ path: '$.portOfExit', code: 'PORT_OF_EXIT_REQUIRED' });
        if (document.portOfEntry !== undefined) errors.push({ path: '$.portOfEntry', code: 'PORT_WRONG_DIRECTION', params: { field: 'portOfEntry', direction: 'export' } });
      }
      return errors;
    },
  },
  {
    id: 'country-for-direction',
    description: { en: 'An import names countryOfDispatch; an export names countryOfDestination.', zh: '进口须填报启运国，出口须填报运抵国。' },
    codes: ['FIELD_REQUIRED'],
    check(document) {
      if (document.direction === 'import' && document.countryOfDispatch === undefined) return [{ path: '$.countryOfDispatch', code: 'FIELD_REQUIRED' }];
      if (document.direction === 'export' && document.countryOfDestination === undefined) return [{ path: '$.countryOfDestination', code: 'FIELD_REQUIRED' }];
      return [];
    },
  },
  {
    id: 'traders',
    description: {
      en: 'The domestic trader (consignee of an import, consignor of an export) has a unified social credit code; the foreign one has a country.',
      zh: '境内收发货人（进口为收货人，出口为发货人）须有统一社会信用代码，境外收发货人须有国别。',
    },
    codes: ['TRADER_ID_REQUIRED', 'COUNTRY_REQUIRED'],
    check(document) {
      const domestic = domesticTraderField(document);
      if (domestic === undefined) return [];
      const foreign = domestic === 'consignee' ? 'consignor' : 'consignee';
      const errors: FieldError[] = [];
      const domesticParty = obj(document[domestic]);
      const foreignParty = obj(document[foreign]);
      if (domesticParty !== undefined && domesticParty.id === undefined) errors.push({ path: `$.${domestic}.id`, code: 'TRADER_ID_REQUIRED', params: { field: domestic } });
      if (foreignParty !== undefined && foreignParty.country === undefined) errors.push({ path: `$.${foreign}.country`, code: 'COUNTRY_REQUIRED' });
      return errors;
    },
  },
  {
    id: 'net-within-gross',
    description: { en: "A line's net weight is not above its gross weight.", zh: '商品项净重不得大于毛重。' },
    codes: ['NET_WEIGHT_ABOVE_GROSS'],
    check(document) {
      return arr(document.lines).flatMap((line, index) => {
        const net = decimal(obj(line)?.netWeightKg);
        const gross = decimal(obj(line)?.grossWeightKg);
        return net !== undefined && gross !== undefined && compareDecimal(net, gross) > 0
          ? [{ path: `$.lines[${index}].netWeightKg`, code: 'NET_WEIGHT_ABOVE_GROSS' as const, params: { net, gross } }]
          : [];
      });
    },
  },
  {
    id: 'sea-vessel',
    description: { en: 'A sea shipment names its vessel by IMO number.', zh: '海运须填报船舶 IMO 编号。' },
    codes: ['VESSEL_REQUIRED'],
    check(document) {
      const transport = obj(document.transport);
      return transport?.mode === 'sea' && transport.vesselImo === undefined ? [{ path: '$.transport.vesselImo', code: 'VESSEL_REQUIRED' }] : [];
    },
  },
  {
    id: 'trade-mode-documents',
    description: {
      en: 'Under a processing trade mode (0214, 0615) every line cites the processing-trade manual; under exhibition or temporary goods (2700, 2600) every line cites the temporary admission. A line citing either account is declared under its trade modes (or, for a temporary admission, under another mode only to convert or re-export its items).',
      zh: '加工贸易监管方式（0214、0615）下每项须填报加工贸易手册；展览品或暂时进出境货物（2700、2600）下每项须填报暂时进境账册。填报手册的商品项须按加工贸易监管方式申报。',
    },
    codes: ['TRADE_MODE_DOCUMENT_REQUIRED', 'TRADE_MODE_MISMATCH'],
    check(document) {
      const mode = str(document.tradeMode);
      const wanted = mode === undefined ? undefined : TRADE_MODE_ACCOUNTS[mode];
      return arr(document.lines).flatMap((value, index) => {
        const types = arr(obj(value)?.documents).map((reference) => str(obj(reference)?.type));
        const errors: FieldError[] = [];
        if (wanted !== undefined && !types.includes(wanted)) errors.push({ path: `$.lines[${index}].documents`, code: 'TRADE_MODE_DOCUMENT_REQUIRED', params: { mode: mode ?? '', type: wanted } });
        // A manual is drawn on only under processing trade; a temporary admission is converted or re-exported under any mode.
        if (types.includes('processing-trade-manual') && mode !== undefined && wanted !== 'processing-trade-manual') {
          errors.push({ path: '$.tradeMode', code: 'TRADE_MODE_MISMATCH', params: { mode, type: 'processing-trade-manual', modes: PROCESSING_MODES.join(', ') } });
        }
        return errors;
      });
    },
  },
  {
    id: 'containers-unique',
    description: { en: 'Each container is listed once.', zh: '集装箱号不得重复。' },
    codes: ['CONTAINER_DUPLICATE'],
    check(document) {
      const seen = new Set<string>();
      return arr(obj(document.transport)?.containers).flatMap((container, index) => {
        const number = str(container);
        if (number === undefined) return [];
        if (seen.has(number)) return [{ path: `$.transport.containers[${index}]`, code: 'CONTAINER_DUPLICATE' as const, params: { value: number } }];
        seen.add(number);
        return [];
      });
    },
  },
];

