/**
 * The default regulatory conditions (监管条件): which ledger account types a goods line must cite, by HS prefix
 * and direction. China's own table sits on 10-digit national tariff lines; this default keeps to HS chapters,
 * headings and subheadings that are controlled as a whole, or nearly so, and leaves the rest to the operator
 * (docs/ledger-types.md says what to change).
 *
 * Goods that go to inspection and quarantine only as part of the declaration (fruit, most food, machinery)
 * are routed by the inspection table of the goods declaration, not here: a condition means a document that
 * must exist in the ledger before the goods move.
 */
import type { Direction } from './account-types.js';

export interface RegulatoryCondition {
  /** HS prefix: 2-digit chapter, 4-digit heading, 6-digit subheading, or an 8-digit Chinese national subheading. */
  readonly prefix: string;
  readonly direction: Direction | 'both';
  /** Account type ids; a line satisfies the condition by citing any one of them. */
  readonly requires: readonly string[];
  /** What and why, in one line. */
  readonly en: string;
}

const TRQ: readonly string[] = ['tariff-quota-certificate'];
const ODS: readonly string[] = ['import-licence'];
const TOXIC: readonly string[] = ['hazardous-chemical-registration'];
const CITES: readonly string[] = ['cites-permit'];
const QUARANTINE: readonly string[] = ['inbound-clearance-form'];

/** Controlled drugs need an import permit one way and an export permit the other. */
function controlledDrug(prefix: string, what: string): RegulatoryCondition[] {
  return [
    { prefix, direction: 'import', requires: ['drug-import-permit'], en: `${what}: narcotic and psychotropic drug import permit` },
    { prefix, direction: 'export', requires: ['drug-export-permit'], en: `${what}: narcotic and psychotropic drug export permit` },
  ];
}

