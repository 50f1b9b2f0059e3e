/** A worked processing-trade filing, published with the definition and checked by the contract test. */
import type { DocTypeExample } from '../../modules/doctypes/doctype.js';

const ENTERPRISE = '91310000MA1K4A2B90';

export const examples: readonly DocTypeExample[] = [
  {
    title: { en: "Men's cotton shirts made from supplied fabric and press-studs", zh: '来料加工棉制男衬衫（进口面料与揿扣）' },
    document: {
      declarant: ENTERPRISE,
      enterprise: { id: ENTERPRISE, name: 'Shanghai Example Garments Co., Ltd.' },
      tradeMode: '0214',
      customsOffice: '2201',
      contract: { number: 'SEG-2026-017', signedOn: '2026-11-20', foreignParty: { name: 'Example Apparel Ltd.', country: 'HK' }, currency: 'USD' },
      validTo: '2027-11-30',
      materials: [
        { no: 1, hsCode: '5208320000', description: 'Dyed plain-weave cotton fabric, 100-200 g/m²', quantity: '16500', unit: 'MTR', value: '24750' },
        { no: 2, hsCode: '9606100000', description: 'Press-studs', quantity: '21', unit: 'KGM', value: '630' },
      ],
      products: [
        {
          no: 1,
          hsCode: '6205200000',
          description: "Men's shirts of cotton",
          quantity: '10000',
          unit: 'PCE',
          value: '68000',
          consumption: [
            { material: 1, unitConsumption: '1.65', wastePct: '3' },
            { material: 2, unitConsumption: '0.002' },
          ],
        },
      ],
    },
  },
];
