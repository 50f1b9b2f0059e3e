/**
 * The open code-list registry on both stores: every registered list is shown and searched, a store-backed list
 * is imported from CSV (replacing it atomically; a bad or empty file changes nothing), and a schema's
 * `x-code-list` checks values against built-in and store-backed lists alike, with a notice while a list is not
 * imported, in one lookup for all of a document's store-backed lists.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CodesRepository } from '../src/modules/codes/codes.repository.js';
import { APPROVAL, type DocTypeDefinition } from '../src/modules/doctypes/index.js';
import { validateDocument, type Annotations } from '../src/modules/doctypes/validation.js';
import { IMPORTER } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies

const kinds = await storeKinds();
const TRADE_MODES = fileURLToPath(new URL('../../shared/data/cn-customs/trade_modes.csv', import.meta.url));
const haveData = existsSync(TRADE_MODES);
if (!haveData) console.warn(`Skipping the import of the GACC trade modes: the reference data is not at ${TRADE_MODES}`);

const annotated = <T extends object>(schema: T, annotations: Annotations): T => Object.assign(schema, annotations);

/** A fixture document type naming a store-backed list (trade modes), a built-in one (Rec 21) and a list a module registers. */
const filing: DocTypeDefinition = {
  id: 'code-list-fixture',
  version: 1,
  title: { en: 'Code list fixture', zh: '代码表测试单' },
  schema: Type.Object({
    tradeMode: annotated(Type.String({ pattern: '^\\d{4}$' }), { 'x-code-list': 'trade-mode', 'x-error-code': 'FIELD_FORMAT' }),
    levyNature: Type.Optional(annotated(Type.String({ pattern: '^\\d{3}$' }), { 'x-code-list': 'levy-nature' })),
    lines: Type.Array(
      Type.Object({
        packageType: annotated(Type.String({ pattern: '^[0-9A-Z]{2}$' }), { 'x-code-list': 'package-type' }),
        exhibitKind: Type.Optional(annotated(Type.String(), { 'x-code-list': 'exhibit-kind' })),
      }),
    ),
  }),
  rules: [],
  parties: { declarant: 'declarant', trader: () => undefined, agentRoles: [] },
  parts: [],
  lifecycle: APPROVAL,
  reactions: [],
  examples: [],
};
const CALLER = { partyId: IMPORTER, roles: ['declarant'] };

