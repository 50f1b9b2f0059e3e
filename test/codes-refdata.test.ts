/**
 * Real reference data checks real declarations, on both stores: the border port lies in the platform's country,
 * a loaded national tariff holds every goods line to its ten-digit lines (and advises on statutory units), the
 * customs office is a known office (or at least in a customs district), UN/LOCODE functions are compared with
 * the transport mode; the tariff and the offices are found by Chinese names.
 *
 * The tariff sample (test/fixtures/cn-tariff-sample.csv) is seventeen real lines of China's 2019 tariff
 * (chapters 01-10, Chinese names, statutory units, declaration elements and rates as published), in Kouan's
 * documented tariff format.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine } from '../src/modules/codes/csv.js';
import { IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies

const kinds = await storeKinds();
const TARIFF_SAMPLE = fileURLToPath(new URL('./fixtures/cn-tariff-sample.csv', import.meta.url));
const CUSTOMS_OFFICES = fileURLToPath(new URL('../../shared/data/cn-customs/customs_districts.csv', import.meta.url));
const haveOffices = existsSync(CUSTOMS_OFFICES);
if (!haveOffices) console.warn(`Skipping the full customs-office import: the reference data is not at ${CUSTOMS_OFFICES}`);
const PARTIAL_TARIFF = fileURLToPath(new URL('../../shared/data/cn-customs/tariff_hs10_partial_2019.csv', import.meta.url));
const GACC_UNITS = fileURLToPath(new URL('../../shared/data/cn-customs/units.csv', import.meta.url));
const haveTariff = existsSync(PARTIAL_TARIFF) && existsSync(GACC_UNITS);
if (!haveTariff) console.warn(`Skipping the import of the public partial tariff: the reference data is not at ${PARTIAL_TARIFF}`);

/**
 * The public partial 2019 tariff (a scrape, units as names such as 千克/头) written in Kouan's tariff format, as an
 * operator would convert a published tariff: units by their GACC codes, the rate columns it has.
 */
