/**
 * The goods declaration as China customs' XML declaration message (报关单报文 DecMessage, as the single window's
 * client software and brokers' systems exchange it since the 2018 merger of customs and inspection): read into the
 * canonical document, which is then validated as any JSON one, and printed from a stored one. The reader takes no
 * DTD and no entity (formats/xml/reader.ts). docs/goods-declaration.md has the mapping table.
 *
 *   DecHead   IEFlag I/E, CustomMaster the office (申报地海关), EntyPortCode the port (入境/离境口岸, a UN/LOCODE:
 *             see below), TradeCountry 启运国/运抵国 and TradeAreaCode 贸易国 (ISO alpha-3), TradeMode 监管方式,
 *             TrafMode 运输方式, TrafName the vessel (UN + IMO number), VoyageNo, BillNo, TransMode 成交方式,
 *             AgentCodeScc the declarant, TradeCoScc/TradeName the domestic consignee or consignor,
 *             OverseasConsignor... and OverseasConsignee... the foreign one, ManualNo the manual or temporary admission
 *             (备案号), GrossWet and NetWt, EntryId the declaration number
 *   DecList   GNo, CodeTS, GName and GModel, GQty/GUnit (customs units: 035 千克, 007 个 ...), FirstQty/FirstUnit
 *             and SecondQty/SecondUnit (the net weight where a statutory unit is 035), DeclTotal, TradeCurr,
 *             OriginCountry, ContrItem the item of the manual, DecGoodsLimits/DecGoodsLimit the licences of the
 *             line (LicTypeCode, LicenceNo, LicWrtofDetailNo its item)
 *   DecContainers/Container ContainerId;  DecLicenseDocus/LicenseDocu DocuCode + CertCode (监管证件)
 *
 * Kouan names ports by UN/LOCODE, China customs by its own port codes, which Kouan cannot map yet: a six-digit
 * GACC port code is refused with a clear problem, a UN/LOCODE in EntyPortCode is read (and printed). A licence of
 * the header (DecLicenseDocus) applies to the lines of the goods its type governs, unless the message names the
 * licences of each line (DecGoodsLimit), which then alone count.
 */
import { child, childrenOf, escapeXml, parseXml, textOf, type XmlElement } from '../../formats/xml/reader.js';
import type { FieldError } from '../../shared/errors.js';
import type { DocTypeFormat, FormatContext, FormatReading } from '../../modules/doctypes/doctype.js';
import { CN_UNITS } from '../../modules/codes/cn-units.js';
import { COUNTRY_ALPHA2, COUNTRY_ALPHA3 } from '../../modules/codes/country-alpha3.js';
import { ACCOUNT_TYPES } from '../../modules/ledger/account-types.js';
import { sumDecimals } from '../../shared/decimal.js';
import type { GoodsDeclaration, GoodsLine } from './schema.js';

export const DEC_NAMESPACE = 'http://www.chinaport.gov.cn/dec';

/** 运输方式: the GACC codes of the modes Kouan's declaration has. 9 (其他运输) stands for multimodal. */
const TRANSPORT_MODES: readonly [GoodsDeclaration['transport']['mode'], string][] = [
  ['sea', '2'],
  ['rail', '3'],
  ['road', '4'],
  ['air', '5'],
  ['post', '6'],
  ['multimodal', '9'],
];

/** 成交方式 read as the Incoterm it is; C&I (4), 市场价 (5) and 垫仓 (6) are none. */
const TRANSACTION_TERMS: Readonly<Record<string, string>> = { '1': 'CIF', '2': 'CFR', '3': 'FOB', '7': 'EXW' };
/** The Incoterm printed as the 成交方式 the GACC rules group it under. */
const TERM_OF_INCOTERM: Readonly<Record<string, string>> = { CIF: '1', CIP: '1', DAP: '1', DPU: '1', DDP: '1', CFR: '2', CPT: '2', FOB: '3', FCA: '3', FAS: '3', EXW: '7' };

