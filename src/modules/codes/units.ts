// UN/ECE Recommendation 20 common codes for the units of quantity customs tariffs and declarations use: the
// counts, masses, lengths, areas, volumes and energies of statistical units, and the supplementary units of
// the EU Combined Nomenclature (carats, fissile isotopes, pure alcohol, kilograms of a named substance).
// Each code and English name is taken from the current UN/CEFACT Rec 20 list; codes the list marks as deleted
// are not used (KTM, NPL, NRL and the package codes that moved to Recommendation 21).
//
// PCE ("piece") was withdrawn from Recommendation 20 in favour of H87, but it is still what most customs EDI and
// trade documents carry (and the canonical example of DESIGN.md), so Kouan accepts it as a legacy code.

/** A unit's names in English (as Recommendation 20 gives it) and Chinese. */
export interface UnitName {
  readonly en: string;
  readonly zh: string;
}

const TABLE: readonly (readonly [code: string, en: string, zh: string])[] = [
  // counts
  ['C62', 'one', '个'],
  ['H87', 'piece', '件'],
  ['PCE', 'piece (legacy code; H87 in current Recommendation 20)', '件'],
  ['NAR', 'number of articles', '件数'],
  ['SET', 'set', '套'],
  ['PR', 'pair', '对'],
  // Deprecated in favour of PR, but still the code of the EU's supplementary unit "pa".
  ['NPR', 'number of pairs', '对数'],
  ['TPR', 'ten pair', '十对'],
  ['DZN', 'dozen', '打'],
  ['GRO', 'gross', '罗'],
  ['CEN', 'hundred', '百个'],
  ['MIL', 'thousand', '千个'],
  ['T3', 'thousand piece', '千件'],
  ['NMP', 'number of packs', '包数'],
  ['NCL', 'number of cells', '单元数'],
  ['HEA', 'head', '头'],
  ['STK', 'stick, cigarette', '支（卷烟）'],
  ['E12', 'mille', '千支（卷烟）'],
  // mass
  ['KGM', 'kilogram', '千克'],
  ['GRM', 'gram', '克'],
  ['MGM', 'milligram', '毫克'],
  ['TNE', 'tonne (metric ton)', '吨'],
  ['KTN', 'kilotonne', '千吨'],
  ['DTN', 'decitonne', '公担'],
  ['CTM', 'metric carat', '克拉'],
  ['58', 'net kilogram', '净千克'],
  ['E4', 'gross kilogram', '毛千克'],
  ['KDW', 'kilogram drained net weight', '千克（沥干净重）'],
  ['LBR', 'pound', '磅'],
  ['ONZ', 'ounce (avoirdupois)', '盎司'],
  ['APZ', 'troy ounce or apothecary ounce', '金衡盎司'],
  ['CCT', 'carrying capacity in metric ton', '载重吨'],
  // mass of a named substance
  ['GFI', 'gram of fissile isotope', '克（裂变同位素）'],
  ['KNI', 'kilogram of nitrogen', '千克（氮）'],
  ['KPO', 'kilogram of potassium oxide', '千克（氧化钾）'],
  ['KPH', 'kilogram of potassium hydroxide (caustic potash)', '千克（氢氧化钾）'],
  ['KSH', 'kilogram of sodium hydroxide (caustic soda)', '千克（氢氧化钠）'],
  ['KPP', 'kilogram of phosphorus pentoxide (phosphoric anhydride)', '千克（五氧化二磷）'],
  ['KHY', 'kilogram of hydrogen peroxide', '千克（过氧化氢）'],
  ['KMA', 'kilogram of methylamine', '千克（甲胺）'],
  ['KCC', 'kilogram of choline chloride', '千克（氯化胆碱）'],
  ['KUR', 'kilogram of uranium', '千克（铀）'],
  ['KSD', 'kilogram of substance 90 % dry', '千克（90% 干物质）'],
  ['KNS', 'kilogram named substance', '千克（指定物质）'],
  // length and area
  ['MTR', 'metre', '米'],
  ['CMT', 'centimetre', '厘米'],
  ['MMT', 'millimetre', '毫米'],
  ['KMT', 'kilometre', '千米'],
  ['MTK', 'square metre', '平方米'],
  ['CMK', 'square centimetre', '平方厘米'],
  // volume
  ['LTR', 'litre', '升'],
  ['MLT', 'millilitre', '毫升'],
  ['HLT', 'hectolitre', '百升'],
  ['MTQ', 'cubic metre', '立方米'],
  ['CMQ', 'cubic centimetre', '立方厘米'],
  ['LPA', 'litre of pure alcohol', '升（纯酒精）'],
  ['HPA', 'hectolitre of pure alcohol', '百升（纯酒精）'],
  ['GLL', 'gallon (US)', '加仑（美制）'],
  // energy and electric charge
  ['KWH', 'kilowatt hour', '千瓦时'],
  ['MWH', 'megawatt hour (1000 kW.h)', '兆瓦时'],
  ['D30', 'terajoule', '太焦'],
  ['TAH', 'kiloampere hour (thousand ampere hour)', '千安时'],
  // time
  ['HUR', 'hour', '小时'],
  ['DAY', 'day', '天'],
  ['MON', 'month', '月'],
  ['ANN', 'year', '年'],
];

/** UN/ECE Recommendation 20 common code -> names, for the units Kouan accepts on a declaration. */
export const UNITS: ReadonlyMap<string, UnitName> = new Map(TABLE.map(([code, en, zh]) => [code, { en, zh }]));