function convertPartialTariff(target: string): number {
  const unitCodes = new Map(readFileSync(GACC_UNITS, 'utf8').trim().split('\n').slice(1).map((line) => parseCsvLine(line)).map(([code = '', name = '']) => [name, code]));
  const [header = '', ...lines] = readFileSync(PARTIAL_TARIFF, 'utf8').trim().split('\n');
  const columns = parseCsvLine(header);
  const quote = (value: string) => (/[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const rows = lines.map((line) => {
    const record = Object.fromEntries(parseCsvLine(line).map((value, index) => [columns[index] ?? '', value]));
    const [unit1 = '', unit2 = ''] = (record.units ?? '').split('/').map((name) => unitCodes.get(name) ?? `unknown ${name}`);
    const elements = (record.declaration_elements ?? '').split('|').filter((element) => element.trim() !== '').join('|');
    return [record.hs_code ?? '', record.name_zh ?? '', '', unit1, unit2, elements, record.import_mfn_rate ?? '', record.vat_rate ?? ''].map(quote).join(',');
  });
  writeFileSync(target, ['code,name_zh,name_en,unit1,unit2,declaration_elements,import_mfn_rate,vat_rate', ...rows].join('\n'));
  return rows.length;
}

const BEEF = { hsCode: '0202300090', description: 'Frozen boneless beef', quantity: '24000', unit: 'KGM', grossWeightKg: '25200', netWeightKg: '24000', value: '98000', originCountry: 'AU' };
const BULBS = { hsCode: '0601102100', description: 'Dormant lily bulbs for planting', quantity: '800', unit: 'KGM', grossWeightKg: '850', netWeightKg: '800', value: '6400', originCountry: 'NL' };
const ROSES = { hsCode: '0603110000', description: 'Fresh cut roses', quantity: '1200', unit: 'KGM', grossWeightKg: '1300', netWeightKg: '1200', value: '9000', originCountry: 'KE' };
const LAPTOPS = { hsCode: '8471300000', description: 'Portable computers', quantity: 200, unit: 'PCE', grossWeightKg: 820.5, netWeightKg: 700, value: 120000, originCountry: 'DE' };

/** An import by the trader itself (no broker), through `port`, by `mode`, with these lines. */
function declaration(overrides: Json = {}): Json {
  return importDeclaration({ declarant: IMPORTER, consignor: { name: 'Example Pastoral Pty Ltd', country: 'AU' }, countryOfDispatch: 'AU', lines: [BEEF], ...overrides });
}

describe.each(kinds)('reference data checks on %s', (kind) => {
  let t: TestKouan;
  let key: string;
  let dir: string;
  const validate = async (data: Json) => (await t.request('POST', '/api/v1/validate', { key, body: { docType: 'goods-declaration', data } })).json<Json>();
  const errorsOf = (answer: Json) => Object.fromEntries((answer.errors as Json[]).map((error) => [error.path, error.code]));
  const noticesOf = (answer: Json) => (answer.notices as Json[]).map((notice) => [notice.path ?? null, notice.code]);
  const search = async (list: string, q: string) => (await t.request('GET', `/api/v1/codes/${list}?q=${encodeURIComponent(q)}&limit=20`, { key })).json<Json>();

  beforeAll(async () => {
    t = await startTestKouan(kind);
    key = await t.enterprise(IMPORTER);
    dir = mkdtempSync(join(tmpdir(), 'kouan-refdata-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds an import's port of entry and an export's port of exit to the platform's country (CN)", async () => {
    const foreignEntry = await validate(declaration({ portOfEntry: 'DEHAM' }));
    expect(foreignEntry.valid).toBe(false);
    expect(errorsOf(foreignEntry)).toEqual({ '$.portOfEntry': 'PORT_NOT_IN_COUNTRY' });
    expect(foreignEntry.errors[0].message).toContain('CN');

    const exportThroughRotterdam = {
      ...declaration(),
      direction: 'export',
      portOfEntry: undefined,
      portOfExit: 'NLRTM',
      countryOfDispatch: undefined,
      countryOfDestination: 'NL',
      consignor: { id: IMPORTER, name: 'Shanghai Example Trading Co., Ltd.' },
      consignee: { name: 'Example Retail BV', country: 'NL' },
    };
    expect(errorsOf(await validate(exportThroughRotterdam))).toEqual({ '$.portOfExit': 'PORT_NOT_IN_COUNTRY' });
    expect(errorsOf(await validate({ ...exportThroughRotterdam, portOfExit: 'CNNGB' }))).toEqual({});

    // A 422 problem with the path, and nothing stored.
    const refused = await t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data: declaration({ portOfEntry: 'DEHAM' }) } });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<Json>()).toMatchObject({ code: 'SUBMISSION_INVALID', errors: [{ path: '$.portOfEntry', code: 'PORT_NOT_IN_COUNTRY' }] });
    expect((await t.request('GET', '/api/v1/submissions', { key })).json<Json>().submissions).toEqual([]);
  });

  it('checks the customs office by its district while no list of offices is imported, then against the list', async () => {
    const unknownDistrict = await validate(declaration({ customsOffice: '9999' }));
    expect(errorsOf(unknownDistrict)).toEqual({ '$.customsOffice': 'CUSTOMS_DISTRICT_UNKNOWN' });
    // 00 is the GACC itself, not a district where goods are declared.
    expect(errorsOf(await validate(declaration({ customsOffice: '0000' })))).toEqual({ '$.customsOffice': 'CUSTOMS_DISTRICT_UNKNOWN' });
    const seedOnly = await validate(declaration({ customsOffice: '2299' }));
    expect(seedOnly.valid).toBe(true);
    expect(noticesOf(seedOnly)).toContainEqual(['$.customsOffice', 'CUSTOMS_OFFICE_LIST_NOT_LOADED']);

    const districts = await search('customs-offices', '上海');
    expect(districts.loaded).toBe(false);
    const offices = districts.entries as Json[];
    expect(offices).toEqual([{ code: '2200', en: 'Shanghai Customs', zh: '上海海关', extra: { district: '22' } }]);
    expect(((await search('customs-offices', 'huangpu')).entries as Json[]).map((entry) => entry.code)).toEqual(['5200']);
    expect(((await search('customs-offices', '')).entries as Json[]).length).toBe(20);

    const file = join(dir, 'offices.csv');
    writeFileSync(file, ['code,name_zh', '0000,海关总署', '2200,上海海关', '2201,浦江海关', '2233,浦东机场', '2248,洋山港区', '5301,皇岗海关', 'A100,澳门海关'].join('\n'));
    const imported = await t.kouan.services.codes.importCustomsOffices(file);
    expect(imported.entries).toBe(5);
    expect(imported.rejected.map((skip) => skip.lineNumber)).toEqual([2, 8]);

    expect(errorsOf(await validate(declaration({ customsOffice: '2299' })))).toEqual({ '$.customsOffice': 'CUSTOMS_OFFICE_UNKNOWN' });
    const known = await validate(declaration({ customsOffice: '2248' }));
    expect(errorsOf(known)).toEqual({});
    expect(noticesOf(known).map(([, code]) => code)).not.toContain('CUSTOMS_OFFICE_LIST_NOT_LOADED');
    expect((await search('customs-offices', '洋山')).entries).toEqual([{ code: '2248', en: 'Office 2248 of Shanghai Customs', zh: '洋山港区', extra: { district: '22' } }]);
    expect(((await search('customs-offices', '22')).entries as Json[]).map((entry) => entry.code)).toEqual(['2200', '2201', '2233', '2248']);
  });

  it.skipIf(!haveOffices)('imports the full GACC list of customs offices', async () => {
    const imported = await t.kouan.services.codes.importCustomsOffices(CUSTOMS_OFFICES);
    // 1,324 offices less 0000 GACC, 5000 Guangdong sub-administration, 9800 Hong Kong, 9900 and A100 Macao.
    expect(imported.entries).toBe(1319);
    expect(imported.rejected).toHaveLength(5);
    expect(errorsOf(await validate(declaration({ customsOffice: '2201' })))).toEqual({});
    expect(errorsOf(await validate(declaration({ customsOffice: '2290' })))).toEqual({ '$.customsOffice': 'CUSTOMS_OFFICE_UNKNOWN' });
    const status = ((await t.request('GET', '/api/v1/codes', { key })).json<Json>().lists as Json[]).find((list) => list.list === 'customs-offices');
    expect(status).toMatchObject({ loaded: true, entries: 1319, source: 'customs_districts.csv' });
  });

  it('holds goods lines to the ten-digit lines of a loaded tariff, for the chapters it covers', async () => {
    // Without a tariff any ten-digit extension passes (the HS list is not loaded either: checked by shape).
    const before = await validate(declaration({ lines: [{ ...BEEF, hsCode: '0202300099' }] }));
    expect(errorsOf(before)).toEqual({});
    expect(noticesOf(before)).toContainEqual([null, 'HS_LIST_NOT_LOADED']);

    expect((await t.kouan.services.codes.importTariff(TARIFF_SAMPLE)).entries).toBe(17);

    const unknownLine = await validate(declaration({ lines: [BEEF, { ...BEEF, hsCode: '0202300099' }] }));
    expect(errorsOf(unknownLine)).toEqual({ '$.lines[1].hsCode': 'TARIFF_LINE_UNKNOWN' });
    const good = await validate(declaration());
    expect(errorsOf(good)).toEqual({});
    expect(noticesOf(good).map(([, code]) => code)).not.toContain('HS_LIST_NOT_LOADED');
    // Chapter 84 is not in the sample: such a line is held to the HS subheadings only, and told so.
    const laptops = await validate(declaration({ lines: [BEEF, LAPTOPS] }));
    expect(errorsOf(laptops)).toEqual({});
    expect(noticesOf(laptops)).toEqual(expect.arrayContaining([['$.lines[1].hsCode', 'TARIFF_CHAPTER_NOT_COVERED'], [null, 'HS_LIST_NOT_LOADED']]));
  });

  it('advises when a line does not give its quantity in the statutory units of its tariff line', async () => {
    // Lily bulbs: 个 (pieces) and 千克 (met by the net weight); roses: 千克 and 枝 (stems); beef: 千克 only.
    const inKilograms = await validate(declaration({ lines: [BULBS, ROSES, BEEF] }));
    expect(errorsOf(inKilograms)).toEqual({});
    const unitNotices = (inKilograms.notices as Json[]).filter((notice) => notice.code === 'STATUTORY_UNIT_NOT_DECLARED');
    expect(unitNotices.map((notice) => notice.path)).toEqual(['$.lines[0].unit', '$.lines[1].unit']);
    expect(unitNotices[0]?.message).toContain('个 (007)');
    expect(unitNotices[1]?.message).toContain('枝 (013)');
    const counted = await validate(declaration({ lines: [{ ...BULBS, quantity: '52000', unit: 'PCE' }, { ...ROSES, quantity: '30000', unit: 'C62' }, BEEF] }));
    expect((counted.notices as Json[]).filter((notice) => notice.code === 'STATUTORY_UNIT_NOT_DECLARED')).toEqual([]);
  });

  it('advises when the port is not listed with a function for the transport mode, on validate and on submit', async () => {
    const file = join(dir, 'locode.csv');
    writeFileSync(file, [
      'country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded',
      // As in the public export: Shanghai carries its airport's function only.
      'CN,SHA,Shanghai Hongqiao International Apt,Shanghai Hongqiao International Apt,SH,AS,---4----,,31.24,121.48,true',
      'CN,YTN,Yantian Pt,Yantian Pt,GD,AI,1-------,,22.58,114.27,true',
      'CN,ERL,Erenhot,Erenhot,NM,AI,-23----B,,43.65,111.98,true',
      'CN,XYZ,Nowhere Known,Nowhere Known,,RQ,0-------,,,,',
    ].join('\n'));
    await t.kouan.services.codes.importLocode(file);

    const shanghai = await validate(declaration({ portOfEntry: 'CNSHA' }));
    expect(shanghai.valid).toBe(true);
    expect(noticesOf(shanghai)).toContainEqual(['$.portOfEntry', 'PORT_FUNCTION_MISMATCH']);
    expect((shanghai.notices as Json[]).find((notice) => notice.code === 'PORT_FUNCTION_MISMATCH')?.message).toContain('---4----');
    expect(noticesOf(await validate(declaration({ portOfEntry: 'CNYTN' }))).map(([, code]) => code)).not.toContain('PORT_FUNCTION_MISMATCH');
    const road = { mode: 'road' };
    expect(noticesOf(await validate(declaration({ portOfEntry: 'CNERL', transport: road }))).map(([, code]) => code)).not.toContain('PORT_FUNCTION_MISMATCH');
    expect(noticesOf(await validate(declaration({ portOfEntry: 'CNERL', transport: { mode: 'air' } })))).toContainEqual(['$.portOfEntry', 'PORT_FUNCTION_MISMATCH']);
    expect(noticesOf(await validate(declaration({ portOfEntry: 'CNXYZ' }))).map(([, code]) => code)).not.toContain('PORT_FUNCTION_MISMATCH');

    const submitted = await t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data: declaration({ portOfEntry: 'CNSHA', lines: [BULBS] }) } });
    expect(submitted.statusCode).toBe(201);
    expect(noticesOf(submitted.json<Json>())).toEqual(
      expect.arrayContaining([
        ['$.portOfEntry', 'PORT_FUNCTION_MISMATCH'],
        ['$.lines[0].unit', 'STATUTORY_UNIT_NOT_DECLARED'],
      ]),
    );
    const chinese = await t.request('POST', '/api/v1/validate', { key, headers: { 'accept-language': 'zh-CN' }, body: { docType: 'goods-declaration', data: declaration({ portOfEntry: 'CNSHA' }) } });
    expect((chinese.json<Json>().notices as Json[]).find((notice) => notice.code === 'PORT_FUNCTION_MISMATCH')?.message).toContain('CNSHA');
  });

  it('finds tariff lines by Chinese words, which have no word boundaries', async () => {
    const beef = (await search('hs', '牛肉')).entries as Json[];
    expect(beef.map((entry) => entry.code)).toEqual(['0201300090', '0202100090', '0202200090', '0202300090']);
    expect(beef[3]).toMatchObject({ zh: '其他冻藏的去骨牛肉', en: 'Other boneless meat of bovine animals, frozen', extra: { level: 10, unit1: '035 千克', unit2: null } });
    // 冻牛肉 is not a substring of any name; each of its characters is in the frozen beef lines and in no fresh one.
    const frozen = ((await search('hs', '冻牛肉')).entries as Json[]).map((entry) => entry.code);
    expect(frozen).toEqual(['0202100090', '0202200090', '0202300090']);
    // The name holding the query as typed comes first.
    expect(((await search('hs', '冻牛舌')).entries as Json[])[0]?.code).toBe('0206210000');
    expect(((await search('hs', '冻')).entries as Json[]).map((entry) => entry.code)).toEqual(['0202100090', '0202200090', '0202300090', '0206210000', '0303550000']);
    expect(((await search('hs', 'frozen boneless')).entries as Json[]).map((entry) => entry.code)).toEqual(['0202300090']);
    expect(((await search('tariff', '0101')).entries as Json[]).map((entry) => entry.code)).toEqual(['0101210010', '0101210090']);
  });

  it.skipIf(!haveTariff)('imports the public partial tariff of chapters 01-14 whole and checks real lines against it', async () => {
    const file = join(dir, 'tariff-2019.csv');
    const rows = convertPartialTariff(file);
    expect((await t.kouan.services.codes.importTariff(file)).entries).toBe(rows);
    // Fresh or chilled boneless beef, other than of wild bovines; 0201300010 is the wild one.
    expect(errorsOf(await validate(declaration({ lines: [{ ...BEEF, hsCode: '0201300090' }, { ...BEEF, hsCode: '0201300010' }] })))).toEqual({});
    expect(errorsOf(await validate(declaration({ lines: [{ ...BEEF, hsCode: '0201300000' }] })))).toEqual({ '$.lines[0].hsCode': 'TARIFF_LINE_UNKNOWN' });
    const rice = ((await search('hs', '稻谷')).entries as Json[]).map((entry) => entry.code);
    expect(rice.length).toBeGreaterThan(0);
    expect(rice.every((code) => code.startsWith('1006'))).toBe(true);
  });
});
