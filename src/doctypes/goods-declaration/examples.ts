/** Worked examples of goods declarations, published with the definition and checked by the contract test. */
import type { DocTypeExample } from '../../modules/doctypes/doctype.js';

const IMPORTER = '91310000MA1K4A2B90';
const EXPORTER = '9144030071MA1X3Y4H';

export const examples: readonly DocTypeExample[] = [
  {
    title: { en: 'An import of laptops by sea, declared by the importer itself', zh: '进口商自理申报的海运笔记本电脑进口' },
    document: {
      direction: 'import',
      declarant: IMPORTER,
      consignee: { id: IMPORTER, name: 'Shanghai Example Trading Co., Ltd.' },
      consignor: { name: 'Example Maschinen GmbH', country: 'DE' },
      customsOffice: '2201',
      portOfEntry: 'CNSHA',
      countryOfDispatch: 'DE',
      currency: 'EUR',
      incoterm: 'CIF',
      transport: { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUDE123456', containers: ['MSKU1234565'] },
      lines: [{ hsCode: '8471300000', description: 'Portable computers', quantity: 200, unit: 'PCE', grossWeightKg: '460', netWeightKg: '400', value: '150000', originCountry: 'CN' }],
    },
  },
  {
    title: { en: 'An export of fresh apples by air, which inspection and quarantine also sees', zh: '空运出口鲜苹果（同时报检验检疫）' },
    document: {
      direction: 'export',
      declarant: EXPORTER,
      consignee: { name: 'Fresh Fruit Pte. Ltd.', country: 'SG' },
      consignor: { id: EXPORTER, name: 'Shenzhen Example Orchards Co., Ltd.' },
      customsOffice: '5301',
      portOfExit: 'CNSZX',
      countryOfDestination: 'SG',
      currency: 'USD',
      transport: { mode: 'air' },
      lines: [{ hsCode: '0808100000', description: 'Fresh apples', quantity: '12.5', unit: 'TNE', grossWeightKg: '13100', netWeightKg: '12500', value: '15000.50', originCountry: 'CN' }],
    },
  },
];
