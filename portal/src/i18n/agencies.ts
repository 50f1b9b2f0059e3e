import type { Language } from '../api/types';

/** The agencies Kouan seeds (DESIGN.md, "Identifiers"), by their short codes. */
const NAMES: Readonly<Record<string, { readonly en: string; readonly zh: string }>> = {
  CUS: { en: 'Customs', zh: '海关' },
  CIQ: { en: 'Inspection and quarantine', zh: '检验检疫' },
  MSA: { en: 'Maritime safety', zh: '海事' },
  BOR: { en: 'Border police', zh: '边检' },
  MOC: { en: 'Commerce', zh: '商务' },
  MEE: { en: 'Ecology and environment', zh: '生态环境' },
  MOA: { en: 'Agriculture', zh: '农业农村' },
  TAX: { en: 'Tax', zh: '税务' },
  SAFE: { en: 'Foreign exchange', zh: '外汇管理' },
  PBC: { en: 'Central bank / treasury', zh: '人民银行 / 国库' },
  NMPA: { en: 'Medical products', zh: '药品监管' },
  OSCCA: { en: 'Cryptography', zh: '密码管理' },
  CITES: { en: 'Endangered species', zh: '濒危物种' },
  MOT: { en: 'Transport', zh: '交通运输' },
  RAIL: { en: 'Railway', zh: '铁路' },
  CAAC: { en: 'Civil aviation', zh: '民航' },
  MPS: { en: 'Public security', zh: '公安' },
  SAIC: { en: 'Market regulation', zh: '市场监管' },
};

/** The names of an agency's code, or undefined for a code Kouan does not seed. */
export function agencyNames(code: string): { readonly en: string; readonly zh: string } | undefined {
  return NAMES[code];
}

/** "CUS Customs" in the chosen language; an unknown code stays as it is. */
export function agencyName(code: string | null | undefined, language: Language): string {
  if (code === null || code === undefined) return '';
  const names = NAMES[code];
  return names === undefined ? code : `${code} ${names[language]}`;
}
