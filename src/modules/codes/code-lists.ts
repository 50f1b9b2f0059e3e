/**
 * The code lists the codes module registers: what Kouan ships. A document type registers the lists of its own
 * the same way (`codes.registry.register(...)`). Store-backed lists name the public file of China customs'
 * parameter tables (the GACC 报关单参数, `cn-customs/` in the reference data) that an operator imports as is.
 */
import type { CodeListDefinition } from './code-list-registry.js';
import { COUNTRIES } from './countries.js';
import { CURRENCIES } from './currencies.js';
import { INCOTERMS } from './incoterms.js';
import { PACKAGE_TYPES } from './package-types.js';
import { TRANSPORT_MODES } from './transport-modes.js';
import { UNITS } from './units.js';

/** Lists compiled into Kouan: always loaded. */
const BUILT_IN: readonly CodeListDefinition[] = [
  { id: 'country', title: { en: 'Countries (ISO 3166-1 alpha-2)', zh: '国家（地区）代码（ISO 3166-1 两位字母）' }, errorCode: 'COUNTRY_UNKNOWN', source: { kind: 'built-in', entries: COUNTRIES } },
  { id: 'currency', title: { en: 'Currencies (ISO 4217)', zh: '币制（ISO 4217）' }, errorCode: 'CURRENCY_UNKNOWN', source: { kind: 'built-in', entries: CURRENCIES } },
  { id: 'unit', title: { en: 'Units of measure (UN/ECE Recommendation 20)', zh: '计量单位（UN/ECE 第 20 号建议书）' }, errorCode: 'UNIT_UNKNOWN', source: { kind: 'built-in', entries: UNITS } },
  { id: 'incoterm', title: { en: 'Incoterms 2020 rules', zh: '2020 版国际贸易术语' }, errorCode: 'INCOTERM_UNKNOWN', source: { kind: 'built-in', entries: INCOTERMS } },
  { id: 'transport-mode', title: { en: 'Modes of transport (UN/ECE Recommendation 19)', zh: '运输方式（UN/ECE 第 19 号建议书）' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'built-in', entries: TRANSPORT_MODES } },
  { id: 'package-type', title: { en: 'Package types, common codes (UN/ECE Recommendation 21)', zh: '包装种类常用代码（UN/ECE 第 21 号建议书）' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'built-in', entries: PACKAGE_TYPES } },
];

/** Lists with tables and checks of their own (codes.repository.ts, validation.ts). */
const SPECIAL: readonly CodeListDefinition[] = [
  { id: 'hs', title: { en: 'Harmonized System nomenclature', zh: '商品名称及编码协调制度（HS）' }, errorCode: 'HS_UNKNOWN', source: { kind: 'special' } },
  { id: 'locode', title: { en: 'UN/LOCODE locations', zh: 'UN/LOCODE 地点代码' }, errorCode: 'LOCODE_UNKNOWN', source: { kind: 'special' } },
  { id: 'tariff', title: { en: 'National tariff lines (ten digits)', zh: '进出口税则商品编码（十位）' }, errorCode: 'TARIFF_LINE_UNKNOWN', source: { kind: 'special' } },
  { id: 'customs-offices', title: { en: 'Customs offices', zh: '关区代码' }, errorCode: 'CUSTOMS_OFFICE_UNKNOWN', source: { kind: 'special' } },
];

const gacc = (file: string) => `the GACC parameter table, e.g. cn-customs/${file}`;

/** Lists an operator imports (`kouan codes import <list> FILE`): the parameter tables of China's goods declaration. */
const STORED: readonly CodeListDefinition[] = [
  { id: 'trade-mode', title: { en: 'Trade modes (customs regimes)', zh: '监管方式' }, errorCode: 'TRADE_MODE_UNKNOWN', source: { kind: 'store', codePattern: '^\\d{4}$', file: gacc('trade_modes.csv') } },
  { id: 'levy-nature', title: { en: 'Levy natures (duty treatment)', zh: '征免性质' }, errorCode: 'LEVY_NATURE_UNKNOWN', source: { kind: 'store', codePattern: '^\\d{3}$', file: gacc('levy_natures.csv') } },
  { id: 'levy-method', title: { en: 'Levy methods (duty exemption ways)', zh: '征免方式' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d$', file: gacc('levy_methods.csv') } },
  {
    id: 'cn-transaction-term',
    title: { en: 'Transaction terms of the customs declaration', zh: '成交方式' },
    errorCode: 'CODE_NOT_IN_LIST',
    // The table writes its names (CIF, C&F, 市场价) in one column, `name`.
    source: { kind: 'store', codePattern: '^\\d$', columns: { zh: 'name' }, file: gacc('transaction_terms.csv') },
  },
  { id: 'cn-transport-mode', title: { en: 'Transport modes of the customs declaration', zh: '运输方式（海关）' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^[0-9A-Z]$', file: gacc('transport_modes.csv') } },
  { id: 'cn-package-type', title: { en: 'Package types of the customs declaration', zh: '包装种类（海关）' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{2}$', file: gacc('package_types.csv') } },
  { id: 'container-size', title: { en: 'Container sizes of the customs declaration', zh: '集装箱规格' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{2}$', file: gacc('container_sizes.csv') } },
  { id: 'domestic-port', title: { en: 'Domestic ports of entry and exit', zh: '国内口岸' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{6}$', file: gacc('domestic_ports.csv') } },
  { id: 'inspection-authority', title: { en: 'Inspection and quarantine authorities', zh: '检验检疫机关' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{6}$', file: gacc('inspection_authorities.csv') } },
  { id: 'goods-use', title: { en: 'Uses of goods', zh: '用途' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{2}$', file: gacc('goods_use_codes.csv') } },
  { id: 'goods-attribute', title: { en: 'Goods attributes', zh: '货物属性' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{2}$', file: gacc('goods_attributes.csv') } },
  { id: 'attached-document', title: { en: 'Attached document types', zh: '随附单据类型' }, errorCode: 'CODE_NOT_IN_LIST', source: { kind: 'store', codePattern: '^\\d{8}$', file: gacc('edoc_types.csv') } },
];

/** Every list the codes module registers, in the order `GET /api/v1/codes` shows them. */
export const CODES_MODULE_LISTS: readonly CodeListDefinition[] = [...BUILT_IN, ...SPECIAL, ...STORED];
