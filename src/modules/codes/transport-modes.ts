// UN/ECE Recommendation 19, Codes for Modes of Transport (the one-digit mode codes of UN/EDIFACT data element
// 8067 and of the WCO data model), with the Chinese names of GB/T 6512, which adopts it. China's customs
// declaration has a transport-mode list of its own (运输方式, with codes for bonded areas): that one is the
// store-backed list `cn-transport-mode`, imported from the GACC parameter table.

import type { CodeName } from './code-list-registry.js';

const TABLE: readonly (readonly [code: string, en: string, zh: string])[] = [
  ['0', 'Transport mode not specified', '运输方式未指明'],
  ['1', 'Maritime transport', '海运'],
  ['2', 'Rail transport', '铁路运输'],
  ['3', 'Road transport', '公路运输'],
  ['4', 'Air transport', '航空运输'],
  ['5', 'Mail', '邮件'],
  ['6', 'Multimodal transport', '多式联运'],
  ['7', 'Fixed transport installation', '固定运输设施'],
  ['8', 'Inland water transport', '内河运输'],
  ['9', 'Transport mode not applicable', '运输方式不适用'],
];

/** Rec 19 mode code -> names. */
export const TRANSPORT_MODES: ReadonlyMap<string, CodeName> = new Map(TABLE.map(([code, en, zh]) => [code, { en, zh }]));