/** 监管证件代码 -> the ledger account type; a type with no code is printed, and read, by its own id. */
const DOCUMENT_CODES: readonly [code: string, type: string][] = [
  ['1', 'import-licence'],
  ['7', 'automatic-import-licence'],
  ['O', 'automatic-import-licence'],
  ['t', 'tariff-quota-certificate'],
  ['P', 'solid-waste-import-permit'],
  ['X', 'hazardous-chemical-registration'],
  ['S', 'pesticide-registration'],
  ['A', 'inbound-clearance-form'],
  ['Y', 'certificate-of-origin'],
  ['Q', 'drug-import-permit'],
  ['F', 'cites-permit'],
  ['E', 'cites-permit'],
];
/** The account types the 备案号 (ManualNo) names, by trade mode; their item is the line's ContrItem. */
const MANUAL_TYPES: Readonly<Record<string, string>> = { '0214': 'processing-trade-manual', '0615': 'processing-trade-manual', '2600': 'temporary-admission', '2700': 'temporary-admission' };
const MANUAL_ACCOUNTS: ReadonlySet<string> = new Set(Object.values(MANUAL_TYPES));

const KILOGRAM = '035';
const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

type Json = Record<string, unknown>;

/** Reads one DecMessage into the canonical goods declaration, or says what in it cannot be read. */
export function readDecMessage(text: string): FormatReading {
  const root = parseXml(text);
  const errors: FieldError[] = [];
  if (root.local !== 'DecMessage') return { errors: [{ path: root.name, code: 'MESSAGE_NOT_ONE', params: { type: 'DecMessage', count: 0 } }] };
  const head = child(root, 'DecHead');
  if (head === undefined) return { errors: [{ path: 'DecMessage', code: 'MESSAGE_ELEMENT_MISSING', params: { element: 'DecHead' } }] };
  const at = (...names: string[]) => ['DecMessage', ...names].join('/');
  const unknown = (path: string, element: string, value: string, codes: string) => errors.push({ path, code: 'MESSAGE_VALUE_UNKNOWN', params: { element, value, codes } });
  const country = (path: string, element: string, code: string | undefined): string | undefined => {
    if (code === undefined) return undefined;
    const alpha2 = COUNTRY_ALPHA2.get(code.toUpperCase()) ?? (COUNTRY_ALPHA3.has(code.toUpperCase()) ? code.toUpperCase() : undefined);
    if (alpha2 === undefined) unknown(path, element, code, 'ISO 3166-1 alpha-3, e.g. CHN, DEU, USA');
    return alpha2;
  };

  const flag = textOf(head, 'IEFlag');
  const direction = flag === 'I' ? 'import' : flag === 'E' ? 'export' : undefined;
  if (direction === undefined) unknown(at('DecHead', 'IEFlag'), 'IEFlag', flag ?? '', 'I (import), E (export)');
  const importing = direction === 'import';

  const modeCode = textOf(head, 'TrafMode');
  const mode = TRANSPORT_MODES.find(([, code]) => code === modeCode)?.[0];
  if (modeCode !== undefined && mode === undefined) unknown(at('DecHead', 'TrafMode'), 'TrafMode', modeCode, TRANSPORT_MODES.map(([name, code]) => `${code} (${name})`).join(', '));
  const vessel = /^UN(\d{7})$/.exec(textOf(head, 'TrafName') ?? '')?.[1];
  const containers = childrenOf(child(root, 'DecContainers'), 'Container').flatMap((container) => {
    const id = textOf(container, 'ContainerId');
    return id === undefined ? [] : [id];
  });

  const port = textOf(head, 'EntyPortCode');
  if (port !== undefined && !LOCODE.test(port)) {
    errors.push({ path: at('DecHead', 'EntyPortCode'), code: 'MESSAGE_PORT_UNMAPPED', params: { value: port } });
  }
  const termCode = textOf(head, 'TransMode');
  const incoterm = termCode === undefined ? undefined : TRANSACTION_TERMS[termCode];
  const tradeMode = textOf(head, 'TradeMode');
  const tradeCountry = country(at('DecHead', 'TradeCountry'), 'TradeCountry', textOf(head, 'TradeCountry'));
  // The foreign party's country: the trading country (贸易国), else where the goods come from or go to.
  const tradeArea = textOf(head, 'TradeAreaCode');
  const foreignCountry = tradeArea === undefined ? tradeCountry : country(at('DecHead', 'TradeAreaCode'), 'TradeAreaCode', tradeArea);

  const domestic = party(textOf(head, 'TradeCoScc'), textOf(head, 'TradeName'), undefined, undefined);
  const overseas = importing
    ? party(textOf(head, 'OverseasConsignorCode'), textOf(head, 'OverseasConsignorEname') ?? textOf(head, 'OverseasConsignorCname'), textOf(head, 'OverseasConsignorAddr'), foreignCountry)
    : party(textOf(head, 'OverseasConsigneeCode'), textOf(head, 'OverseasConsigneeEname') ?? textOf(head, 'OverseasConsigneeCname'), textOf(head, 'OverseasConsigneeAddr'), foreignCountry);

  // The lines, in the order of their numbers.
  const listed = childrenOf(child(root, 'DecLists'), 'DecList');
  const numbered = listed.map((element, index) => ({ element, index, number: Number(textOf(element, 'GNo') ?? index + 1) })).sort((a, b) => a.number - b.number || a.index - b.index);
  const limitsOutside = childrenOf(child(root, 'DecGoodsLimits'), 'DecGoodsLimit');
  const lineLimits = (element: XmlElement, number: number) => [...childrenOf(child(element, 'DecGoodsLimits'), 'DecGoodsLimit'), ...limitsOutside.filter((limit) => Number(textOf(limit, 'GoodsNo')) === number)];
  const perLine = listed.some((element) => child(element, 'DecGoodsLimits') !== undefined) || limitsOutside.length > 0;
  const single = numbered.length === 1;
  const currencies = new Set<string>();
  const manualNo = textOf(head, 'ManualNo');
  const manualType = tradeMode === undefined ? undefined : MANUAL_TYPES[tradeMode];

  const lines: Json[] = numbered.map(({ element, index, number }) => {
    const path = (name: string) => at('DecLists', `DecList[${String(index + 1)}]`, name);
    const name = textOf(element, 'GName');
    const model = textOf(element, 'GModel');
    const unitCode = textOf(element, 'GUnit');
    const unit = unitCode === undefined ? undefined : CN_UNITS.get(unitCode)?.rec20[0];
    if (unitCode !== undefined && unit === undefined) unknown(path('GUnit'), 'GUnit', unitCode, 'a customs unit with a UN/ECE Rec 20 equivalent, e.g. 035 (KGM), 007 (PCE), 006 (SET)');
    const kilograms = [['FirstUnit', 'FirstQty'], ['SecondUnit', 'SecondQty'], ['GUnit', 'GQty']].find(([unitName]) => textOf(element, unitName ?? '') === KILOGRAM);
    const net = kilograms === undefined ? (single ? textOf(head, 'NetWt') : undefined) : textOf(element, kilograms[1] ?? '');
    const gross = single ? textOf(head, 'GrossWet') : undefined;
    const currency = textOf(element, 'TradeCurr');
    if (currency !== undefined) currencies.add(currency);
    const documents: Json[] = [];
    if (manualNo !== undefined && manualType !== undefined) {
      const item = textOf(element, 'ContrItem');
      documents.push({ type: manualType, number: manualNo, ...(item === undefined ? {} : { key: item }) });
    }
    for (const [limitIndex, limit] of lineLimits(element, number).entries()) {
      const code = textOf(limit, 'LicTypeCode');
      const licence = textOf(limit, 'LicenceNo');
      const type = code === undefined ? undefined : typeOfCode(code);
      if (code !== undefined && type === undefined) unknown(path(`DecGoodsLimits/DecGoodsLimit[${String(limitIndex + 1)}]/LicTypeCode`), 'LicTypeCode', code, codeList());
      if (type === undefined || licence === undefined) continue;
      const item = textOf(limit, 'LicWrtofDetailNo');
      documents.push({ type, number: licence, ...(item === undefined ? {} : { key: item }) });
    }
    return {
      ...optional('hsCode', textOf(element, 'CodeTS')),
      ...optional('description', name === undefined ? model : model === undefined ? name : `${name} ${model}`),
      ...optional('quantity', textOf(element, 'GQty')),
      ...optional('unit', unit),
      ...optional('grossWeightKg', gross),
      ...optional('netWeightKg', net),
      ...optional('value', textOf(element, 'DeclTotal')),
      ...optional('originCountry', country(path('OriginCountry'), 'OriginCountry', textOf(element, 'OriginCountry'))),
      ...(documents.length === 0 ? {} : { documents }),
    };
  });
  if (currencies.size > 1) errors.push({ path: at('DecLists'), code: 'MESSAGE_CURRENCIES_MIXED', params: { currencies: [...currencies].join(', ') } });

  // The header's licences, when no line names its own: on the lines of the goods the type governs.
  if (!perLine) {
    for (const [index, licence] of childrenOf(child(root, 'DecLicenseDocus'), 'LicenseDocu').entries()) {
      const code = textOf(licence, 'DocuCode');
      const number = textOf(licence, 'CertCode');
      const path = at('DecLicenseDocus', `LicenseDocu[${String(index + 1)}]`, 'DocuCode');
      const type = code === undefined ? undefined : typeOfCode(code);
      if (code !== undefined && type === undefined) unknown(path, 'DocuCode', code, codeList());
      if (type === undefined || number === undefined || MANUAL_ACCOUNTS.has(type)) continue;
      const governs = ACCOUNT_TYPES.find((candidate) => candidate.id === type)?.governs ?? [];
      const covered = lines.filter((line) => governs.length === 0 || governs.some((prefix) => (typeof line.hsCode === 'string' ? line.hsCode : '').startsWith(prefix)));
      if (covered.length === 0) errors.push({ path, code: 'MESSAGE_LICENCE_UNMATCHED', params: { type, number } });
      for (const line of covered) line.documents = [...((line.documents as Json[] | undefined) ?? []), { type, number }];
    }
  }
  if (errors.length > 0) return { errors };

  const document: Json = {
    ...optional('direction', direction),
    ...optional('declarant', textOf(head, 'AgentCodeScc')),
    ...(domestic === undefined ? {} : { [importing ? 'consignee' : 'consignor']: domestic }),
    ...(overseas === undefined ? {} : { [importing ? 'consignor' : 'consignee']: overseas }),
    ...optional('customsOffice', textOf(head, 'CustomMaster')),
    ...optional(importing ? 'portOfEntry' : 'portOfExit', port),
    ...optional(importing ? 'countryOfDispatch' : 'countryOfDestination', tradeCountry),
    ...optional('currency', [...currencies][0]),
    ...optional('incoterm', incoterm),
    ...optional('tradeMode', tradeMode),
    transport: {
      ...optional('mode', mode),
      ...optional('vesselImo', vessel),
      ...optional('voyage', textOf(head, 'VoyageNo')),
      ...optional('billOfLading', textOf(head, 'BillNo')),
      ...(containers.length === 0 ? {} : { containers }),
    },
    lines,
  };
  return { document };
}

