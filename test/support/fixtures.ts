/** Test parties and documents. Every identifier carries a correct check digit. */

export const BROKER = '91310115MA1H7L0Q2K';
export const IMPORTER = '91310000MA1K4A2B90';
export const OTHER_ENTERPRISE = '9131011566MA1X3Y4T';
export const EXPORTER = '9144030071MA1X3Y4H';

type Json = Record<string, unknown>;

/** The goods line of DESIGN.md's example, laptops (which need no inspection), without its licence reference. */
export const LAPTOPS = {
  hsCode: '8471300000',
  description: 'Portable computers',
  quantity: 200,
  unit: 'PCE',
  grossWeightKg: 820.5,
  netWeightKg: 700,
  value: 120000,
  originCountry: 'DE',
};

/** The canonical goods declaration of DESIGN.md: a broker imports laptops for a Shanghai trader. */
export function importDeclaration(overrides: Json = {}): Json {
  return {
    direction: 'import',
    declarant: BROKER,
    consignee: { id: IMPORTER, name: 'Shanghai Example Trading Co., Ltd.' },
    consignor: { name: 'Example Maschinen GmbH', country: 'DE' },
    customsOffice: '2201',
    portOfEntry: 'CNSHA',
    countryOfDispatch: 'DE',
    currency: 'EUR',
    incoterm: 'CIF',
    transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456', containers: ['MSKU1234565'] },
    lines: [LAPTOPS],
    ...overrides,
  };
}

/** A goods line that inspection and quarantine must see (fresh apples, HS 0808.10). */
export const APPLES = {
  hsCode: '0808100000',
  description: 'Fresh apples',
  quantity: '12.5',
  unit: 'TNE',
  grossWeightKg: '13100',
  netWeightKg: '12500',
  value: '15000.50',
  originCountry: 'NZ',
};

/** A goods declaration with `count` lines (for benchmarks and limits). */
export function declarationWithLines(count: number, overrides: Json = {}): Json {
  const base = importDeclaration(overrides);
  return { ...base, lines: Array.from({ length: count }, (_, index) => ({ ...LAPTOPS, description: `Portable computers, lot ${index + 1}` })) };
}