describe.each(kinds)('code lists on %s', (kind) => {
  let t: TestKouan;
  let key: string;
  let dir: string;
  const file = (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return path;
  };
  const validate = (data: unknown) => validateDocument(filing, data, CALLER, t.kouan.services.codes);
  const get = async (url: string) => t.request('GET', url, { key });

  beforeAll(async () => {
    t = await startTestKouan(kind);
    key = await t.enterprise(IMPORTER);
    dir = mkdtempSync(join(tmpdir(), 'kouan-code-lists-'));
    // What a document type does at start-up: register the lists of its own.
    t.kouan.services.codes.registry.register({
      id: 'exhibit-kind',
      title: { en: 'Kinds of exhibits', zh: '展品种类' },
      errorCode: 'CODE_NOT_IN_LIST',
      source: { kind: 'built-in', entries: new Map([['1', { en: 'Exhibit for display', zh: '展示用展品' }], ['2', { en: 'Consumable', zh: '消耗品' }]]) },
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows every registered list, built-in ones loaded, store-backed ones not imported yet', async () => {
    const response = await get('/api/v1/codes');
    expect(response.statusCode).toBe(200);
    const lists = response.json<{ lists: Json[] }>().lists;
    expect(lists.map((list) => list.list)).toEqual(t.kouan.services.codes.registry.all().map((list) => list.id));
    expect(lists.find((list) => list.list === 'package-type')).toEqual({
      list: 'package-type', title: { en: 'Package types, common codes (UN/ECE Recommendation 21)', zh: '包装种类常用代码（UN/ECE 第 21 号建议书）' }, kind: 'built-in', loaded: true, entries: 43, source: 'built in', importedAt: null,
    });
    expect(lists.find((list) => list.list === 'trade-mode')).toMatchObject({ kind: 'store', loaded: false, entries: 0, source: 'not imported', importedAt: null });
    expect(lists.find((list) => list.list === 'exhibit-kind')).toMatchObject({ kind: 'built-in', loaded: true, entries: 2 });
    expect(lists.find((list) => list.list === 'hs')).toMatchObject({ kind: 'special', loaded: false });
  });

  it('accepts store-backed codes by their pattern with one notice per list until the list is imported', async () => {
    const result = await validate({ tradeMode: '0110', levyNature: '101', lines: [{ packageType: 'CT' }, { packageType: 'XX' }] });
    expect(result.errors).toEqual([{ path: '$.lines[1].packageType', code: 'CODE_NOT_IN_LIST', params: { value: 'XX', list: 'package-type' } }]);
    expect(result.notices).toEqual([
      { code: 'CODE_LIST_NOT_LOADED', params: { list: 'trade-mode' } },
      { code: 'CODE_LIST_NOT_LOADED', params: { list: 'levy-nature' } },
    ]);
    // A value that fails the pattern keeps its format error; it is not looked up.
    expect((await validate({ tradeMode: '11', lines: [] })).errors).toEqual([{ path: '$.tradeMode', code: 'FIELD_FORMAT', params: { format: '^\\d{4}$', value: '11' } }]);
    const search = await get('/api/v1/codes/trade-mode?q=01');
    expect(search.json()).toEqual({ list: 'trade-mode', loaded: false, entries: [] });
  });

  it('imports a store-backed list from code,en,zh with extra columns and searches it by code and by name', async () => {
    const imported = await t.kouan.services.codes.importList('levy-nature', file('levy.csv', ['code,en,zh,full_name_zh', '101,General duty,一般征税,一般征税进出口货物', '299,Other statutory,其他法定,', '503,Processing with imported materials,进料加工,进料加工进口料件']));
    expect(imported).toEqual({ entries: 3, rejected: [] });
    expect((await get('/api/v1/codes/levy-nature?q=5')).json()).toEqual({
      list: 'levy-nature', loaded: true, entries: [{ code: '503', en: 'Processing with imported materials', zh: '进料加工', extra: { full_name_zh: '进料加工进口料件' } }],
    });
    expect((await get(`/api/v1/codes/levy-nature?q=${encodeURIComponent('法定')}`)).json<Json>().entries).toEqual([{ code: '299', en: 'Other statutory', zh: '其他法定' }]);
    expect((await get('/api/v1/codes/levy-nature?q=general')).json<Json>().entries.map((entry: Json) => entry.code)).toEqual(['101']);
    expect((await get('/api/v1/codes/levy-nature?q=')).json<Json>().entries.map((entry: Json) => entry.code)).toEqual(['101', '299', '503']);
    const status = (await get('/api/v1/codes')).json<{ lists: Json[] }>().lists.find((list) => list.list === 'levy-nature');
    expect(status).toMatchObject({ loaded: true, entries: 3, source: 'levy.csv' });
  });

  it.skipIf(!haveData)('imports the GACC trade modes as published, then holds a document to them, looking up all its store-backed lists at once', async () => {
    expect(await t.kouan.services.codes.importList('trade-mode', TRADE_MODES)).toEqual({ entries: 98, rejected: [] });
    const found = await get(`/api/v1/codes/trade-mode?q=${encodeURIComponent('一般贸易')}`);
    expect(found.json<Json>().entries[0]).toEqual({ code: '0110', en: '一般贸易', zh: '一般贸易', extra: { old_customs_code: '0110', old_customs_name: '一般贸易', old_ciq_code: '11', old_ciq_name: '一般贸易' } });
    expect((await get('/api/v1/codes/trade-mode?q=2700')).json<Json>().entries).toMatchObject([{ code: '2700', zh: '展览品' }]);

    const lookups = vi.spyOn(CodesRepository.prototype, 'knownEntries');
    const good = await validate({ tradeMode: '2700', levyNature: '503', lines: [{ packageType: 'PX', exhibitKind: '1' }] });
    expect(good).toMatchObject({ valid: true, errors: [], notices: [] });
    const bad = await validate({ tradeMode: '9710', levyNature: '102', lines: [{ packageType: 'BX', exhibitKind: '3' }] });
    expect(bad.errors).toEqual([
      { path: '$.lines[0].exhibitKind', code: 'CODE_NOT_IN_LIST', params: { value: '3', list: 'exhibit-kind' } },
      { path: '$.tradeMode', code: 'TRADE_MODE_UNKNOWN', params: { value: '9710', list: 'trade-mode' } },
      { path: '$.levyNature', code: 'LEVY_NATURE_UNKNOWN', params: { value: '102', list: 'levy-nature' } },
    ]);
    expect(bad.notices).toEqual([]);
    // One lookup (one query) for both store-backed lists of each document.
    expect(lookups).toHaveBeenCalledTimes(2);
    expect(lookups.mock.calls[1]?.[0]).toEqual(new Map([['trade-mode', ['9710']], ['levy-nature', ['102']]]));
  });

  it('refuses a file with a bad row or no rows and keeps the list it had; refuses to import a built-in or unknown list', async () => {
    const before = (await get('/api/v1/codes/levy-nature?q=')).json<Json>().entries;
    const bad = t.kouan.services.codes.importList('levy-nature', file('bad.csv', ['code,en,zh', '101,General duty,一般征税', '1O2,Typo,笔误']));
    await expect(bad).rejects.toMatchObject({ code: 'CODE_IMPORT_FAILED', params: { reason: 'line 3: the code "1O2" does not match ^\\d{3}$, the form of levy-nature codes' }, extra: { line: 3 } });
    const empty = t.kouan.services.codes.importList('levy-nature', file('empty.csv', ['code,en,zh']));
    await expect(empty).rejects.toMatchObject({ code: 'CODE_IMPORT_FAILED', params: { reason: 'empty.csv has no rows' } });
    expect((await get('/api/v1/codes/levy-nature?q=')).json<Json>().entries).toEqual(before);
    expect((await get('/api/v1/codes')).json<{ lists: Json[] }>().lists.find((list) => list.list === 'levy-nature')).toMatchObject({ entries: 3, source: 'levy.csv' });

    await expect(t.kouan.services.codes.importList('package-type', file('pk.csv', ['code,en,zh', 'CT,Carton,纸箱']))).rejects.toMatchObject({ code: 'CODE_LIST_NOT_IMPORTABLE', params: { list: 'package-type' } });
    await expect(t.kouan.services.codes.importList('crates', file('crates.csv', ['code,en,zh', 'CT,Carton,纸箱']))).rejects.toMatchObject({ code: 'CODE_LIST_UNKNOWN' });
  });

  it('replacing one store-backed list leaves the others as they were', async () => {
    await t.kouan.services.codes.importList('goods-use', file('use.csv', ['code,name_zh', '11,种用或繁殖', '12,食用']));
    await t.kouan.services.codes.importList('goods-use', file('use2.csv', ['code,name_zh', '99,其他']));
    expect((await get('/api/v1/codes/goods-use?q=')).json<Json>().entries).toEqual([{ code: '99', en: '其他', zh: '其他' }]);
    expect((await get('/api/v1/codes/levy-nature?q=')).json<Json>().entries).toHaveLength(3);
  });

  it('searches any registered list, and answers an unknown one with CODE_LIST_UNKNOWN', async () => {
    expect((await get('/api/v1/codes/transport-mode?q=air')).json()).toEqual({ list: 'transport-mode', loaded: true, entries: [{ code: '4', en: 'Air transport', zh: '航空运输' }] });
    expect((await get('/api/v1/codes/exhibit-kind?q=2')).json<Json>().entries).toEqual([{ code: '2', en: 'Consumable', zh: '消耗品' }]);
    const unknown = await get('/api/v1/codes/crates');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ code: 'CODE_LIST_UNKNOWN' });
  });
});
