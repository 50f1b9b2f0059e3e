/**
 * The ledger's account types (电子底账的证件种类): which agency issues each licence, permit or certificate, which
 * goods it may cover, whether one declaration or several may use it, and how far a declaration may overshoot it.
 * Types are data: the ledger engine is the same for all of them (DESIGN.md, "The ledger is one engine").
 *
 * Sources are the Chinese rules in force as far as we know them (late 2025); where a document has been
 * abolished or its issuer has changed, the entry says so, and the type stays because deployments replaying
 * older declarations, or other jurisdictions, still use it.
 */

import type { ModelId } from './ledger.schema.js';

export type Direction = 'import' | 'export';

export interface AccountAttribute {
  readonly name: string;
  readonly allowed: readonly string[];
  readonly required: boolean;
}

export interface AccountType {
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  /** Prefix of the account numbers Kouan generates for this type, e.g. AIL-2026-000123. */
  readonly prefix: string;
  /**
   * Who may issue it: agency codes (DESIGN.md, "Identifiers"), `carrier` (an enterprise with the carrier role, for
   * the bills it issued) or `platform` (Kouan itself, when a document type's approval opens the account).
   */
  readonly issuers: readonly string[];
  readonly directions: readonly Direction[];
  /** HS prefixes (2, 4 or 6 digits) an account line may cover; empty means any goods. */
  readonly governs: readonly string[];
  /** single: one declaration uses it (maxUses is forced to 1); multiple: the issuer sets maxUses. */
  readonly use: 'single' | 'multiple';
  /** Overshoot allowed when the issuer says nothing, in percent, as a decimal string. */
  readonly defaultTolerancePct: string;
  /** The most an issuer may allow, in percent, as a decimal string. */
  readonly maxTolerancePct: string;
  readonly attributes?: readonly AccountAttribute[];
  /** What its lines mean and how claims take from them (models/, docs/ledger.md "Models"). */
  readonly model: ModelId;
}

/** The FTAs whose preferential certificates the default types accept (China-ASEAN, China-Chile, China-Singapore). */
export const PREFERENTIAL_AGREEMENTS: readonly string[] = ['CN-ASEAN', 'CN-CL', 'CN-SG'];

