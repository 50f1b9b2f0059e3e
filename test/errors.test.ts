/** The error contract where things go wrong outside the document: media types, internal failures, and every refusal of the HTTP layer, down to what Node's parser rejects (sent over raw sockets so no client fixes the request up). */
import { errorCodes } from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toKouanError } from '../src/http/problem.js';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();

describe.each(kinds)('error contract on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.enterprise(IMPORTER);
    await t.delegate(IMPORTER, BROKER);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unsupported media type with 415 and an unknown route with 404, as problems', async () => {
    const form = await t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'docType=goods-declaration' });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ code: 'MEDIA_TYPE_UNSUPPORTED', status: 415 });
    // XML is taken as a message of a format a document type registers; one of none is 415 too.
    const xml = await t.kouan.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${broker}`, 'content-type': 'application/xml' }, payload: '<declaration/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'FORMAT_UNKNOWN', status: 415 });
    const nowhere = await t.request('GET', '/api/v1/nowhere', { key: broker });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers['content-type']).toContain('application/problem+json');
    expect(nowhere.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('answers an internal failure with 500 INTERNAL and the request id, never the cause', async () => {
    await t.kouan.services.store.db.schema.alterTable('parts').renameTo('parts_away').execute();
    try {
      const response = await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } });
      expect(response.statusCode).toBe(500);
      const problem = response.json();
      expect(problem).toMatchObject({ code: 'INTERNAL', status: 500, requestId: expect.stringMatching(/^req_/) });
      expect(response.body).not.toMatch(/parts|sqlite|relation|stack|at \w+ \(/i);
    } finally {
      await t.kouan.services.store.db.schema.alterTable('parts_away').renameTo('parts').execute();
    }
    // The failed transaction left nothing behind.
    const rows = await t.kouan.services.store.db.selectFrom('submissions').select('id').execute();
    expect(rows).toEqual([]);
  });
});

/** Sends bytes as they are (no client to fix them up) and resolves with the answer's status, headers and body. */
function rawExchange(port: number, bytes: Buffer | string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split < 0 ? text.length : split).split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: split < 0 ? '' : text.slice(split + 4) });
    });
    // Written, not ended: a half-closed connection may be dropped before it is answered. Every request here says
    // connection: close (or is refused), so the server closes it.
    socket.write(bytes);
    setTimeout(() => socket.end(), 5000).unref();
  });
}

describe.each(kinds)('every refusal is problem+json, down to the socket, on %s', (kind) => {
  let t: TestKouan;
  let key: string;
  let port: number;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    key = await t.enterprise(IMPORTER);
    await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.kouan.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
  });

  const head = (line: string, headers: Record<string, string> = {}) =>
    `${line}\r\n${Object.entries({ host: 'kouan.test', authorization: `Bearer ${key}`, connection: 'close', ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n`;
  const expectProblem = (answer: { status: number; headers: Record<string, string>; body: string }, status: number, code: string, path?: string) => {
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = JSON.parse(answer.body) as { code: string; status: number; errors?: { path: string }[] };
    expect(problem).toMatchObject({ code, status });
    if (path !== undefined) expect(problem.errors?.map((error) => error.path)).toContain(path);
  };
  const body = (contentType: string, payload: string) => `${head('POST /api/v1/validate HTTP/1.1', { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) })}${payload}`;

  it('names the query parameter of a raw UTF-8 byte or a broken %-escape', async () => {
    const rawBytes = Buffer.concat([Buffer.from('GET /api/v1/codes/hs?limit=5&q='), Buffer.from('牛肉', 'utf8'), Buffer.from(head(' HTTP/1.1').slice(1))]);
    expectProblem(await rawExchange(port, rawBytes), 400, 'REQUEST_INVALID', 'querystring:$.q');
    expectProblem(await rawExchange(port, head('GET /api/v1/codes/hs?q=%E0%A4%A HTTP/1.1')), 400, 'REQUEST_INVALID', 'querystring:$.q');
    // Overlong UTF-8 (C0 AF for "/") is no UTF-8 at all.
    expectProblem(await rawExchange(port, head('GET /api/v1/codes/hs?q=%C0%AF HTTP/1.1')), 400, 'REQUEST_INVALID', 'querystring:$.q');
    // The same word percent-encoded is a search like any other.
    expect((await rawExchange(port, head(`GET /api/v1/codes/hs?q=${encodeURIComponent('牛肉')} HTTP/1.1`))).status).toBe(200);
  });

  it('answers an over-long URL 414, over-large headers 431, a missing or bad Host 400, garbage 400', async () => {
    expectProblem(await rawExchange(port, head(`GET /api/v1/codes/hs?q=${'8'.repeat(9000)} HTTP/1.1`)), 414, 'URI_TOO_LONG');
    expectProblem(await rawExchange(port, head(`GET /api/v1/codes/hs?q=${'8'.repeat(20_000)} HTTP/1.1`)), 414, 'URI_TOO_LONG');
    expectProblem(await rawExchange(port, head('GET /api/v1/doctypes HTTP/1.1', { 'x-padding': 'p'.repeat(20_000) })), 431, 'HEADERS_TOO_LARGE');
    expectProblem(await rawExchange(port, 'GET /api/v1/doctypes HTTP/1.1\r\nconnection: close\r\n\r\n'), 400, 'REQUEST_INVALID', 'headers:$.host');
    expectProblem(await rawExchange(port, head('GET /api/v1/doctypes HTTP/1.1', { host: 'kouan test' })), 400, 'REQUEST_INVALID', 'headers:$.host');
    expectProblem(await rawExchange(port, 'HELLO\r\n\r\n'), 400, 'REQUEST_MALFORMED');
    expectProblem(await rawExchange(port, body('application/json', '{}').replace('content-length: 2', 'content-length: two')), 400, 'REQUEST_MALFORMED');
    expectProblem(await rawExchange(port, `${head('POST /api/v1/validate HTTP/1.1', { 'content-type': 'application/json', 'content-length': '2', 'transfer-encoding': 'chunked' })}0\r\n\r\n`), 400, 'REQUEST_MALFORMED');
    expectProblem(await rawExchange(port, 'CONNECT kouan.test:443 HTTP/1.1\r\nhost: kouan.test:443\r\n\r\n'), 405, 'METHOD_NOT_ALLOWED');
    expectProblem(await rawExchange(port, head('GET /api/v1/doctypes HTTP/1.1', { expect: 'teapot' })), 417, 'EXPECTATION_FAILED');
  });

  it('refuses bodies that are not UTF-8 JSON with 415, and bad JSON or a body over the limit as before', async () => {
    expectProblem(await rawExchange(port, body('text/plain', 'hello')), 415, 'MEDIA_TYPE_UNSUPPORTED');
    expectProblem(await rawExchange(port, body('application/x-www-form-urlencoded', 'docType=goods-declaration')), 415, 'MEDIA_TYPE_UNSUPPORTED');
    expectProblem(await rawExchange(port, body('multipart/form-data; boundary=b', '--b\r\ncontent-disposition: form-data; name="docType"\r\n\r\nx\r\n--b--\r\n')), 415, 'MEDIA_TYPE_UNSUPPORTED');
    expectProblem(await rawExchange(port, body('application/json; charset=iso-8859-1', '{"docType":"goods-declaration","data":{}}')), 415, 'BODY_CHARSET_UNSUPPORTED');
    expect((await rawExchange(port, body('application/json; charset=UTF-8', '{"docType":"goods-declaration","data":{}}'))).status).toBe(200);
    expectProblem(await rawExchange(port, body('application/json', '{"docType":')), 400, 'BODY_MALFORMED');
    expectProblem(await rawExchange(port, `${head('POST /api/v1/validate HTTP/1.1', { 'content-type': 'application/json', 'content-length': String(6 * 1024 * 1024) })}{`), 413, 'BODY_TOO_LARGE');
  });

  it('answers 406 to an Accept it cannot meet, 405 with Allow to a method the path does not take, 404 to no path', async () => {
    expectProblem(await rawExchange(port, head('GET /api/v1/doctypes HTTP/1.1', { accept: 'application/xml' })), 406, 'NOT_ACCEPTABLE');
    expect((await rawExchange(port, head('GET /api/v1/doctypes HTTP/1.1', { accept: 'application/xml, application/*;q=0.1' }))).status).toBe(200);
    const deleted = await rawExchange(port, head('DELETE /api/v1/doctypes HTTP/1.1'));
    expectProblem(deleted, 405, 'METHOD_NOT_ALLOWED');
    expect(deleted.headers.allow).toBe('GET, HEAD');
    const options = await rawExchange(port, head('OPTIONS /api/v1/submissions/sub_01ABC HTTP/1.1'));
    expectProblem(options, 405, 'METHOD_NOT_ALLOWED');
    expect(options.headers.allow).toBe('GET, HEAD');
    expectProblem(await rawExchange(port, head('GET /api/v1/nowhere HTTP/1.1')), 404, 'ROUTE_NOT_FOUND');
    // HEAD of a route that fails says so in its headers.
    const missing = await rawExchange(port, head('HEAD /api/v1/submissions/sub_00000000000000000000000000 HTTP/1.1'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('maps every 4xx error Fastify defines to a code of its own status class, never INTERNAL', () => {
    for (const [name, ErrorCode] of Object.entries(errorCodes)) {
      let error: { statusCode?: number };
      try {
        error = new (ErrorCode as new (...args: string[]) => { statusCode?: number })('a', 'b', 'c');
      } catch {
        continue;
      }
      if (error.statusCode === undefined || error.statusCode >= 500) continue;
      const problem = toKouanError(error, 1024);
      expect(problem.code, name).not.toBe('INTERNAL');
      expect(Math.floor(problem.status / 100), name).toBe(4);
    }
  });
});
