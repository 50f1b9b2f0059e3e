// China customs units of measurement (计量单位, the three-digit codes of the GACC parameter table, 2018) that
// national tariffs name as a line's first and second statutory units (法定第一/第二计量单位), with the
// UN/ECE Recommendation 20 codes (codes/units.ts) a declaration line may give its quantity in for each.
//
// Counts of things (台, 个, 头, 件 ...) are all met by the Rec 20 counts of pieces or articles; a pair, a set, a
// dozen or a hundred each has its own code. Units with no Rec 20 equivalent in Kouan's unit list (万个, 百副,
// 司马担 ...) carry none: a declaration can only meet them by a separate statutory quantity, which Kouan's
// goods line does not have yet (docs/goods-declaration.md, "Statutory units").

/** A GACC unit: its Chinese name and the Rec 20 codes that state a quantity in it. */
export interface CnUnit {
  readonly zh: string;
  readonly rec20: readonly string[];
}

const COUNT = ['PCE', 'H87', 'C62', 'NAR'] as const;
const PAIR = ['PR', 'NPR'] as const;

const TABLE: readonly (readonly [code: string, zh: string, rec20: readonly string[]])[] = [
  ['001', '台', COUNT], ['002', '座', COUNT], ['003', '辆', COUNT], ['004', '艘', COUNT], ['005', '架', COUNT],
  ['006', '套', ['SET']], ['007', '个', COUNT], ['008', '只', COUNT], ['009', '头', COUNT], ['010', '张', COUNT],
  ['011', '件', COUNT], ['012', '支', COUNT], ['013', '枝', COUNT], ['014', '根', COUNT], ['015', '条', COUNT],
  ['016', '把', COUNT], ['017', '块', COUNT], ['018', '卷', COUNT], ['019', '副', ['SET', ...PAIR]], ['020', '片', COUNT],
  ['021', '组', ['SET']], ['022', '份', COUNT], ['023', '幅', COUNT], ['025', '双', PAIR], ['026', '对', PAIR],
  ['027', '棵', COUNT], ['028', '株', COUNT], ['029', '井', COUNT], ['030', '米', ['MTR']], ['031', '盘', COUNT],
  ['032', '平方米', ['MTK']], ['033', '立方米', ['MTQ']], ['034', '筒', COUNT], ['035', '千克', ['KGM']], ['036', '克', ['GRM']],
  ['037', '盆', COUNT], ['038', '万个', []], ['039', '具', COUNT], ['040', '百副', []], ['041', '百支', ['CEN']],
  ['042', '百把', ['CEN']], ['043', '百个', ['CEN']], ['044', '百片', ['CEN']], ['045', '刀', []], ['046', '疋', []],
  ['047', '公担', ['DTN']], ['048', '扇', COUNT], ['049', '百枝', ['CEN']], ['050', '千只', ['MIL']], ['051', '千块', ['MIL']],
  ['052', '千盒', []], ['053', '千枝', ['MIL']], ['054', '千个', ['MIL']], ['055', '亿支', []], ['056', '亿个', []],
  ['057', '万套', []], ['058', '千张', ['MIL']], ['059', '万张', []], ['060', '千伏安', []], ['061', '千瓦', []],
  ['062', '千瓦时', ['KWH']], ['063', '千升', []], ['067', '英尺', []], ['070', '吨', ['TNE']], ['071', '长吨', []],
  ['072', '短吨', []], ['073', '司马担', []], ['074', '司马斤', []], ['075', '斤', []], ['076', '磅', ['LBR']],
  ['077', '担', []], ['078', '英担', []], ['079', '短担', []], ['080', '两', []], ['081', '市担', []],
  ['083', '盎司', ['ONZ']], ['084', '克拉', ['CTM']], ['085', '市尺', []], ['086', '码', []], ['088', '英寸', []],
  ['089', '寸', []], ['095', '升', ['LTR']], ['096', '毫升', ['MLT']], ['097', '英加仑', []], ['098', '美加仑', ['GLL']],
  ['099', '立方英尺', []], ['101', '立方尺', []], ['110', '平方码', []], ['111', '平方英尺', []], ['112', '平方尺', []],
  ['115', '英制马力', []], ['116', '公制马力', []], ['118', '令', []], ['120', '箱', []], ['121', '批', []],
  ['122', '罐', []], ['123', '桶', []], ['124', '扎', []], ['125', '包', []], ['126', '箩', []],
  ['127', '打', ['DZN']], ['128', '筐', []], ['129', '罗', ['GRO']], ['130', '匹', COUNT], ['131', '册', COUNT],
  ['132', '本', COUNT], ['133', '发', COUNT], ['134', '枚', COUNT], ['135', '捆', []], ['136', '袋', []],
  ['139', '粒', COUNT], ['140', '盒', []], ['141', '合', []], ['142', '瓶', []], ['143', '千支', ['MIL']],
  ['144', '万双', []], ['145', '万粒', []], ['146', '千粒', ['MIL']], ['147', '千米', ['KMT']], ['148', '千英尺', []],
  ['149', '百万贝可', []], ['163', '部', COUNT], ['164', '亿株', []],
];

/** The GACC units by code. */
export const CN_UNITS: ReadonlyMap<string, CnUnit> = new Map(TABLE.map(([code, zh, rec20]) => [code, { zh, rec20 }]));

/** The kilogram, met by every goods line's net weight. */
export const CN_UNIT_KILOGRAM = '035';
