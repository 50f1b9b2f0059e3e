// The eleven Incoterms® 2020 rules (ICC), with the names of ICC's official Chinese edition.

/** An Incoterms rule's names in English and Chinese. */
export interface IncotermName {
  readonly en: string;
  readonly zh: string;
}

const TABLE: readonly (readonly [code: string, en: string, zh: string])[] = [
  // any mode of transport
  ['EXW', 'Ex Works', '工厂交货'],
  ['FCA', 'Free Carrier', '货交承运人'],
  ['CPT', 'Carriage Paid To', '运费付至'],
  ['CIP', 'Carriage and Insurance Paid To', '运费和保险费付至'],
  ['DAP', 'Delivered at Place', '目的地交货'],
  ['DPU', 'Delivered at Place Unloaded', '卸货地交货'],
  ['DDP', 'Delivered Duty Paid', '完税后交货'],
  // sea and inland waterway transport
  ['FAS', 'Free Alongside Ship', '船边交货'],
  ['FOB', 'Free on Board', '船上交货'],
  ['CFR', 'Cost and Freight', '成本加运费'],
  ['CIF', 'Cost, Insurance and Freight', '成本、保险费加运费'],
];

/** Incoterms 2020 rule code -> names. */
export const INCOTERMS: ReadonlyMap<string, IncotermName> = new Map(TABLE.map(([code, en, zh]) => [code, { en, zh }]));
