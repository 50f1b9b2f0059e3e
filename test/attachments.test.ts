/**
 * Attachments (随附单证) on both stores: a file is uploaded once, told by its bytes, stored under its SHA-256,
 * named by hash in the submission's signed body and its receipt, and read only by the submission's parties and
 * the agencies whose part shows its kind. Bad files and bad references are refused and change nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples as exhibitionExamples } from '../src/doctypes/exhibition-filing/examples.js';
import { APPLES, IMPORTER, OTHER_ENTERPRISE, importDeclaration } from './support/fixtures.js';
import { ofdOf, pdfOf, pngOf, zipOf } from './support/files.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { prng } from './support/prng.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
type Json = Record<string, unknown>;
interface Problem {
  code: string;
  errors?: { path: string; code: string; message: string }[];
}
interface Uploaded {
  sha256: string;
  mediaType: string;
  size: number;
}

const LIMIT = 4096;
/** The content of a compact JWS, unverified (the signature tests verify it). */
const contentOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Json;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Fresh apples, imported by the importer itself: customs and inspection and quarantine both get a part. */
const apples = importDeclaration({ declarant: IMPORTER, lines: [APPLES] });

describe.each(kinds)('attachments on %s', (kind) => {
  let t: TestKouan;
  let importer: string;
  let other: string;
  let operator: string;
  const agencies = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestKouan(kind, { KOUAN_ATTACHMENT_MAX_BYTES: String(LIMIT) });
    importer = await t.enterprise(IMPORTER);
    other = await t.enterprise(OTHER_ENTERPRISE);
    for (const agency of ['CUS', 'CIQ', 'MOC', 'SAIC']) agencies.set(agency, await t.agency(agency));
    await t.kouan.services.parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
    operator = (await t.kouan.services.parties.createKey('ops')).key;
  });
  afterAll(async () => t.close());

  const upload = (bytes: Buffer, contentType: string, key = importer) => t.request('POST', '/api/v1/attachments', { key, body: bytes, headers: { 'content-type': contentType } });
  const uploaded = async (bytes: Buffer, contentType: string, key = importer) => {
    const response = await upload(bytes, contentType, key);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Uploaded>();
  };
  const submit = (data: Json, attachments: Json[], docType = 'goods-declaration') => t.request('POST', '/api/v1/submissions', { key: importer, body: { docType, data, attachments } });
  const count = async () => (await t.request('GET', '/api/v1/submissions?limit=200', { key: importer })).json<{ submissions: unknown[] }>().submissions.length;

  it('takes a file by what its bytes are, stores it once under its hash, and shows it to its uploader alone', async () => {
    const invoice = pdfOf('INV-2026-0001');
    const first = await upload(invoice, 'application/pdf');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ sha256: sha256(invoice), mediaType: 'application/pdf', size: invoice.length });
    expect(first.headers.location).toBe(`/api/v1/attachments/${sha256(invoice)}`);
    // Again, or by another party, or with the type left to the bytes: the same content, stored once.
    expect((await uploaded(invoice, 'application/pdf')).sha256).toBe(sha256(invoice));
    expect((await uploaded(invoice, 'application/octet-stream', other)).mediaType).toBe('application/pdf');
    expect((await uploaded(ofdOf('电子发票'), 'application/ofd')).mediaType).toBe('application/ofd');

    const mine = await t.request('GET', `/api/v1/attachments/${sha256(invoice)}`, { key: importer });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['content-disposition']).toBe('attachment');
    expect(mine.rawPayload.equals(invoice)).toBe(true);
    // Someone else's file and no file are one answer: the hash tells nothing.
    const photo = await uploaded(pngOf('only mine'), 'image/png');
    const theirs = await t.request('GET', `/api/v1/attachments/${photo.sha256}`, { key: other });
    const nobody = await t.request('GET', `/api/v1/attachments/${'0'.repeat(64)}`, { key: other });
    expect([theirs.statusCode, nobody.statusCode]).toEqual([404, 404]);
    expect(theirs.json<Problem>().code).toBe(nobody.json<Problem>().code);
    expect((await t.request('GET', `/api/v1/attachments/${photo.sha256}`, { key: agencies.get('CUS') })).statusCode).toBe(404);
  });

  it('refuses what is no taken format, says another type, is empty or too large, and stores none of it', async () => {
    const cases: [Buffer, string, number, string][] = [
      [Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf', 415, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      [zipOf([{ name: 'word/document.xml', content: '<w/>' }]), 'application/octet-stream', 415, 'ATTACHMENT_TYPE_UNSUPPORTED'],
      [pdfOf('said to be a photo'), 'image/png', 415, 'ATTACHMENT_TYPE_MISMATCH'],
      [Buffer.alloc(0), 'application/pdf', 400, 'ATTACHMENT_EMPTY'],
      [Buffer.concat([pdfOf('big'), Buffer.alloc(LIMIT)]), 'application/pdf', 413, 'ATTACHMENT_TOO_LARGE'],
      [pdfOf('as text'), 'text/plain', 415, 'MEDIA_TYPE_UNSUPPORTED'],
      [Buffer.from(JSON.stringify({ file: pdfOf('as JSON').toString('base64') })), 'application/json', 415, 'MEDIA_TYPE_UNSUPPORTED'],
    ];
    for (const [bytes, contentType, status, code] of cases) {
      const response = await upload(bytes, contentType);
      expect(response.statusCode, `${code}: ${response.body}`).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<Problem>().code).toBe(code);
      if (bytes.length > 0) expect((await t.request('GET', `/api/v1/attachments/${sha256(bytes)}`, { key: importer })).statusCode).toBe(404);
    }
    expect((await upload(Buffer.concat([pdfOf('big'), Buffer.alloc(LIMIT)]), 'application/pdf')).json<Problem & { title: string }>().title).toContain(String(LIMIT));
    // Only an enterprise attaches files to what it files.
    expect((await upload(pdfOf('from customs'), 'application/pdf', agencies.get('CUS'))).statusCode).toBe(403);
  });

  it('never fails on random bytes, truncated files or magic numbers alone, whatever type they claim', async () => {
    const random = prng(0x61747461);
    const types = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff', 'application/octet-stream'];
    const seeds = [pdfOf('seed'), pngOf('seed'), ofdOf('seed'), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.from('%PDF-')];
    const statuses = new Set<number>();
    for (let round = 0; round < 120; round += 1) {
      const seed = seeds[round % seeds.length] ?? Buffer.alloc(0);
      const noise = Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
      // The seed cut short, then noise: a header with nothing sound behind it.
      const bytes = Buffer.concat([seed.subarray(0, Math.floor(random() * (seed.length + 1))), noise]);
      const response = await upload(bytes, types[round % types.length] ?? 'application/octet-stream');
      statuses.add(response.statusCode);
      expect([201, 400, 415], `${bytes.toString('hex').slice(0, 80)}: ${response.body}`).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('json');
    }
    expect(statuses.has(415)).toBe(true);
    expect((await t.request('GET', '/healthz')).statusCode).toBe(200);
  });

  it('carries the files in the signed body and the receipt, and shows each agency only the kinds its part shows', async () => {
    const invoice = await uploaded(pdfOf('INV-2026-0002'), 'application/pdf');
    const origin = await uploaded(pdfOf('Certificate of origin NZ-2026-77'), 'application/pdf');
    const photo = await uploaded(pngOf('apples in the reefer'), 'image/png');
    const refs = [
      { kind: 'invoice', sha256: invoice.sha256, name: '发票 INV-2026-0002.pdf' },
      { kind: 'certificate-of-origin', sha256: origin.sha256, name: 'origin.pdf' },
      { kind: 'photo', sha256: photo.sha256, name: 'reefer.png' },
    ];
    const response = await submit(apples, refs);
    expect(response.statusCode, response.body).toBe(201);
    const submitted = response.json<{ id: string; receipt: string; parts: { agency: string }[] }>();
    expect(submitted.parts.map((part) => part.agency)).toEqual(['CIQ', 'CUS']);
    expect(contentOf(submitted.receipt).attachments).toEqual(refs.map(({ kind, sha256: hash }) => ({ kind, sha256: hash })));

    const listed = async (key: string | undefined) => (await t.request('GET', `/api/v1/submissions/${submitted.id}`, { key })).json<{ attachments: Json[] }>().attachments.map((file) => file.kind);
    expect(await listed(importer)).toEqual(['invoice', 'certificate-of-origin', 'photo']);
    expect(await listed(agencies.get('CUS'))).toEqual(['invoice', 'certificate-of-origin', 'photo']);
    expect(await listed(agencies.get('CIQ'))).toEqual(['invoice', 'photo']);
    const view = (await t.request('GET', `/api/v1/submissions/${submitted.id}`, { key: importer })).json<{ attachments: Json[] }>();
    expect(view.attachments[0]).toEqual({ kind: 'invoice', sha256: invoice.sha256, name: '发票 INV-2026-0002.pdf', mediaType: 'application/pdf', size: invoice.size });

    const read = (hash: string, key: string | undefined) => t.request('GET', `/api/v1/submissions/${submitted.id}/attachments/${hash}`, { key });
    const byCiq = await read(invoice.sha256, agencies.get('CIQ'));
    expect(byCiq.statusCode).toBe(200);
    expect(sha256(byCiq.rawPayload)).toBe(invoice.sha256);
    expect(byCiq.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('发票 INV-2026-0002.pdf')}`);
    // Inspection and quarantine has no business with the certificate of origin; commerce and others have no part.
    expect((await read(origin.sha256, agencies.get('CIQ'))).statusCode).toBe(404);
    expect((await read(origin.sha256, agencies.get('CUS'))).statusCode).toBe(200);
    expect((await read(invoice.sha256, agencies.get('MOC'))).statusCode).toBe(404);
    expect((await read(invoice.sha256, other)).statusCode).toBe(404);
    expect((await read(invoice.sha256, operator)).statusCode).toBe(404);
    expect((await read(pngOf('not attached').toString('hex').slice(0, 64).padEnd(64, '0'), importer)).statusCode).toBe(404);

    // Each agency's message lists the files its part shows.
    await t.kouan.services.exchange.dispatchPending();
    const inbox = async (agency: string) => (await t.request('GET', '/api/v1/inbox', { key: agencies.get(agency) })).json<{ messages: { submissionId: string; payload: { attachments?: Json[] } }[] }>().messages.find((message) => message.submissionId === submitted.id)?.payload.attachments?.map((file) => file.kind);
    expect(await inbox('CUS')).toEqual(['invoice', 'certificate-of-origin', 'photo']);
    expect(await inbox('CIQ')).toEqual(['invoice', 'photo']);
  });

  it('refuses a submission whose files are of unknown kinds, not uploaded by the declarant, of the wrong format, repeated or too many, and stores nothing', async () => {
    const invoice = await uploaded(pdfOf('INV-2026-0003'), 'application/pdf');
    const theirs = await uploaded(pdfOf('their invoice'), 'application/pdf', other);
    const before = await count();
    const bills = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => uploaded(pdfOf(`bill ${n}`), 'application/pdf')));
    const response = await submit(apples, [
      { kind: 'selfie', sha256: invoice.sha256, name: 'a.pdf' },
      { kind: 'invoice', sha256: theirs.sha256, name: 'b.pdf' },
      { kind: 'invoice', sha256: 'f'.repeat(64), name: 'c.pdf' },
      { kind: 'photo', sha256: invoice.sha256, name: 'd.pdf' },
      { kind: 'invoice', sha256: invoice.sha256, name: 'e.pdf' },
      { kind: 'invoice', sha256: invoice.sha256, name: 'f.pdf' },
      ...bills.map((bill, n) => ({ kind: 'transport-document', sha256: bill.sha256, name: `bill-${n}.pdf` })),
    ]);
    expect(response.statusCode, response.body).toBe(422);
    const errors = response.json<Problem>().errors?.map((error) => [error.path, error.code]);
    expect(errors).toEqual([
      ['$.attachments[0].kind', 'ATTACHMENT_KIND_UNKNOWN'],
      ['$.attachments[1].sha256', 'ATTACHMENT_NOT_UPLOADED'],
      ['$.attachments[2].sha256', 'ATTACHMENT_NOT_UPLOADED'],
      ['$.attachments[3].sha256', 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      ['$.attachments[5].sha256', 'ATTACHMENT_DUPLICATE'],
      ['$.attachments[11]', 'ATTACHMENT_TOO_MANY'],
    ]);
    // A name with a path or a control character is the contract's business (400), before anything is checked.
    const named = await submit(apples, [{ kind: 'invoice', sha256: invoice.sha256, name: '../../etc/passwd' }]);
    expect(named.statusCode).toBe(400);
    expect((await submit(apples, [{ kind: 'invoice', sha256: invoice.sha256, name: 'a\u0000.pdf' }])).statusCode).toBe(400);
    expect((await t.request('POST', '/api/v1/validate', { key: importer, body: { docType: 'goods-declaration', data: apples, attachments: [{ kind: 'photo', sha256: invoice.sha256, name: 'x.pdf' }] } })).json<{ valid: boolean; errors: { code: string }[] }>()).toMatchObject({ valid: false, errors: [{ code: 'ATTACHMENT_TYPE_NOT_ALLOWED' }] });
    expect(await count()).toBe(before);
  });

  it('requires the kinds a document type requires, and publishes them', async () => {
    const exhibition = exhibitionExamples[0]?.document as Json;
    expect((exhibition.guarantee as Json).kind).toBe('ata-carnet');
    const without = await submit(exhibition, [], 'exhibition-filing');
    expect(without.statusCode).toBe(422);
    expect(without.json<Problem>().errors).toEqual([{ path: '$.attachments', code: 'ATTACHMENT_REQUIRED', message: 'This document must carry a file of kind ata-carnet (GET /api/v1/doctypes/exhibition-filing: attachments)' }]);
    const carnet = await uploaded(pdfOf('ATA carnet DE/A123456'), 'application/pdf');
    const filed = await submit(exhibition, [{ kind: 'ata-carnet', sha256: carnet.sha256, name: 'carnet.pdf' }], 'exhibition-filing');
    expect(filed.statusCode, filed.body).toBe(201);

    const published = (await t.request('GET', '/api/v1/doctypes/exhibition-filing', { key: importer })).json<{ attachments: Json[] }>().attachments;
    expect(published.find((entry) => entry.kind === 'ata-carnet')).toMatchObject({ agencies: ['CUS'], maxCount: 5, requiredWhen: { en: 'when the guarantee is an ATA carnet' } });
    expect(published.find((entry) => entry.kind === 'photo')).toMatchObject({ agencies: ['CUS', 'CIQ', 'MOC', 'SAIC'], mediaTypes: ['image/jpeg', 'image/png'] });
  });
});