function party(id: string | undefined, name: string | undefined, address: string | undefined, country: string | undefined): Json | undefined {
  if (id === undefined && name === undefined) return undefined;
  return { ...optional('id', id), ...optional('name', name), ...optional('country', country), ...optional('address', address) };
}

function optional(name: string, text: string | undefined): Json {
  return text === undefined ? {} : { [name]: text };
}

function typeOfCode(code: string): string | undefined {
  return DOCUMENT_CODES.find(([candidate]) => candidate === code)?.[1] ?? ACCOUNT_TYPES.find((type) => type.id === code)?.id;
}

function codeList(): string {
  return `${DOCUMENT_CODES.map(([code, type]) => `${code} (${type})`).join(', ')}, or a Kouan account type`;
}

/** The code a document type is printed with: its 监管证件代码, else its own id. */
function codeOfType(type: string): string {
  return DOCUMENT_CODES.find(([, candidate]) => candidate === type)?.[0] ?? type;
}

/** The customs unit a Rec 20 unit is printed as: the first whose equivalents it heads (个 for pieces). */
function customsUnit(rec20: string): string {
  const preferred = rec20 === 'PCE' || rec20 === 'H87' || rec20 === 'C62' || rec20 === 'NAR' ? '007' : undefined;
  if (preferred !== undefined) return preferred;
  for (const [code, unit] of CN_UNITS) if (unit.rec20.includes(rec20)) return code;
  return rec20;
}

