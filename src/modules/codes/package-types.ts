// The common codes of UN/ECE Recommendation 21, Codes for Passengers, Types of Cargo, Packages and Packaging
// Materials (annex VI, the two-character package type codes of UN/EDIFACT data element 7065), with Chinese
// names after GB/T 16472, which adopts it. Not the whole list (it has some 380 codes, most of them variants by
// material such as 1A "drum, steel"): the package kinds that goods declarations, manifests and dangerous-goods
// notes carry most, plus ZZ. China's customs declaration uses its own package list (包装种类, 2018 codes such
// as 22 纸制或纤维板制盒/箱): that one is the store-backed list `cn-package-type`.

import type { CodeName } from './code-list-registry.js';

const TABLE: readonly (readonly [code: string, en: string, zh: string])[] = [
  // boxes, cases and cartons
  ['BX', 'Box', '箱'],
  ['CT', 'Carton', '纸箱'],
  ['CS', 'Case', '箱（盒）'],
  ['CR', 'Crate', '板条箱'],
  ['CH', 'Chest', '箱柜'],
  ['SK', 'Skeleton case', '框架箱'],
  // drums, barrels and cans
  ['DR', 'Drum', '桶'],
  ['BA', 'Barrel', '琵琶桶'],
  ['CK', 'Cask', '木桶'],
  ['PL', 'Pail', '提桶'],
  ['BJ', 'Bucket', '吊桶'],
  ['CX', 'Can, cylindrical', '圆听（罐）'],
  ['CA', 'Can, rectangular', '方听（罐）'],
  ['JR', 'Jar', '坛'],
  ['CY', 'Cylinder', '钢瓶'],
  ['BO', 'Bottle, non-protected, cylindrical', '瓶'],
  ['CO', 'Carboy, non-protected', '坛（瓶）'],
  ['TU', 'Tube', '管'],
  // bags and bundles
  ['BG', 'Bag', '袋'],
  ['SA', 'Sack', '麻袋'],
  ['43', 'Bag, super bulk', '吨袋'],
  ['BL', 'Bale, compressed', '压缩包'],
  ['BN', 'Bale, non-compressed', '非压缩包'],
  ['BE', 'Bundle', '捆'],
  ['PA', 'Packet', '小包'],
  ['PC', 'Parcel', '包裹'],
  ['PK', 'Package', '包装件'],
  // on reels and pallets
  ['RO', 'Roll', '卷'],
  ['CL', 'Coil', '盘'],
  ['BB', 'Bobbin', '筒'],
  ['PX', 'Pallet', '托盘'],
  ['PU', 'Tray', '浅盘'],
  ['SW', 'Shrinkwrapped', '收缩包装'],
  // containers and bulk
  ['WA', 'Intermediate bulk container', '中型散装容器'],
  ['CN', 'Container, not otherwise specified as transport equipment', '容器（非运输设备）'],
  ['TK', 'Tank, rectangular', '方罐'],
  ['VL', 'Bulk, liquid', '散装液体'],
  ['VG', 'Bulk, gas (at 1031 mbar and 15 °C)', '散装气体'],
  ['VR', 'Bulk, solid, granular particles ("grains")', '散装颗粒'],
  ['VY', 'Bulk, solid, fine particles ("powders")', '散装粉末'],
  ['VO', 'Bulk, solid, large particles ("nodules")', '散装块状'],
  ['NE', 'Unpacked or unpackaged', '无包装'],
  ['ZZ', 'Mutually defined', '双方约定'],
];

/** Rec 21 package type code -> names. */
export const PACKAGE_TYPES: ReadonlyMap<string, CodeName> = new Map(TABLE.map(([code, en, zh]) => [code, { en, zh }]));
