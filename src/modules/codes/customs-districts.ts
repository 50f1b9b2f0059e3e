// The 42 customs districts directly under the General Administration of Customs (直属海关), each named by the
// two digits every customs office code (关区代码) of the district starts with. Each district's own office code
// is those two digits followed by 00 (2200 上海海关); the GACC parameter list names some of those rows by
// their old short form (0100 北京关区, 9400 乌关区), the names here are the districts' official ones.
// Not districts, and so not places of declaration: 00 (the GACC itself), 50 (the Guangdong sub-administration,
// 广东分署), 98 and A1 (the customs of Hong Kong and Macao, which keep their own codes) and 99 (a GACC department).

/** A directly-subordinate customs district: its two-digit prefix and names. */
export interface CustomsDistrict {
  readonly prefix: string;
  readonly zh: string;
  readonly en: string;
}

const TABLE: readonly (readonly [prefix: string, zh: string, en: string])[] = [
  ['01', '北京海关', 'Beijing Customs'],
  ['02', '天津海关', 'Tianjin Customs'],
  ['04', '石家庄海关', 'Shijiazhuang Customs'],
  ['05', '太原海关', 'Taiyuan Customs'],
  ['06', '满洲里海关', 'Manzhouli Customs'],
  ['07', '呼和浩特海关', 'Hohhot Customs'],
  ['08', '沈阳海关', 'Shenyang Customs'],
  ['09', '大连海关', 'Dalian Customs'],
  ['15', '长春海关', 'Changchun Customs'],
  ['19', '哈尔滨海关', 'Harbin Customs'],
  ['22', '上海海关', 'Shanghai Customs'],
  ['23', '南京海关', 'Nanjing Customs'],
  ['29', '杭州海关', 'Hangzhou Customs'],
  ['31', '宁波海关', 'Ningbo Customs'],
  ['33', '合肥海关', 'Hefei Customs'],
  ['35', '福州海关', 'Fuzhou Customs'],
  ['37', '厦门海关', 'Xiamen Customs'],
  ['40', '南昌海关', 'Nanchang Customs'],
  ['42', '青岛海关', 'Qingdao Customs'],
  ['43', '济南海关', 'Jinan Customs'],
  ['46', '郑州海关', 'Zhengzhou Customs'],
  ['47', '武汉海关', 'Wuhan Customs'],
  ['49', '长沙海关', 'Changsha Customs'],
  ['51', '广州海关', 'Guangzhou Customs'],
  ['52', '黄埔海关', 'Huangpu Customs'],
  ['53', '深圳海关', 'Shenzhen Customs'],
  ['57', '拱北海关', 'Gongbei Customs'],
  ['60', '汕头海关', 'Shantou Customs'],
  ['64', '海口海关', 'Haikou Customs'],
  ['67', '湛江海关', 'Zhanjiang Customs'],
  ['68', '江门海关', 'Jiangmen Customs'],
  ['72', '南宁海关', 'Nanning Customs'],
  ['79', '成都海关', 'Chengdu Customs'],
  ['80', '重庆海关', 'Chongqing Customs'],
  ['83', '贵阳海关', 'Guiyang Customs'],
  ['86', '昆明海关', 'Kunming Customs'],
  ['88', '拉萨海关', 'Lhasa Customs'],
  ['90', '西安海关', "Xi'an Customs"],
  ['94', '乌鲁木齐海关', 'Urumqi Customs'],
  ['95', '兰州海关', 'Lanzhou Customs'],
  ['96', '银川海关', 'Yinchuan Customs'],
  ['97', '西宁海关', 'Xining Customs'],
];

/** The districts by prefix. */
export const CUSTOMS_DISTRICTS: ReadonlyMap<string, CustomsDistrict> = new Map(TABLE.map(([prefix, zh, en]) => [prefix, { prefix, zh, en }]));

/** The district a customs office code belongs to, by its first two characters. */
export function districtOf(officeCode: string): CustomsDistrict | undefined {
  return CUSTOMS_DISTRICTS.get(officeCode.slice(0, 2));
}