/** A decimal as the stored document holds it (text), whatever the type says it may have been sent as. */
function decimal(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The DecMessage carrying the stored declaration (UTF-8). */
export function printDecMessage(document: GoodsDeclaration, context: FormatContext): string {
  const importing = document.direction === 'import';
  const domestic = importing ? document.consignee : document.consignor;
  const overseas = importing ? document.consignor : document.consignee;
  const overseasRole = importing ? 'OverseasConsignor' : 'OverseasConsignee';
  const manual = document.lines.flatMap((line) => line.documents ?? []).find((reference) => MANUAL_ACCOUNTS.has(reference.type));
  const weights = (pick: (line: GoodsLine) => string | number | undefined) => {
    const values = document.lines.map((line) => decimal(pick(line)));
    return values.every((value) => value !== undefined) ? sumDecimals(values) : undefined;
  };
  const country = (alpha2: string | undefined) => (alpha2 === undefined ? undefined : (COUNTRY_ALPHA3.get(alpha2) ?? alpha2));
  const head: [string, string | undefined][] = [
    ['IEFlag', importing ? 'I' : 'E'],
    ['EntryId', context.number ?? undefined],
    ['CustomMaster', document.customsOffice],
    ['EntyPortCode', importing ? document.portOfEntry : document.portOfExit],
    ['TradeCountry', country(importing ? document.countryOfDispatch : document.countryOfDestination)],
    ['TradeAreaCode', country(overseas.country)],
    ['TradeMode', document.tradeMode],
    ['TrafMode', TRANSPORT_MODES.find(([mode]) => mode === document.transport.mode)?.[1]],
    ['TrafName', document.transport.vesselImo === undefined ? undefined : `UN${document.transport.vesselImo}`],
    ['VoyageNo', document.transport.voyage],
    ['BillNo', document.transport.billOfLading],
    ['TransMode', document.incoterm === undefined ? undefined : TERM_OF_INCOTERM[document.incoterm]],
    ['ManualNo', manual?.number],
    ['GrossWet', weights((line) => line.grossWeightKg)],
    ['NetWt', weights((line) => line.netWeightKg)],
    ['AgentCodeScc', document.declarant],
    ['TradeCoScc', domestic.id],
    ['TradeName', domestic.name],
    [`${overseasRole}Code`, overseas.id],
    [`${overseasRole}Ename`, overseas.name],
    [`${overseasRole}Addr`, overseas.address],
  ];
  const element = (name: string, value: string | undefined, indent: string) => (value === undefined ? [] : [`${indent}<${name}>${escapeXml(value)}</${name}>`]);
  const licences = new Map<string, { code: string; number: string }>();
  const lines = document.lines.flatMap((line, index) => {
    const own = (line.documents ?? []).filter((reference) => !MANUAL_ACCOUNTS.has(reference.type));
    for (const reference of own) licences.set(`${reference.type}\n${reference.number}`, { code: codeOfType(reference.type), number: reference.number });
    const item = (line.documents ?? []).find((reference) => MANUAL_ACCOUNTS.has(reference.type))?.key;
    return [
      '    <DecList>',
      ...element('GNo', String(index + 1), '      '),
      ...element('CodeTS', line.hsCode, '      '),
      ...element('ContrItem', item, '      '),
      ...element('GName', line.description, '      '),
      ...element('GQty', decimal(line.quantity), '      '),
      ...element('GUnit', customsUnit(line.unit), '      '),
      ...element('FirstQty', decimal(line.netWeightKg), '      '),
      ...element('FirstUnit', KILOGRAM, '      '),
      ...element('DeclTotal', decimal(line.value), '      '),
      ...element('TradeCurr', document.currency, '      '),
      ...element('OriginCountry', country(line.originCountry), '      '),
      ...(own.length === 0
        ? []
        : [
            '      <DecGoodsLimits>',
            ...own.flatMap((reference) => [
              '        <DecGoodsLimit>',
              ...element('GoodsNo', String(index + 1), '          '),
              ...element('LicTypeCode', codeOfType(reference.type), '          '),
              ...element('LicenceNo', reference.number, '          '),
              ...element('LicWrtofDetailNo', reference.key, '          '),
              '        </DecGoodsLimit>',
            ]),
            '      </DecGoodsLimits>',
          ]),
      '    </DecList>',
    ];
  });
  const containers = document.transport.containers ?? [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<DecMessage xmlns="${DEC_NAMESPACE}" Version="3.1">`,
    '  <DecHead>',
    ...head.flatMap(([name, value]) => element(name, value, '    ')),
    '  </DecHead>',
    '  <DecLists>',
    ...lines,
    '  </DecLists>',
    ...(containers.length === 0 ? [] : ['  <DecContainers>', ...containers.flatMap((id) => ['    <Container>', ...element('ContainerId', id, '      '), '    </Container>']), '  </DecContainers>']),
    ...(licences.size === 0
      ? []
      : ['  <DecLicenseDocus>', ...[...licences.values()].flatMap(({ code, number }) => ['    <LicenseDocu>', ...element('DocuCode', code, '      '), ...element('CertCode', number, '      '), '    </LicenseDocu>']), '  </DecLicenseDocus>']),
    '</DecMessage>',
    '',
  ].join('\n');
}

export const decMessage: DocTypeFormat<GoodsDeclaration> = {
  id: 'decmessage',
  title: { en: 'China customs declaration message (DecMessage XML)', zh: '中国海关报关单报文（DecMessage XML）' },
  mediaType: 'application/xml',
  extension: 'xml',
  recognizes: (text) => /<(?:[\w.-]+:)?DecMessage[\s>/]/.test(text.slice(0, 2000)),
  parse: readDecMessage,
  print: printDecMessage,
};
