/** A worked processing-trade closure, published with the definition and checked by the contract test. */
import type { DocTypeExample } from '../../modules/doctypes/doctype.js';

const ENTERPRISE = '91310000MA1K4A2B90';

export const examples: readonly DocTypeExample[] = [
  {
    title: { en: 'Closing the shirt manual: 9,900 shirts exported, some fabric sold domestically, the rest left over', zh: '衬衫手册核销：出口成品9900件，部分面料内销，其余为余料' },
    document: {
      declarant: ENTERPRISE,
      enterprise: { id: ENTERPRISE, name: 'Shanghai Example Garments Co., Ltd.' },
      manual: 'PTM-01M8V93ZZ2BJV73WVPQPW35HB',
      customsOffice: '2201',
      domesticSalesApproval: 'SHNX-2027-0042',
      materials: [
        { line: 1, imported: '16500', consumed: '16335', domesticSales: '100', leftover: '65', scrap: '0', destroyed: '0' },
        { line: 2, imported: '21', consumed: '19.8', domesticSales: '0', leftover: '0', scrap: '1.2', destroyed: '0' },
      ],
    },
  },
];