export const ACCOUNT_TYPES: readonly AccountType[] = [
  {
    id: 'import-licence',
    en: 'Import licence',
    zh: '进口许可证',
    prefix: 'IL',
    issuers: ['MOC'],
    directions: ['import'],
    // The import licence catalogue now covers ozone-depleting substances (halogenated hydrocarbons and their
    // mixtures) and key used mechanical and electrical products, which are classified with the new goods.
    governs: ['2903', '3824', '3827', '84', '85', '89'],
    // One shipment by default (一批一证); a licence marked 非一批一证 may be used up to 12 times, so the issuer sets maxUses.
    use: 'multiple',
    // Bulk goods may overshoot the licensed quantity by up to 5% (international practice, written into the
    // licence rules); counted goods get none unless the issuer grants it.
    defaultTolerancePct: '0',
    maxTolerancePct: '5',
    model: 'quantity',
  },
  {
    id: 'automatic-import-licence',
    en: 'Automatic import licence',
    zh: '自动进口许可证',
    prefix: 'AIL',
    // MOFCOM's licence bureau, its resident commissioners and the provincial commerce departments issue it.
    issuers: ['MOC'],
    directions: ['import'],
    // The catalogue, revised yearly: meat and dairy, soybeans and rapeseed, vegetable oils, tobacco, ores, coal,
    // crude and refined oil, fertilisers, steel, and mechanical and electrical products (vehicles, aircraft,
    // ships, telecoms equipment). The scope is wider than any one year's list so that a new list needs no release.
    governs: [
      '0201', '0202', '0203', '0204', '0207', '0401', '0402', '1201', '1205', '1507', '1508', '1509', '1510',
      '1511', '1512', '1513', '1514', '24', '2601', '2603', '2701', '2709', '2710', '3102', '3103', '3104',
      '3105', '5502', '72', '84', '85', '86', '87', '88', '89', '90',
    ],
    // 一批一证 by default; otherwise up to 6 uses within its six months, set by the issuer.
    use: 'multiple',
    // Bulk cargo (ores, coal) may overshoot by up to 5%; crude oil, refined oil, fertilisers and steel by 3%.
    // The issuer picks the figure per licence; counted goods such as computers get 0.
    defaultTolerancePct: '0',
    maxTolerancePct: '5',
    model: 'quantity',
  },
  {
    id: 'tariff-quota-certificate',
    en: 'Tariff-rate quota certificate',
    zh: '进口关税配额证',
    prefix: 'TRQ',
    // NDRC allocates grain and cotton quotas and MOFCOM sugar, wool and fertiliser; NDRC is not a Kouan agency,
    // so commerce (MOC) stands for both issuers.
    issuers: ['MOC'],
    directions: ['import'],
    // China's TRQ goods: wheat, maize and rice with their flours and meals, cane or beet sugar, wool and wool
    // tops, cotton, and urea, NPK compound and diammonium phosphate fertilisers.
    governs: ['1001', '1005', '1006', '1101', '1102', '1103', '1104', '1701', '3102', '3105', '5101', '5105', '5201', '5203'],
    // The electronic certificate (networked with customs since 2023) has no limit on the number of uses.
    use: 'multiple',
    // A quantity beyond the certificate pays the out-of-quota rate; the certificate itself grants no overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'solid-waste-import-permit',
    en: 'Solid waste import permit (restricted wastes usable as raw materials)',
    zh: '限制进口类可用作原料的固体废物进口许可证',
    prefix: 'SWP',
    // MEE stopped issuing these on 1 January 2021, when China banned solid-waste imports outright. The type stays
    // so that a condition on waste goods still fails every line (no valid permit can exist) and so that
    // deployments elsewhere can use it.
    issuers: ['MEE'],
    directions: ['import'],
    governs: ['3915', '4707', '7204', '7404', '7503', '7602', '8908'],
    use: 'multiple',
    // Restricted wastes were admitted only up to the permitted quantity; no overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'hazardous-chemical-registration',
    en: 'Toxic chemical import/export environmental release notice (formerly registration certificate)',
    zh: '有毒化学品进（出）口环境管理放行通知单',
    prefix: 'TCN',
    issuers: ['MEE'],
    directions: ['import', 'export'],
    // The strictly restricted toxic chemicals list (2020): PFOS and its salts and PFOSF, HBCDD, mercury,
    // tetramethyl and tetraethyl lead, PCTs, tributyltin compounds, short-chain chlorinated paraffins.
    governs: ['2805', '2852', '2903', '2904', '2931', '3824'],
    // Each release notice covers one consignment.
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'pesticide-registration',
    en: 'Pesticide import/export registration release notice',
    zh: '农药进出口登记管理放行通知单',
    prefix: 'PRN',
    // MOA (its Institute for the Control of Agrochemicals) issues it to holders of a pesticide registration.
    issuers: ['MOA'],
    directions: ['import', 'export'],
    // Formulated pesticides (3808) and technical-grade active ingredients, which are chapter 29 compounds.
    governs: ['29', '3808'],
    // Each release notice covers one consignment.
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'inbound-clearance-form',
    en: 'Inbound goods clearance form',
    zh: '入境货物通关单',
    prefix: 'ICF',
    // The paper form was abolished in 2018 when inspection and quarantine merged into customs; Kouan keeps it
    // as the electronic record by which CIQ releases goods that need quarantine before customs clears them.
    issuers: ['CIQ'],
    directions: ['import'],
    // The legal-inspection catalogue reaches into most chapters, machinery included.
    governs: [],
    // One form per declaration.
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'certificate-of-origin',
    en: 'Certificate of origin (non-preferential)',
    zh: '一般原产地证书',
    prefix: 'CO',
    // Customs' origin service (CIQ here) issues it for exports; CCPIT also does, but is not a Kouan agency.
    issuers: ['CIQ'],
    directions: ['export'],
    governs: [],
    use: 'single',
    // Agreements and importing customs tolerate minor discrepancies; bulk goods weighed at loading and at
    // discharge rarely agree exactly, so an issuer may allow up to 5%.
    defaultTolerancePct: '0',
    maxTolerancePct: '5',
    model: 'quantity',
  },
  {
    id: 'preferential-certificate-of-origin',
    en: 'Preferential certificate of origin',
    zh: '优惠原产地证书',
    prefix: 'PCO',
    // CIQ issues Chinese certificates for exports (Form E, Form F, China-Singapore); certificates issued abroad
    // for imports reach customs (CUS) through the electronic origin data exchange, which records them here.
    issuers: ['CIQ', 'CUS'],
    directions: ['import', 'export'],
    governs: [],
    // A certificate covers one consignment.
    use: 'single',
    // As for the non-preferential certificate: minor discrepancies do not invalidate it.
    defaultTolerancePct: '0',
    maxTolerancePct: '5',
    attributes: [{ name: 'agreement', allowed: PREFERENTIAL_AGREEMENTS, required: true }],
    model: 'quantity',
  },
  {
    id: 'crypto-product-import-licence',
    en: 'Commercial cryptography import licence',
    zh: '两用物项和技术进口许可证（商用密码）',
    prefix: 'CPL',
    // Until 2020 OSCCA issued the licence itself; since 2021 goods on the commercial cryptography import list
    // need a MOFCOM dual-use import licence granted on OSCCA's approval. Either may issue here.
    issuers: ['OSCCA', 'MOC'],
    directions: ['import'],
    // Encrypting telephones and fax machines, cipher machines and cards, encrypting VPN equipment.
    governs: ['8443', '8471', '8517', '8542', '8543'],
    // One shipment by default; the issuer may allow several.
    use: 'multiple',
    // Counted devices: no overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'cites-permit',
    en: 'CITES import/export permit',
    zh: '濒危野生动植物种国际贸易公约允许进出口证明书',
    prefix: 'CTS',
    // The Endangered Species Import and Export Management Office (CITES management authority) issues it.
    issuers: ['CITES'],
    directions: ['import', 'export'],
    // Chapters where CITES-listed specimens commonly occur: live animals, meat, fish, animal products, plants,
    // medicinal plants and extracts, leather and furskins, timber, worked animal material, instruments, antiques.
    governs: ['01', '02', '03', '05', '06', '12', '13', '14', '16', '30', '41', '42', '43', '44', '92', '96', '97'],
    // CITES Res. Conf. 12.3: a permit is valid for one shipment only.
    use: 'single',
    // The permit states the specimens; none more may pass.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    attributes: [{ name: 'appendix', allowed: ['I', 'II', 'III'], required: false }],
    model: 'quantity',
  },
  {
    id: 'drug-import-permit',
    en: 'Narcotic and psychotropic drug import permit',
    zh: '麻醉药品和精神药品进口准许证',
    prefix: 'DIP',
    issuers: ['NMPA'],
    directions: ['import'],
    // Opium and poppy straw, controlled substances in chapter 29, and medicaments containing them.
    governs: ['1211', '1302', '2922', '2933', '2934', '2939', '3003', '3004'],
    // Each permit covers one import.
    use: 'single',
    // Controlled substances: exactly the permitted quantity.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'drug-export-permit',
    en: 'Narcotic and psychotropic drug export permit',
    zh: '麻醉药品和精神药品出口准许证',
    prefix: 'DEP',
    issuers: ['NMPA'],
    directions: ['export'],
    governs: ['1211', '1302', '2922', '2933', '2934', '2939', '3003', '3004'],
    // Each permit covers one export.
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'processing-trade-manual',
    en: 'Processing-trade manual',
    zh: '加工贸易手册',
    prefix: 'PTM',
    // Commerce approved processing-trade contracts until that approval was abolished in 2016; customs sets the
    // manual up and keeps it. Either may open one here, and Kouan on the approval of a processing-trade filing.
    issuers: ['MOC', 'CUS', 'platform'],
    directions: ['import', 'export'],
    // Materials and finished products may be any goods.
    governs: [],
    use: 'multiple',
    // Consumption ratios already carry the allowed waste; the manual grants no further overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    // 0214 processing with supplied materials, 0615 with imported materials (the filing's trade mode).
    attributes: [{ name: 'tradeMode', allowed: ['0214', '0615'], required: false }],
    model: 'processing-manual',
  },
  {
    id: 'veterinary-drug-clearance',
    en: 'Veterinary drug import clearance form',
    zh: '进口兽药通关单',
    prefix: 'VDC',
    // MOA or the provincial animal husbandry and veterinary department issues it for drugs on the imported
    // veterinary drugs catalogue (MOA/GACC announcement 507, in force 10 February 2022).
    issuers: ['MOA'],
    directions: ['import'],
    // The catalogue lists national tariff lines for veterinary use in chapter 30: vaccines (3002) and
    // medicaments not in doses (3003) or in doses (3004).
    governs: ['3002', '3003', '3004'],
    // One form per consignment (一单一关).
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'aquatic-seedling-import-approval',
    en: 'Aquatic seedling import approval',
    zh: '水产苗种进口审批',
    prefix: 'ASA',
    // MOA (its fisheries bureau) approves imports of aquatic seedlings and breeding stock.
    issuers: ['MOA'],
    directions: ['import'],
    // Live fish fry and breeding stock (0301), live crustaceans, molluscs and other aquatic invertebrates for seed.
    governs: ['0301', '0306', '0307', '0308'],
    // The approval names the species and quantity and may be used in several shipments within its validity.
    use: 'multiple',
    // Counted or weighed live animals: the approved quantity.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'quantity',
  },
  {
    id: 'crop-seed-import-approval',
    en: 'Crop seed and seedling import approval',
    zh: '农作物种子苗木进口审批',
    prefix: 'CSA',
    // MOA (or the provincial agriculture department on its delegation) approves imports of crop seeds and
    // seedlings; forest tree seeds and seedlings are NFGA's, which is not a Kouan agency.
    issuers: ['MOA'],
    directions: ['import'],
    // Bulbs and tubers (0601), live plants, cuttings and slips (0602), seed potatoes (070110), seed cereals and
    // oil seeds (100111, 100191, 100510, 120110, 120230) and seeds for sowing (1209).
    governs: ['0601', '0602', '070110', '100111', '100191', '100510', '120110', '120230', '1209'],
    use: 'multiple',
    // Seeds are weighed: an issuer may allow a small overshoot for bulk lots.
    defaultTolerancePct: '0',
    maxTolerancePct: '3',
    model: 'quantity',
  },
  {
    id: 'temporary-admission',
    en: 'Temporary admission (ATA carnet or customs temporary entry)',
    zh: '暂时进境货物（ATA单证册）',
    prefix: 'TA',
    // Customs approves the temporary entry (exhibition goods, professional equipment, samples), with or without
    // an ATA carnet; the account records the items until each is written off. Kouan opens one on the approval of
    // an exhibition filing.
    issuers: ['CUS', 'platform'],
    directions: ['import'],
    governs: [],
    // Items leave in parts, by several declarations.
    use: 'multiple',
    // What came in must leave: no overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    // What stands in for the duties while the goods are in: an ATA carnet, a deposit or a bank guarantee.
    attributes: [{ name: 'guarantee', allowed: ['ata-carnet', 'deposit', 'bank-guarantee'], required: false }],
    model: 'temporary-admission',
  },
  {
    id: 'transport-document',
    en: 'Transport document (bill of lading, sea or air waybill)',
    zh: '提（运）单',
    prefix: 'BL',
    // The carrier that issued the bill records it; the account number is the bill number.
    issuers: ['carrier'],
    directions: ['import', 'export'],
    governs: [],
    // Several declarations may share one bill (分单), line by line.
    use: 'multiple',
    // Packages are counted and the mass is the bill's: no overshoot.
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'transport-document',
  },
  {
    id: 'customs-payment-letter',
    en: 'Customs duty payment letter',
    zh: '海关专用缴款书',
    prefix: 'DPL',
    // Customs issues it for the duties and taxes of an import; a declaration that settles by it claims it once.
    issuers: ['CUS'],
    directions: ['import'],
    governs: [],
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'money',
  },
  {
    id: 'export-rebate-entitlement',
    en: 'Export tax rebate entitlement',
    zh: '出口退税额度',
    prefix: 'ERE',
    // Opened by Kouan when a rebate filing is approved (issueOnApproval); drawn once, in full, by the refund.
    issuers: ['platform'],
    directions: ['export'],
    governs: [],
    use: 'single',
    defaultTolerancePct: '0',
    maxTolerancePct: '0',
    model: 'money',
  },
];

const BY_ID: ReadonlyMap<string, AccountType> = new Map(ACCOUNT_TYPES.map((type) => [type.id, type]));

/** The account type with this id, if there is one. */
export function accountType(id: string): AccountType | undefined {
  return BY_ID.get(id);
}

/**
 * The number of the account a document's approval opens: the type's prefix and the submission's key (without
 * its `sub_`), so that a retried approval finds the account it opened and the holder can tell where it came from.
 */
export function approvalAccountNumber(type: string, submissionId: string): string {
  return `${accountType(type)?.prefix ?? 'KA'}-${submissionId.replace(/^[a-z]+_/, '').toUpperCase()}`;
}
