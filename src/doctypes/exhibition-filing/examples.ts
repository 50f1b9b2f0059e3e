/** A worked exhibition filing, published with the definition and checked by the contract test. */
import type { DocTypeExample } from '../../modules/doctypes/doctype.js';

const AGENT = '91310000MA1K4A2B90';

export const examples: readonly DocTypeExample[] = [
  {
    title: { en: 'Machine tools, wine and fresh fruit for a trade fair in Shanghai', zh: '上海展会的机床、葡萄酒与鲜果展品' },
    document: {
      declarant: AGENT,
      agent: { id: AGENT, name: 'Shanghai Example Exhibition Services Co., Ltd.' },
      event: { name: 'China International Import Expo', venue: 'National Exhibition and Convention Center', place: 'CNSHA', organiser: 'CIIE Bureau', opensOn: '2027-11-05', closesOn: '2027-11-10' },
      customsOffice: '2201',
      portOfEntry: 'CNSHA',
      currency: 'EUR',
      guarantee: { kind: 'ata-carnet', carnetNumber: 'DE/A123456' },
      exhibits: [
        { no: 1, hsCode: '8458110000', description: 'Horizontal CNC lathe', quantity: '1', unit: 'SET', value: '185000', originCountry: 'DE', exhibitor: 'Example Werkzeugmaschinen AG', disposal: 're-export' },
        { no: 2, hsCode: '2204210000', description: 'Red wine in bottles of 0.75 l', quantity: '120', unit: 'LTR', value: '1800', originCountry: 'FR', exhibitor: 'Domaine Exemple', disposal: 'consumption' },
        { no: 3, hsCode: '0808100000', description: 'Fresh apples', quantity: '200', unit: 'KGM', value: '600', originCountry: 'IT', exhibitor: 'Frutta Esempio', disposal: 'sale' },
      ],
    },
  },
];
