/** The exhibition filing end to end on both stores: one filing, four agencies' parts, each with its share. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPdf } from '../../../test/support/files.js';
import { cast, startTestKouan, type TestKouan } from '../../../test/support/kouan.js';
import { storeKinds } from '../../../test/support/stores.js';
import { examples } from './examples.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

const kinds = await storeKinds();
const filing = (overrides: Json = {}): Json => ({ ...structuredClone(examples[0]?.document as Json), ...overrides });

describe.each(kinds)('exhibition filing on %s', (kind) => {
  let t: TestKouan;
  let agent: string;
  const agencies: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestKouan(kind);
    const { importer, cus, ciq, moc } = await cast(t);
    agent = importer;
    Object.assign(agencies, { CUS: cus, CIQ: ciq, MOC: moc, SAIC: await t.agency('SAIC') });
  });
  afterAll(async () => {
    await t.close();
  });

  // An ATA carnet standing in for the guarantee is carried as a file, which customs alone reads.
  const submit = async (data: Json) => {
    const attachments = (data.guarantee as Json | undefined)?.kind === 'ata-carnet' ? [await attachPdf(t, agent, 'ata-carnet', 'ATA carnet DE/A123456')] : [];
    return t.request('POST', '/api/v1/submissions', { key: agent, body: { docType: 'exhibition-filing', data, attachments } });
  };
  const view = async (id: string, key = agent) => (await t.request('GET', `/api/v1/submissions/${id}`, { key })).json<Json>();

  it('gives each agency its share and is approved when all four approve', async () => {
    const submitted = await submit(filing());
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id } = submitted.json<Json>();
    expect((await view(id)).parts.map((part: Json) => part.agency)).toEqual(['CIQ', 'CUS', 'MOC', 'SAIC']);
    expect((await view(id, agencies.CUS)).attachments.map((file: Json) => file.kind)).toEqual(['ata-carnet']);
    expect((await view(id, agencies.MOC)).attachments).toEqual([]);
    // Wine and fresh apples are in the inspection table; the lathe is not.
    expect((await view(id, agencies.CIQ)).data.exhibits.map((exhibit: Json) => exhibit.no)).toEqual([2, 3]);
    expect((await view(id, agencies.SAIC)).data.exhibits.map((exhibit: Json) => exhibit.disposal)).toEqual(['sale']);
    const commerce = (await view(id, agencies.MOC)).data;
    expect(commerce).toMatchObject({ exhibitCount: 3, exhibitors: ['Example Werkzeugmaschinen AG', 'Domaine Exemple', 'Frutta Esempio'] });
    expect(commerce.exhibits).toBeUndefined();
    expect(commerce.guarantee).toBeUndefined();
    for (const agency of ['CUS', 'CIQ', 'MOC', 'SAIC']) {
      const decided = await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: agencies[agency], body: { outcome: 'approved' } });
      expect(decided.statusCode, `${agency}: ${decided.body}`).toBe(200);
    }
    expect((await view(id)).status).toBe('approved');
  });

  it('a list with nothing to inspect or sell goes to customs and commerce only', async () => {
    const [lathe] = filing().exhibits as Json[];
    const { id } = (await submit(filing({ exhibits: [lathe] }))).json<Json>();
    expect((await view(id)).parts.map((part: Json) => part.agency)).toEqual(['CUS', 'MOC']);
  });

  it('checks the dates, the item numbers and what the guarantee needs, each on its field', async () => {
    const [lathe] = filing().exhibits as Json[];
    const response = await submit(
      filing({
        event: { ...filing().event, closesOn: '2027-11-01' },
        guarantee: { kind: 'deposit', carnetNumber: 'DE/A123456' },
        exhibits: [lathe, { ...lathe, disposal: 'lend' }],
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(response.json<Json>().errors.map((error: Json) => [error.path, error.code])).toEqual(
      expect.arrayContaining([
        ['$.event.closesOn', 'EVENT_PERIOD_INVALID'],
        ['$.guarantee.amount', 'FIELD_REQUIRED'],
        ['$.guarantee.carnetNumber', 'FIELD_UNKNOWN'],
        ['$.exhibits[1].no', 'ITEM_NUMBER_DUPLICATE'],
        ['$.exhibits[1].disposal', 'FIELD_NOT_ALLOWED'],
      ]),
    );
  });
});