export const DEFAULT_REGULATORY_CONDITIONS: readonly RegulatoryCondition[] = [
  // Tariff-rate quotas (in-quota imports; an out-of-quota import is a case for the operator's table).
  { prefix: '1001', direction: 'import', requires: TRQ, en: 'Wheat and meslin: tariff-quota certificate (NDRC grain quota)' },
  { prefix: '1005', direction: 'import', requires: TRQ, en: 'Maize: tariff-quota certificate (NDRC grain quota)' },
  { prefix: '1006', direction: 'import', requires: TRQ, en: 'Rice: tariff-quota certificate (NDRC grain quota)' },
  { prefix: '1101', direction: 'import', requires: TRQ, en: 'Wheat or meslin flour: tariff-quota certificate (wheat quota)' },
  { prefix: '1701', direction: 'import', requires: TRQ, en: 'Cane or beet sugar: tariff-quota certificate (MOFCOM sugar quota)' },
  { prefix: '5101', direction: 'import', requires: TRQ, en: 'Wool, not carded or combed: tariff-quota certificate (MOFCOM wool quota)' },
  { prefix: '510521', direction: 'import', requires: TRQ, en: 'Combed wool in fragments: tariff-quota certificate (wool tops quota)' },
  { prefix: '510529', direction: 'import', requires: TRQ, en: 'Wool tops: tariff-quota certificate (wool tops quota)' },
  { prefix: '5201', direction: 'import', requires: TRQ, en: 'Cotton, not carded or combed: tariff-quota certificate (NDRC cotton quota)' },
  { prefix: '5203', direction: 'import', requires: TRQ, en: 'Cotton, carded or combed: tariff-quota certificate (NDRC cotton quota)' },
  { prefix: '310210', direction: 'import', requires: TRQ, en: 'Urea: tariff-quota certificate (MOFCOM fertiliser quota)' },
  { prefix: '310520', direction: 'import', requires: TRQ, en: 'NPK compound fertilisers: tariff-quota certificate (MOFCOM fertiliser quota)' },
  { prefix: '310530', direction: 'import', requires: TRQ, en: 'Diammonium phosphate: tariff-quota certificate (MOFCOM fertiliser quota)' },

  // Automatic import licence: goods MOFCOM monitors, long on the catalogue.
  { prefix: '1201', direction: 'import', requires: ['automatic-import-licence'], en: 'Soya beans: automatic import licence' },
  { prefix: '2709', direction: 'import', requires: ['automatic-import-licence'], en: 'Crude petroleum: automatic import licence' },

  // Import licence: ozone-depleting substances under the Montreal Protocol (MEE approves, MOFCOM licenses).
  { prefix: '290314', direction: 'import', requires: ODS, en: 'Carbon tetrachloride (ozone-depleting): import licence' },
  { prefix: '290371', direction: 'import', requires: ODS, en: 'Chlorodifluoromethane, HCFC-22 (ozone-depleting): import licence' },
  { prefix: '290376', direction: 'import', requires: ODS, en: 'Halons 1211, 1301, 2402 (ozone-depleting): import licence' },
  { prefix: '290377', direction: 'import', requires: ODS, en: 'CFCs, perhalogenated with fluorine and chlorine only (ozone-depleting): import licence' },

  // Solid waste: banned since 2021, so no permit can be valid and the line fails, as the law intends.
  { prefix: '4707', direction: 'import', requires: ['solid-waste-import-permit'], en: 'Waste and scrap paper: solid waste import permit (imports banned since 2021)' },
  { prefix: '3915', direction: 'import', requires: ['solid-waste-import-permit'], en: 'Waste and scrap of plastics: solid waste import permit (imports banned since 2021)' },

  // Toxic chemicals on the strictly restricted list (2020), both ways (Rotterdam, Stockholm and Minamata conventions).
  { prefix: '280540', direction: 'both', requires: TOXIC, en: 'Mercury (Minamata Convention): toxic chemical release notice' },
  { prefix: '293110', direction: 'both', requires: TOXIC, en: 'Tetramethyl lead and tetraethyl lead: toxic chemical release notice' },
  { prefix: '293120', direction: 'both', requires: TOXIC, en: 'Tributyltin compounds: toxic chemical release notice' },
  { prefix: '290431', direction: 'both', requires: TOXIC, en: 'Perfluorooctane sulphonic acid, PFOS (Stockholm Convention): toxic chemical release notice' },
  { prefix: '290432', direction: 'both', requires: TOXIC, en: 'Ammonium PFOS: toxic chemical release notice' },
  { prefix: '290433', direction: 'both', requires: TOXIC, en: 'Lithium PFOS: toxic chemical release notice' },
  { prefix: '290434', direction: 'both', requires: TOXIC, en: 'Potassium PFOS: toxic chemical release notice' },
  { prefix: '290435', direction: 'both', requires: TOXIC, en: 'Other salts of PFOS: toxic chemical release notice' },
  { prefix: '290436', direction: 'both', requires: TOXIC, en: 'Perfluorooctane sulphonyl fluoride, PFOSF: toxic chemical release notice' },

  // Pesticides, both ways.
  { prefix: '3808', direction: 'both', requires: ['pesticide-registration'], en: 'Pesticides (insecticides, fungicides, herbicides ...): pesticide registration release notice' },

  // Quarantine before release: live animals and unprocessed wood, where pests and disease travel with the goods.
  { prefix: '01', direction: 'import', requires: QUARANTINE, en: 'Live animals: inbound clearance after quarantine' },
  { prefix: '4401', direction: 'import', requires: QUARANTINE, en: 'Fuel wood, wood chips, sawdust: inbound clearance after quarantine' },
  { prefix: '4403', direction: 'import', requires: QUARANTINE, en: 'Wood in the rough (logs): inbound clearance after quarantine' },
  { prefix: '4404', direction: 'import', requires: QUARANTINE, en: 'Hoopwood, split poles, stakes: inbound clearance after quarantine' },
  { prefix: '4406', direction: 'import', requires: QUARANTINE, en: 'Railway sleepers of wood: inbound clearance after quarantine' },
  { prefix: '4407', direction: 'import', requires: QUARANTINE, en: 'Sawn wood: inbound clearance after quarantine' },

  // CITES: subheadings where every or nearly every specimen is a listed species.
  { prefix: '010611', direction: 'both', requires: CITES, en: 'Live primates (all listed in CITES Appendix I or II): CITES permit' },
  { prefix: '010612', direction: 'both', requires: CITES, en: 'Live whales, dolphins, manatees, dugongs (all CITES-listed), seals and sea lions: CITES permit' },
  { prefix: '010620', direction: 'both', requires: CITES, en: 'Live reptiles, including tortoises and turtles (largely CITES-listed): CITES permit' },
  { prefix: '050710', direction: 'both', requires: CITES, en: 'Ivory, raw, ivory powder and waste (elephant, hippopotamus, walrus, narwhal: all CITES-listed): CITES permit' },
  { prefix: '960110', direction: 'both', requires: CITES, en: 'Worked ivory and articles of ivory: CITES permit' },

  // Narcotic and psychotropic drugs: the HS subheadings that WCO created for internationally controlled substances.
  ...controlledDrug('130211', 'Opium'),
  ...controlledDrug('292231', 'Amfepramone, methadone, normethadone'),
  ...controlledDrug('293333', 'Fentanyl, pethidine and related opioids'),
  ...controlledDrug('293391', 'Benzodiazepines (alprazolam, diazepam ...)'),
  ...controlledDrug('293491', 'Aminorex, brotizolam, phenmetrazine, sufentanil and others'),
  ...controlledDrug('293911', 'Morphine, codeine, oxycodone, heroin and other opium alkaloids'),
  ...controlledDrug('293971', 'Cocaine, ecgonine, metamfetamine'),
  // 3003.49 and 3004.49 also hold medicaments with uncontrolled alkaloids; the national lines separate them.
  ...controlledDrug('300349', 'Medicaments, not in doses, containing other alkaloids (morphine, codeine preparations)'),
  ...controlledDrug('300449', 'Medicaments in doses containing other alkaloids (morphine, codeine preparations)'),

  // Agriculture (MOA). Veterinary drugs: the imported veterinary drugs catalogue (MOA/GACC announcement 507, 2022)
  // lists national lines of chapter 30 marked for veterinary use; only vaccines for veterinary medicine have an
  // HS subheading of their own (3002.42). The catalogue's 10-digit lines of 3002, 3003 and 3004 are for the
  // operator's table: at six digits they would catch every human medicine.
  { prefix: '300242', direction: 'import', requires: ['veterinary-drug-clearance'], en: 'Vaccines for veterinary medicine: veterinary drug import clearance form' },
  // Aquatic seedlings: the fry (鱼苗) national subheadings of live fish; live food fish and ornamental fish are not seedlings.
  { prefix: '03019110', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Trout fry: aquatic seedling import approval' },
  { prefix: '03019210', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Eel fry (elvers): aquatic seedling import approval' },
  { prefix: '03019310', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Carp fry: aquatic seedling import approval' },
  { prefix: '03019410', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Atlantic and Pacific bluefin tuna fry: aquatic seedling import approval' },
  { prefix: '03019510', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Southern bluefin tuna fry: aquatic seedling import approval' },
  { prefix: '03019911', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Perch (bass) fry: aquatic seedling import approval' },
  { prefix: '03019912', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Sturgeon fry: aquatic seedling import approval' },
  { prefix: '03019919', direction: 'import', requires: ['aquatic-seedling-import-approval'], en: 'Other fish fry: aquatic seedling import approval' },
  // Crop seeds and seedlings: seeds for sowing and live plants, cuttings and slips. Forest tree seeds and
  // seedlings in the same headings are approved by forestry (NFGA), not a Kouan agency: a deployment with it
  // accepts its approval here too.
  { prefix: '1209', direction: 'import', requires: ['crop-seed-import-approval'], en: 'Seeds, fruit and spores for sowing: crop seed and seedling import approval' },
  { prefix: '0602', direction: 'import', requires: ['crop-seed-import-approval'], en: 'Live plants, cuttings, slips and mushroom spawn: crop seed and seedling import approval' },

  // Commercial cryptography: cipher machines fall in 8543.70. Routers and VPN gateways (8517.62) are left out:
  // only encrypting equipment on national lines is listed, and at six digits the condition would catch every
  // switch and modem; an operator with the national tariff adds those lines.
  { prefix: '854370', direction: 'import', requires: ['crypto-product-import-licence'], en: 'Cipher machines and other encrypting apparatus: commercial cryptography import licence' },
];

/** The conditions that apply to a goods line: every condition whose prefix starts the line's HS code and whose direction matches. */
export function conditionsFor(
  hsCode: string,
  direction: Direction,
  table: readonly RegulatoryCondition[] = DEFAULT_REGULATORY_CONDITIONS,
): RegulatoryCondition[] {
  return table.filter(
    (condition) => hsCode.startsWith(condition.prefix) && (condition.direction === 'both' || condition.direction === direction),
  );
}
