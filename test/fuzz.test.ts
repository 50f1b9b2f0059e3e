/**
 * Property and fuzz tests of every write endpoint (POST, PUT, DELETE of docs/openapi.json), on both stores, as a
 * caller allowed to make the call: malformed JSON, a wrong type at every top-level field, bodies just over the
 * limit, 10,000 levels of nesting, very long strings, lone surrogates and NUL, invalid bearer tokens, forged
 * session cookies, invalid signatures, replayed requests, and a few hundred seeded random mutations of valid bodies.
 *
 * Whatever the request, the answer is never a 500; an error is problem+json and shows no stack frame, file path,
 * dependency or SQL; and a refused request (4xx) leaves submissions, parts, outbox, ledger, delegations, users and
 * API keys as they were.
 */
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPLES, BROKER, IMPORTER, LAPTOPS } from './support/fixtures.js';
import {
  buildWorld,
  COUNTED_TABLES,
  declarationBy,
  draftBody,
  grantBody,
  leaks,
  licenceBody,
  PASSWORD,
  problemCode,
  SUBSCRIBER_URL,
  publicJwk,
  THIRD_BROKER,
  UNDELEGATED_BROKER,
  type Credentials,
  type Method,
  type Role,
  type RowCounts,
  type SendOptions,
  type World,
} from './support/matrix.js';
import { prng } from './support/prng.js';
import { storeKinds } from './support/stores.js';

type Json = Record<string, unknown>;

const kinds = await storeKinds();

// ---------------------------------------------------------------- the contract, from docs/openapi.json

interface Schema {
  readonly type?: string | readonly string[];
  readonly anyOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly maxLength?: number;
}
interface Operation {
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: Schema }>> };
  readonly parameters?: readonly { readonly in: string; readonly name: string; readonly schema?: Schema }[];
  readonly security?: readonly unknown[];
}
const OPENAPI = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const WRITE_METHODS = ['post', 'put', 'delete'];
/** Documented reads with a path parameter or a query, and who may make each (so that the request reaches the store). */
const documentedReads = Object.entries(OPENAPI.paths).flatMap(([path, operations]) => {
  const read = operations.get;
  const parameters = (read?.parameters ?? []).filter((parameter) => parameter.in === 'path' || parameter.in === 'query');
  return read === undefined || parameters.length === 0 ? [] : [{ path, parameters }];
});
const readerOf = (path: string): Role =>
  path.startsWith('/api/v1/inbox') || path.startsWith('/api/v1/webhook') ? 'CUS' : path.startsWith('/api/v1/delegations') || path.startsWith('/api/v1/drafts') ? 'importer' : path.startsWith('/api/v1/users/me') ? 'importer-admin' : 'operator';
const documentedWrites = Object.entries(OPENAPI.paths).flatMap(([path, operations]) =>
  Object.keys(operations)
    .filter((method) => WRITE_METHODS.includes(method))
    .map((method) => `${method.toUpperCase()} ${path}`),
);
const operationOf = (route: string): Operation => {
  const [method = '', path = ''] = route.split(' ');
  const operation = OPENAPI.paths[path]?.[method.toLowerCase()];
  if (operation === undefined) throw new Error(`${route} is not in docs/openapi.json`);
  return operation;
};
const bodySchemaOf = (route: string): Schema | undefined => operationOf(route).requestBody?.content['application/json']?.schema;
/** Routes that need no key: an `security: []` override in the document. */
const isPublic = (route: string) => operationOf(route).security?.length === 0;

type JsonType = 'null' | 'number' | 'string' | 'array' | 'object' | 'boolean';
/** The JSON types a schema admits; undefined when it admits anything. */
function admitted(schema: Schema): Set<JsonType> | undefined {
  if (schema.anyOf !== undefined) {
    const all = new Set<JsonType>();
    for (const member of schema.anyOf) {
      const types = admitted(member);
      if (types === undefined) return undefined;
      types.forEach((type) => all.add(type));
    }
    return all;
  }
  if (schema.type !== undefined) return new Set((Array.isArray(schema.type) ? schema.type : [schema.type]).map((type: string) => (type === 'integer' ? 'number' : type) as JsonType));
  const values = schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);
  if (values !== undefined) return new Set(values.map((value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType))));
  return undefined;
}
const typeOf = (value: unknown): JsonType => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType));
/** One value of each JSON type; an array of one string too, which a coercing validator would take for the string. */
const SAMPLES: readonly unknown[] = [null, 42, 'text', ['text'], {}, true];

// ---------------------------------------------------------------- who calls each write route, on what, with what

interface WriteCase {
  /** Who may make the call; the portal roles send their session cookie and CSRF token. */
  readonly as: Role;
  /**
   * Path parameters, made once for the file (a refused request changes nothing, so one resource serves), and
   * again for each request of the tests that need the call to get past the resource's state.
   */
  readonly params?: (w: World) => Promise<Readonly<Record<string, string>>>;
  /** A request that succeeds changes the resource's state (a second cancel is 409): give those tests a new one. */
  readonly consumes?: boolean;
  /** A valid body. */
  readonly body?: (w: World) => Json;
  /** A session of its own: the route ends the session it is called with. */
  readonly ownSession?: boolean;
  /** The body is a file, not JSON: the JSON probes skip it (test/attachments.test.ts fuzzes its bytes). */
  readonly file?: boolean;
}

/** A fresh submission of the broker's for the importer, which customs accepted. */
async function acceptedA(w: World): Promise<string> {
  const id = await w.fresh.submissionA();
  const accepted = await w.send({ key: w.keys.CUS ?? '' }, 'POST', `/api/v1/submissions/${id}/decisions`, { body: { outcome: 'accepted' } });
  if (accepted.statusCode !== 200) throw new Error(`customs did not accept ${id}: ${accepted.body}`);
  return id;
}

/** A request of the broker's to withdraw a fresh accepted submission, waiting for customs. */
async function pendingWithdrawal(w: World): Promise<Record<string, string>> {
  const id = await acceptedA(w);
  const asked = await w.send({ key: w.keys[BROKER] ?? '' }, 'POST', `/api/v1/submissions/${id}/amendments`, { body: { action: 'withdraw', reasons: [{ message: 'fuzz' }] } });
  if (asked.statusCode !== 201) throw new Error(`the fuzz request was refused: ${asked.body}`);
  return { id, amendmentId: asked.json<{ id: string }>().id };
}

const CASES: Readonly<Record<string, WriteCase>> = {
  'POST /api/v1/validate': { as: 'broker', body: () => declarationBy(BROKER, IMPORTER) },
  'POST /api/v1/submissions': { as: 'broker', body: () => declarationBy(BROKER, IMPORTER) },
  'POST /api/v1/submissions/{id}/cancel': { as: 'broker', params: async (w) => ({ id: await w.fresh.submissionA() }), consumes: true },
  'POST /api/v1/submissions/{id}/amendments': { as: 'broker', params: async (w) => ({ id: await acceptedA(w) }), consumes: true, body: () => ({ action: 'withdraw', reasons: [{ code: 'NOT_SHIPPED', message: 'The goods were not shipped', path: '$.lines[0]' }] }) },
  'POST /api/v1/submissions/{id}/amendments/{amendmentId}/decisions': { as: 'CUS', params: async (w) => pendingWithdrawal(w), consumes: true, body: () => ({ outcome: 'rejected', reasons: [{ code: 'NO', message: 'not proven', path: '$' }] }) },
  'POST /api/v1/submissions/{id}/decisions': { as: 'CUS', params: async (w) => ({ id: await w.fresh.submissionA() }), consumes: true, body: () => ({ outcome: 'accepted', reasons: [{ code: 'OK', message: 'fine', path: '$.lines[0]' }] }) },
  'POST /api/v1/inbox/{messageId}/ack': { as: 'CUS', params: async (w) => ({ messageId: w.messageA }) },
  'PUT /api/v1/webhook': { as: 'MSA', body: () => ({ url: 'https://hooks.example.org/kouan' }) },
  'DELETE /api/v1/webhook': { as: 'MSA' },
  'POST /api/v1/ledger/verify': { as: 'anonymous', body: (w) => ({ signature: w.accountA.signature }) },
  'POST /api/v1/ledger/accounts': { as: 'MOC', body: (w) => w.accountA.body },
  'POST /api/v1/ledger/accounts/{number}/revoke': { as: 'MOC', params: async (w) => ({ number: await w.fresh.accountA() }), consumes: true, body: () => ({ reason: 'fuzz' }) },
  'POST /api/v1/ledger/accounts/{number}/suspend': { as: 'MOC', params: async (w) => ({ number: await w.fresh.accountA() }), consumes: true, body: () => ({ reason: 'fuzz' }) },
  'POST /api/v1/ledger/accounts/{number}/reinstate': { as: 'MOC', params: async (w) => ({ number: await w.fresh.accountA('suspended') }), consumes: true, body: () => ({ reason: 'fuzz' }) },
  'POST /api/v1/ledger/accounts/{number}/extend': { as: 'CUS', params: async (w) => ({ number: w.accountA.number }), body: () => ({ reason: 'fuzz' }) },
  'POST /api/v1/delegations': { as: 'importer', body: () => grantBody(THIRD_BROKER, IMPORTER) },
  'POST /api/v1/delegations/{id}/revoke': { as: 'importer', params: async (w) => ({ id: await w.fresh.delegationA() }), consumes: true },
  'POST /api/v1/session': { as: 'anonymous', body: (w) => ({ email: w.people['importer-clerk'].email, password: PASSWORD }) },
  'DELETE /api/v1/session': { as: 'importer-clerk', ownSession: true },
  'POST /api/v1/users': { as: 'importer', body: () => ({ email: 'fuzz.person@example.cn', name: 'Fuzz Person', roles: ['declarant'], password: PASSWORD }) },
  'POST /api/v1/users/{id}/disable': { as: 'importer', params: async (w) => ({ id: w.userA }) },
  'POST /api/v1/users/{id}/unlock': { as: 'importer', params: async (w) => ({ id: w.userA }) },
  'POST /api/v1/users/{id}/password': { as: 'importer', params: async (w) => ({ id: w.userA }), body: () => ({ password: PASSWORD }) },
  'POST /api/v1/users/{id}/totp/disable': { as: 'importer', params: async (w) => ({ id: w.userA }), body: () => ({ code: '123456' }) },
  // An API key: the route answers 403 SESSION_REQUIRED after checking the body, and no password changes.
  'POST /api/v1/users/me/password': { as: 'importer', body: () => ({ currentPassword: PASSWORD, password: 'a different long passphrase' }) },
  'POST /api/v1/users/me/totp': { as: 'importer-admin' },
  'POST /api/v1/users/me/totp/confirm': { as: 'importer-admin', body: () => ({ code: '123456' }) },
  'POST /api/v1/keys': { as: 'importer', body: () => ({ label: 'fuzz', scopes: ['submissions:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() }) },
  'POST /api/v1/keys/{id}/rotate': { as: 'importer', params: async (w) => ({ id: await w.fresh.apiKey(IMPORTER) }), consumes: true },
  'POST /api/v1/keys/{id}/revoke': { as: 'importer', params: async (w) => ({ id: await w.fresh.apiKey(IMPORTER) }), consumes: true },
  // The broker without delegations signs nothing else here, so a policy a mutation turns on disturbs no other test.
  'POST /api/v1/signing-keys': { as: 'broker-undelegated', body: () => ({ jwk: publicJwk() }) },
  'POST /api/v1/signing-keys/{kid}/revoke': { as: 'broker-undelegated', params: async (w) => ({ kid: await w.fresh.signingKey(UNDELEGATED_BROKER) }), consumes: true },
  'PUT /api/v1/signing-policy': { as: 'broker-undelegated', body: () => ({ requireSignedSubmissions: false }) },
  'POST /api/v1/events': {
    as: 'operator',
    body: () => ({ events: [{ eventId: `fuzz-${randomUUID()}`, eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-01T08:00:00Z', location: 'CNSHA', references: { container: 'MSKU1234565' } }] }),
  },
  // A DCSA 2.2 push is a bare array of events (the harness's bodies are objects; an array is what this route takes).
  'POST /api/v1/tracking/dcsa/v2/events': {
    as: 'operator',
    body: () => [{ eventID: randomUUID(), eventCreatedDateTime: '2026-11-01T08:05:00+08:00', eventType: 'EQUIPMENT', eventClassifierCode: 'ACT', eventDateTime: '2026-11-01T08:00:00+08:00', equipmentEventTypeCode: 'GTIN', equipmentReference: 'MSKU1234565', emptyIndicatorCode: 'LADEN', eventLocation: { UNLocationCode: 'CNSHA' } }] as unknown as Json,
  },
  'POST /api/v1/tracking/dcsa/v3/events': {
    as: 'operator',
    body: () => ({ events: [{ eventID: `fuzz-${randomUUID()}`, eventDateTime: '2026-11-01T08:00:00Z', eventClassification: { eventTypeCode: 'EQUIPMENT', eventClassifierCode: 'ACT', equipmentEventTypeCode: 'GTIN' }, eventLocation: { UNLocationCode: 'CNSHA' }, equipmentDetails: { equipmentReference: 'MSKU1234565' } }] }),
  },
  'POST /api/v1/subscriptions': { as: 'importer', body: (w) => ({ submission: w.submissionA, url: SUBSCRIBER_URL }) },
  'POST /api/v1/subscriptions/{id}/replay': { as: 'importer', params: async (w) => ({ id: w.subscriptionA }), body: () => ({ fromSeq: 1 }) },
  'DELETE /api/v1/subscriptions/{id}': { as: 'importer', params: async (w) => ({ id: await w.fresh.subscriptionA() }), consumes: true },
  'POST /api/v1/attachments': { as: 'importer', file: true },
  'POST /api/v1/drafts': { as: 'importer', body: () => draftBody('Fuzz draft') },
  'PUT /api/v1/drafts/{id}': {
    as: 'importer',
    params: async (w) => ({ id: await w.fresh.draftA() }),
    body: () => {
      const { docType: _docType, ...save } = draftBody('Fuzz save');
      return save;
    },
  },
  'DELETE /api/v1/drafts/{id}': { as: 'importer', params: async (w) => ({ id: await w.fresh.draftA() }), consumes: true },
};

/** The write routes that take JSON (every one but a file upload). */
const jsonWrites = documentedWrites.filter((route) => CASES[route]?.file !== true);

// ---------------------------------------------------------------- bodies

const deepArray = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const LONG = 'x'.repeat(1024 * 1024);
/** Strings that trip encoders and databases: a lone surrogate of each kind, NUL, a BOM, right-to-left override, emoji. */
const EDGE_STRINGS: readonly [string, string][] = [
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['BOM and RTL override', '\ufeff\u202egnp.exe'],
  ['astral emoji', '\u{1f4a9}\u{1f1e8}\u{1f1f3}'],
];

/** JSON text of a body whose member `field` holds raw JSON text (to write what JSON.stringify never would). */
function withRawMember(body: Json, field: string, raw: string): string {
  const marker = `"@@raw-${field}@@"`;
  return JSON.stringify({ ...body, [field]: `@@raw-${field}@@` }).replace(marker, raw);
}

/** Numbers as an attacker spells them in a query: none is a plain whole number within range. */
const ODD_NUMBERS: readonly string[] = ['Infinity', '1e309', '123456789012345678901234567890', '9007199254740993', 'NaN', '-0', '1e3', '0x10', ' 5', '+5', '05', '5.0', '-1', ''];
/** What a parameter that is not a number gets: numbers too large for anything that would read one out of it. */
const HUGE_NUMBERS: readonly string[] = ['1e309', '123456789012345678901234567890'];

// ---------------------------------------------------------------- checking answers

interface Probe {
  readonly label: string;
  readonly credentials: Credentials;
  readonly method: Method;
  readonly url: string;
  readonly options?: SendOptions;
  /** The status the documentation promises, when it promises one; every probe also gets the general checks. */
  readonly expect?: readonly number[];
}

function rowDiff(before: RowCounts, after: RowCounts): string {
  return COUNTED_TABLES.filter((table) => before[table] !== after[table])
    .map((table) => `${table} ${before[table]}→${after[table]}`)
    .join(', ');
}

/** Sends a probe and returns what is wrong with its answer (nothing, normally). */
async function probe(w: World, request: Probe): Promise<{ problems: string[]; response: LightMyRequestResponse }> {
  const before = await w.counts();
  const response = await w.send(request.credentials, request.method, request.url, request.options ?? {});
  const problems: string[] = [];
  const status = response.statusCode;
  const what = `${request.method} ${request.url.slice(0, 80)} ${request.label}: ${status} ${problemCode(response)}`.trim();
  if (status >= 500) problems.push(`${what} (a server error)`);
  else if (request.expect !== undefined && !request.expect.includes(status)) problems.push(`${what}, expected ${request.expect.join(' or ')}`);
  if (status >= 400) {
    const type = String(response.headers['content-type']);
    if (!type.startsWith('application/problem+json')) problems.push(`${what} answered ${type}, not problem+json`);
    const leaked = leaks(response.body);
    if (leaked.length > 0) problems.push(`${what} leaks ${leaked.join(', ')}: ${response.body.slice(0, 200)}`);
  }
  if (status >= 400 && status < 500) {
    const changed = rowDiff(before, await w.counts());
    if (changed !== '') problems.push(`${what} but stored rows: ${changed}`);
  }
  return { problems, response };
}

describe.each(kinds)('fuzzing the write endpoints on %s', (kind) => {
  let w: World;
  /** Each route's URL (with its path parameters) and the credentials of its caller. */
  const target = new Map<string, { url: string; credentials: Credentials }>();
  const problems: string[] = [];

  const urlOf = async (route: string, write: WriteCase) => {
    const params = (await write.params?.(w)) ?? {};
    return (route.split(' ')[1] ?? '').replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
  };

  beforeAll(async () => {
    w = await buildWorld(kind);
    for (const [route, write] of Object.entries(CASES)) {
      const credentials = write.ownSession === true ? await w.fresh.session('importer-clerk') : w.credentials[write.as];
      target.set(route, { url: await urlOf(route, write), credentials });
    }
  });
  afterAll(async () => {
    await w.close();
  });
  beforeEach(() => {
    problems.length = 0;
  });

  const routeOf = (route: string) => {
    const found = target.get(route);
    if (found === undefined) throw new Error(`no case for ${route}`);
    return { ...found, method: route.split(' ')[0] as Method, write: CASES[route] as WriteCase };
  };
  /** The route's URL, on a new resource when a successful call would use the shared one up. */
  const freshUrlOf = async (route: string) => {
    const { url, write } = routeOf(route);
    return write.consumes === true ? urlOf(route, write) : url;
  };
  const run = async (request: Probe) => {
    const { problems: found, response } = await probe(w, request);
    problems.push(...found);
    return response;
  };
  /** Asserts that no probe of the test went wrong, listing every one that did. */
  const expectNoProblems = () => {
    const found = problems.splice(0);
    expect(found).toEqual([]);
  };

  it('has a case for every documented write route', () => {
    expect(documentedWrites.filter((route) => CASES[route] === undefined)).toEqual([]);
  });

  it('refuses malformed JSON with 400 on every write route', async () => {
    for (const route of jsonWrites) {
      const { url, credentials, method, write } = routeOf(route);
      const text = JSON.stringify(write.body?.(w) ?? { any: 'thing' });
      const malformed: [string, string][] = [
        ['truncated', text.slice(0, -1)],
        ['cut in half', text.slice(0, Math.ceil(text.length / 2))],
        ['a trailing comma', `${text.slice(0, -1)},}`],
        ['single quotes', text.replaceAll('"', "'")],
        ['NaN', `{"value": NaN}`],
        ['Infinity', `{"value": -Infinity}`],
        ['undefined', `{"value": undefined}`],
        ['an unquoted key', `{value: 1}`],
        ['a comment', `/* note */ ${text}`],
        ['two documents', `${text}${text}`],
        ['an unterminated string', `{"value": "open}`],
        ['a raw control character', `{"value": "a\u0001b"}`],
        ['a bad escape', `{"value": "\\x41"}`],
        ['nothing', ''],
      ];
      for (const [label, payload] of malformed) await run({ label, credentials, method, url, options: { payload }, expect: [400] });
      // Valid JSON, if surprising: the last duplicate wins; never a 500.
      const [firstKey] = Object.keys(write.body?.(w) ?? {});
      if (firstKey !== undefined) await run({ label: 'a duplicate key', credentials, method, url, options: { payload: `{${JSON.stringify(firstKey)}: null, ${text.slice(1)}` } });
    }
    expectNoProblems();
  });

  it('refuses a wrong type at every top-level field, and a body that is not an object, with 400', async () => {
    for (const route of jsonWrites) {
      const schema = bodySchemaOf(route);
      const { url, credentials, method, write } = routeOf(route);
      if (schema === undefined || write.body === undefined) continue;
      for (const sample of [null, 42, 'text', [], true]) {
        await run({ label: `with the body ${JSON.stringify(sample)}`, credentials, method, url, options: { payload: JSON.stringify(sample) }, expect: [400] });
      }
      for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
        const types = admitted(fieldSchema);
        if (types === undefined) continue;
        for (const sample of SAMPLES) {
          if (types.has(typeOf(sample))) continue;
          await run({ label: `with ${field}: ${JSON.stringify(sample)}`, credentials, method, url, options: { body: { ...write.body(w), [field]: sample } }, expect: [400] });
        }
      }
    }
    expectNoProblems();
  });

  it('answers 413 to a body just over the limit on every write route', async () => {
    const limit = w.t.kouan.config.bodyLimit;
    const payload = `{"pad":"${'x'.repeat(limit + 1 - '{"pad":""}'.length)}"}`;
    expect(Buffer.byteLength(payload)).toBe(limit + 1);
    for (const route of jsonWrites) {
      const { url, credentials, method } = routeOf(route);
      await run({ label: `with ${limit + 1} bytes`, credentials, method, url, options: { payload }, expect: [413] });
    }
    expectNoProblems();
  });

  it('answers 10,000 levels of nesting with 400, 413 or 422 on every write route, and keeps serving', async () => {
    for (const route of jsonWrites) {
      const { url, credentials, method, write } = routeOf(route);
      const nested: [string, string][] = [
        ['as 10,000 nested arrays', deepArray(10_000)],
        ['as 10,000 nested objects', deepObject(10_000)],
      ];
      const body = write.body?.(w);
      for (const field of Object.keys(body ?? {})) nested.push([`with ${field} nested 10,000 deep`, withRawMember(body ?? {}, field, deepArray(10_000, '"x"'))]);
      for (const [label, payload] of nested) await run({ label, credentials, method, url, options: { payload }, expect: [400, 413, 422] });
    }
    expect((await w.send({}, 'GET', '/healthz')).statusCode).toBe(200);
    expectNoProblems();
  });

  it('refuses a 1 MiB string in every string field', async () => {
    for (const route of jsonWrites) {
      const schema = bodySchemaOf(route);
      const { url, credentials, method, write } = routeOf(route);
      if (schema === undefined || write.body === undefined) continue;
      for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
        if (admitted(fieldSchema)?.has('string') !== true) continue;
        await run({ label: `with a 1 MiB ${field}`, credentials, method, url, options: { body: { ...write.body(w), [field]: LONG } }, expect: [400, 401, 403, 404, 409, 422] });
      }
    }
    expectNoProblems();
  });

  it('never fails on lone surrogates, NUL or other odd characters, in any string field or path parameter', async () => {
    for (const route of jsonWrites) {
      const schema = bodySchemaOf(route);
      const { url, credentials, method, write } = routeOf(route);
      for (const [field, fieldSchema] of Object.entries(schema?.properties ?? {})) {
        if (write.body === undefined || admitted(fieldSchema)?.has('string') !== true) continue;
        const valid = write.body(w)[field];
        for (const [label, odd] of EDGE_STRINGS) {
          const value = typeof valid === 'string' ? `${valid.slice(0, 3)}${odd}${valid.slice(3)}` : odd;
          // JSON.stringify escapes lone surrogates (\ud800) and NUL (\u0000) as the escapes a client would send.
          await run({ label: `with ${label} in ${field}`, credentials, method, url: await freshUrlOf(route), options: { body: { ...write.body(w), [field]: value } } });
        }
      }
      if (!(route.split(' ')[1] ?? '').includes('{')) continue;
      const body = write.body === undefined ? {} : { body: write.body(w) };
      const segments = url.split('/');
      const paramAt = (route.split(' ')[1] ?? '').split('/').findIndex((segment) => segment.startsWith('{'));
      for (const [label, segment] of [
        ['NUL', 'a%00b'],
        ['an encoded lone surrogate', 'a%ED%A0%80b'],
        ['a broken escape', 'a%E0%A4%A'],
        ['an encoded slash', '..%2F..%2Fetc'],
        ['65 characters', 'x'.repeat(65)],
        ['an emoji', '%F0%9F%92%A9'],
      ] as const) {
        const odd = segments.map((part, index) => (index === paramAt ? segment : part)).join('/');
        await run({ label: `with ${label} in the path`, credentials, method, url: odd, options: body, expect: [400, 404] });
      }
    }
    expectNoProblems();
  });

  it('never fails on NUL, a lone surrogate or a broken escape in the path or query of a read', async () => {
    for (const { path, parameters } of documentedReads) {
      const credentials = w.credentials[readerOf(path)];
      for (const [label, odd] of [
        ['NUL', 'a%00b'],
        ['an encoded lone surrogate', 'a%ED%A0%80b'],
        ['a broken escape', 'a%E0%A4%A'],
      ] as const) {
        for (const parameter of parameters) {
          const url =
            parameter.in === 'path'
              ? path.replace(`{${parameter.name}}`, odd)
              : `${path.replace(/\{(\w+)\}/g, (_match, name: string) => (name === 'number' ? w.accountA.number : name === 'list' ? 'country' : name === 'id' ? w.submissionA : name))}?${parameter.name}=${odd}`;
          await run({ label: `with ${label} in ${parameter.name}`, credentials, method: 'GET', url, expect: [200, 400, 403, 404] });
        }
      }
    }
    expectNoProblems();
  });

  it('refuses every odd spelling of a number in every query and path parameter with 400 naming it, on every route', async () => {
    /** Queries a route needs before it looks at the parameter under test. */
    const base: Readonly<Record<string, string>> = { '/api/v1/delegations': 'role=granted&', '/api/v1/tracking': 'container=MSKU1234565&' };
    for (const [path, operations] of Object.entries(OPENAPI.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        const write = CASES[route];
        // An event stream that takes the query never ends; its query is the timeline's, which is probed.
        if ((method !== 'get' && write === undefined) || path.endsWith('/stream')) continue;
        const credentials = write === undefined ? w.credentials[readerOf(path)] : routeOf(route).credentials;
        const url = write === undefined ? path.replace(/\{(\w+)\}/g, (_match, name: string) => (name === 'number' ? w.accountA.number : name === 'list' ? 'country' : name === 'id' ? w.submissionA : name)) : routeOf(route).url;
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in !== 'query' && parameter.in !== 'path') continue;
          const numeric = parameter.schema?.type === 'integer' || parameter.schema?.type === 'number';
          for (const odd of numeric ? ODD_NUMBERS : HUGE_NUMBERS) {
            const target =
              parameter.in === 'path'
                ? (path.split('/').map((segment) => (segment === `{${parameter.name}}` ? encodeURIComponent(odd) : segment)).join('/'))
                : `${url}?${base[path] ?? ''}${parameter.name}=${encodeURIComponent(odd)}`;
            const response = await run({ label: `with ${parameter.name}=${JSON.stringify(odd)}`, credentials, method: method.toUpperCase() as Method, url: target, options: write?.body === undefined ? {} : { body: write.body(w) }, ...(numeric ? { expect: [400] } : {}) });
            if (numeric && response.statusCode === 400) {
              const paths = (response.json<{ errors?: { path: string }[] }>().errors ?? []).map((error) => error.path);
              if (!paths.includes(`${parameter.in === 'path' ? 'params' : 'querystring'}:$.${parameter.name}`)) problems.push(`${route} with ${parameter.name}=${JSON.stringify(odd)}: errors name ${paths.join(', ') || 'nothing'}`);
            }
          }
        }
      }
    }
    expectNoProblems();
  }, 120_000);

  it('never rounds or fails on a number written with an exponent or too many digits, in any number field of any body', async () => {
    /** Every path to a number in a value. */
    const numbersIn = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
      if (typeof value === 'number') return [path];
      if (Array.isArray(value)) return value.flatMap((item, index) => numbersIn(item, [...path, index]));
      if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => numbersIn(item, [...path, key]));
      return [];
    };
    const literals: readonly [string, readonly number[] | undefined][] = [
      ['1e400', [400]],
      ['-1e400', [400]],
      ['1e-400', [400]],
      ['1.7976931348623159e308', [400]],
      ['1.0000000000000000001e0', undefined],
      ['12345678901234567890', undefined],
      ['1.5E-7', undefined],
      ['-0', undefined],
      ['1e20', undefined],
      ['-9007199254740993', undefined],
    ];
    let probed = 0;
    for (const route of jsonWrites) {
      const { credentials, method, write } = routeOf(route);
      const body = write.body?.(w);
      if (body === undefined) continue;
      for (const path of numbersIn(body)) {
        for (const [literal, expected] of literals) {
          const marker = '"@@number@@"';
          const copy = structuredClone(body);
          let node: unknown = copy;
          for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
          (node as Record<string | number, unknown>)[path.at(-1) as string | number] = '@@number@@';
          const payload = JSON.stringify(copy).replace(marker, literal);
          const url = await freshUrlOf(route);
          await run({ label: `with ${literal} at ${path.join('.')}`, credentials, method, url, options: { payload }, ...(expected === undefined ? {} : { expect: expected }) });
          probed += 1;
        }
      }
    }
    expect(probed).toBeGreaterThan(20);
    expectNoProblems();
  }, 120_000);

  it('refuses an integer no store column holds, in every integer member of every body, with 400 naming it', async () => {
    let probed = 0;
    for (const route of jsonWrites) {
      const { credentials, method, write } = routeOf(route);
      const members = Object.entries(bodySchemaOf(route)?.properties ?? {}).filter(([, schema]) => admitted(schema)?.has('number') === true && (schema.type === 'integer' || schema.anyOf?.some((branch) => branch.type === 'integer') === true));
      for (const [name] of members) {
        for (const literal of ['1e20', '-1e20', '1e300', '9007199254740993', '9223372036854775808']) {
          const payload = withRawMember(write.body?.(w) ?? {}, name, literal);
          const response = await run({ label: `with ${name}: ${literal}`, credentials, method, url: await freshUrlOf(route), options: { payload }, expect: [400] });
          const paths = response.statusCode === 400 ? (response.json<{ errors?: { path: string }[] }>().errors ?? []).map((error) => error.path) : [];
          if (response.statusCode === 400 && !paths.includes(`body:$.${name}`)) problems.push(`${route} with ${name}: ${literal}: errors name ${paths.join(', ') || 'nothing'}`);
          probed += 1;
        }
      }
    }
    expect(probed).toBeGreaterThanOrEqual(10);
    expectNoProblems();
  });

  it('answers 401 to invalid bearer tokens and forged session cookies, and 403 to a session without its CSRF token', async () => {
    const revoked = await w.t.kouan.services.parties.createKey(IMPORTER);
    await w.t.kouan.services.parties.revokeKey(revoked.id);
    const forgedCredentials: [string, Credentials, Readonly<Record<string, string>>][] = [
      ['a garbage bearer token', {}, { authorization: 'Bearer garbage' }],
      ['an unknown well-formed key', { key: 'kouan.key_01JZZZZZZZZZZZZZZZZZZZZZZZ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, {}],
      ['a known key id with a wrong secret', { key: `${revoked.key.slice(0, revoked.key.lastIndexOf('.'))}.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB` }, {}],
      ['a revoked key', { key: revoked.key }, {}],
      ['a 10 kB bearer token', { key: 'k'.repeat(10_000) }, {}],
      ['Basic credentials', {}, { authorization: 'Basic aW1wb3J0ZXI6cGFzc3dvcmQ=' }],
      ['an empty bearer', {}, { authorization: 'Bearer ' }],
      ['a forged session cookie', { cookie: 'A'.repeat(43), csrf: 'B'.repeat(43) }, {}],
      ['a malformed session cookie', { cookie: '..%2F..%2Fetc%2Fpasswd' }, {}],
    ];
    const session = w.credentials['importer-admin'];
    for (const route of documentedWrites) {
      const { url, method, write } = routeOf(route);
      const body = write.body === undefined ? {} : { body: write.body(w) };
      if (isPublic(route)) continue;
      for (const [label, credentials, headers] of forgedCredentials) await run({ label: `with ${label}`, credentials, method, url, options: { ...body, headers }, expect: [401] });
      await run({ label: 'with a session and no CSRF token', credentials: { cookie: session.cookie ?? '' }, method, url, options: body, expect: [403] });
      await run({ label: 'with a session and a wrong CSRF token', credentials: { ...session, csrf: 'C'.repeat(43) }, method, url, options: body, expect: [403] });
    }
    expectNoProblems();
  });

  it('answers replayed requests as documented: idempotent submissions, ledger issues, acknowledgements and second decisions', async () => {
    const broker = w.credentials.broker;
    const declaration = declarationBy(BROKER, IMPORTER);
    const key = `fuzz-${kind}-${Date.now()}`;
    const first = await run({ label: 'first with an Idempotency-Key', credentials: broker, method: 'POST', url: '/api/v1/submissions', options: { body: declaration, headers: { 'idempotency-key': key } }, expect: [201] });
    const afterFirst = await w.counts();
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(declaration).reverse()));
    for (const [label, options] of [
      ['the same body again', { body: declaration }],
      ['the same body with its keys in another order', { payload: reordered }],
    ] as const) {
      const again = await run({ label, credentials: broker, method: 'POST', url: '/api/v1/submissions', options: { ...options, headers: { 'idempotency-key': key } }, expect: [201] });
      expect({ label, id: again.json<Json>().id, replayed: again.headers['idempotent-replayed'] }).toEqual({ label, id: first.json<Json>().id, replayed: 'true' });
    }
    const other = declarationBy(BROKER, IMPORTER, [{ ...LAPTOPS, quantity: 201 }]);
    await run({ label: 'another body with the same key', credentials: broker, method: 'POST', url: '/api/v1/submissions', options: { body: other, headers: { 'idempotency-key': key } }, expect: [409] });
    for (const bad of [' ', 'clé', 'x'.repeat(256), 'a\tb']) {
      await run({ label: `Idempotency-Key ${JSON.stringify(bad.slice(0, 12))}`, credentials: broker, method: 'POST', url: '/api/v1/submissions', options: { body: declaration, headers: { 'idempotency-key': bad } }, expect: [400] });
    }
    expect(await w.counts()).toEqual(afterFirst);

    const moc = w.credentials.MOC;
    const licence = licenceBody(w.fresh.accountNumber('AIL'));
    const issued = await run({ label: 'a new licence', credentials: moc, method: 'POST', url: '/api/v1/ledger/accounts', options: { body: licence }, expect: [201] });
    const afterIssue = await w.counts();
    const replayed = await run({ label: 'the same licence again', credentials: moc, method: 'POST', url: '/api/v1/ledger/accounts', options: { body: licence }, expect: [200] });
    expect(replayed.json<Json>()).toMatchObject({ number: issued.json<Json>().number, signature: issued.json<Json>().signature });
    await run({ label: 'other content under the same number', credentials: moc, method: 'POST', url: '/api/v1/ledger/accounts', options: { body: { ...licence, maxUses: 5 } }, expect: [409] });
    expect(await w.counts()).toEqual(afterIssue);

    const cus = w.credentials.CUS;
    const acks = [];
    for (let attempt = 0; attempt < 3; attempt += 1) acks.push(await run({ label: `acknowledgement ${attempt + 1}`, credentials: cus, method: 'POST', url: `/api/v1/inbox/${w.messageA}/ack`, expect: [200] }));
    expect(new Set(acks.map((ack) => `${String(ack.json<Json>().messageId)} ${String(ack.json<Json>().ackedAt)}`)).size).toBe(1);

    const decided = await w.fresh.submissionA();
    await run({ label: 'a decision', credentials: cus, method: 'POST', url: `/api/v1/submissions/${decided}/decisions`, options: { body: { outcome: 'accepted' } }, expect: [200] });
    await run({ label: 'the same decision again', credentials: cus, method: 'POST', url: `/api/v1/submissions/${decided}/decisions`, options: { body: { outcome: 'accepted' } }, expect: [409] });
    const cancelled = await w.fresh.submissionA();
    await run({ label: 'a cancellation', credentials: broker, method: 'POST', url: `/api/v1/submissions/${cancelled}/cancel`, expect: [200] });
    await run({ label: 'the same cancellation again', credentials: broker, method: 'POST', url: `/api/v1/submissions/${cancelled}/cancel`, expect: [409] });
    await run({ label: 'a decision on a cancelled submission', credentials: cus, method: 'POST', url: `/api/v1/submissions/${cancelled}/decisions`, options: { body: { outcome: 'accepted' } }, expect: [409] });
    const delegation = await w.fresh.delegationA();
    await run({ label: 'a revocation', credentials: w.credentials.importer, method: 'POST', url: `/api/v1/delegations/${delegation}/revoke`, expect: [200] });
    await run({ label: 'the same revocation again', credentials: w.credentials.importer, method: 'POST', url: `/api/v1/delegations/${delegation}/revoke`, expect: [409] });
    const account = await w.fresh.accountA();
    await run({ label: 'revoking a licence', credentials: moc, method: 'POST', url: `/api/v1/ledger/accounts/${account}/revoke`, options: { body: { reason: 'fuzz' } }, expect: [200] });
    await run({ label: 'revoking it again', credentials: moc, method: 'POST', url: `/api/v1/ledger/accounts/${account}/revoke`, options: { body: { reason: 'fuzz' } }, expect: [409] });
    const apiKey = await w.fresh.apiKey(IMPORTER);
    await run({ label: 'revoking an API key', credentials: w.credentials.importer, method: 'POST', url: `/api/v1/keys/${apiKey}/revoke`, expect: [200] });
    await run({ label: 'revoking it again', credentials: w.credentials.importer, method: 'POST', url: `/api/v1/keys/${apiKey}/revoke`, expect: [200] });
    await run({ label: 'rotating the revoked key', credentials: w.credentials.importer, method: 'POST', url: `/api/v1/keys/${apiKey}/rotate`, expect: [409] });
    expectNoProblems();
  });

  it('refuses invalid signatures: forged ledger copies with 422, forged submission signatures with 401, storing nothing', async () => {
    const genuine = w.accountA.signature;
    const [header = '', payload = '', signature = ''] = genuine.split('.');
    const other = w.accountB.signature.split('.');
    const content = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const copies: [string, string][] = [
      ['a changed holder', `${header}.${b64({ ...content, holder: UNDELEGATED_BROKER })}.${signature}`],
      ['another account’s signature', `${header}.${payload}.${other[2] ?? ''}`],
      ['alg none', `${b64({ alg: 'none', kid: 'MOC-1', typ: 'kouan-ledger-account+jws' })}.${payload}.`],
      ['alg HS256 keyed with the public key', `${b64({ alg: 'HS256', kid: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).kid as string })}.${payload}.${signature}`],
      ['an unknown kid', `${b64({ alg: 'EdDSA', kid: 'MOC-nope', typ: 'kouan-ledger-account+jws' })}.${payload}.${signature}`],
      ['two parts', `${header}.${payload}`],
      ['garbage', 'not.a.jws'],
      ['a header that is not JSON', `${Buffer.from('{{{').toString('base64url')}.${payload}.${signature}`],
    ];
    for (const [label, copy] of copies) await run({ label: `a copy with ${label}`, credentials: {}, method: 'POST', url: '/api/v1/ledger/verify', options: { body: { signature: copy } }, expect: [422] });

    // The broker registers a signing key, then signs one body and sends another; and every way of getting the header wrong.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    const registered = await run({ label: 'registering a signing key', credentials: w.credentials.broker, method: 'POST', url: '/api/v1/signing-keys', options: { body: { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } } }, expect: [201] });
    const kid = String(registered.json<Json>().kid);
    const protectedHeader = b64({ alg: 'EdDSA', kid });
    const detached = (body: string, headerText = protectedHeader) =>
      `${headerText}..${sign(null, Buffer.from(`${headerText}.${Buffer.from(body).toString('base64url')}`), createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }))).toString('base64url')}`;
    const body = JSON.stringify(declarationBy(BROKER, IMPORTER, [LAPTOPS, APPLES]));
    const signed: [string, string][] = [
      ['a signature over another body', detached(`${body} `)],
      ['the payload attached', `${protectedHeader}.${Buffer.from(body).toString('base64url')}.${detached(body).split('..')[1] ?? ''}`],
      ['alg none', `${b64({ alg: 'none', kid })}..`],
      ['alg ES256 for an Ed25519 key', detached(body, b64({ alg: 'ES256', kid }))],
      ['an unknown kid', detached(body, b64({ alg: 'EdDSA', kid: 'pk_01JZZZZZZZZZZZZZZZZZZZZZZZ' }))],
      ['another party’s kid', detached(body, b64({ alg: 'EdDSA', kid: await w.fresh.signingKey(UNDELEGATED_BROKER) }))],
      ['a header that is not JSON', `${Buffer.from('{{{').toString('base64url')}..AAAA`],
      ['garbage', 'garbage'],
      ['20,001 characters', 'a'.repeat(20_001)],
    ];
    for (const [label, jws] of signed) {
      await run({ label: `a submission signed with ${label}`, credentials: w.credentials.broker, method: 'POST', url: '/api/v1/submissions', options: { payload: body, headers: { 'kouan-signature': jws } }, expect: [400, 401] });
    }
    const good = await run({ label: 'a submission signed right', credentials: w.credentials.broker, method: 'POST', url: '/api/v1/submissions', options: { payload: body, headers: { 'kouan-signature': detached(body) } }, expect: [201] });
    expect(good.json<Json>().receipt).toEqual(expect.any(String));
    expectNoProblems();
  });

  it('survives a few hundred seeded random mutations of valid bodies', async () => {
    const seed = 0x6b6f75616e;
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => {
      const item = items[Math.floor(random() * items.length)];
      if (item === undefined) throw new Error('nothing to pick from');
      return item;
    };
    const withBodies = documentedWrites.filter((route) => CASES[route]?.body !== undefined);
    const values: readonly (() => unknown)[] = [
      () => null,
      () => Math.floor(random() * 2 ** 31) * (random() < 0.5 ? -1 : 1),
      () => random() * 1e300,
      () => '',
      () => pick(EDGE_STRINGS)[1],
      () => 'y'.repeat(1 + Math.floor(random() * 70_000)),
      () => [],
      () => ({}),
      () => random() < 0.5,
      () => ['goods-declaration'],
      () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    ];
    /** Every path into a value: [] is the body itself. */
    const pathsOf = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
      if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => pathsOf(item, [...path, index]))];
      if (typeof value === 'object' && value !== null) return [path, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))];
      return [path];
    };
    const at = (value: unknown, path: readonly (string | number)[]): unknown => path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
    const setAt = (value: Json, path: readonly (string | number)[], next: unknown) => {
      const parent = at(value, path.slice(0, -1)) as Record<string | number, unknown>;
      parent[path.at(-1) as string | number] = next;
    };
    const mutations: readonly [string, (body: Json) => string][] = [
      ['drop', (body) => {
        const paths = pathsOf(body).filter((candidate) => candidate.length > 0);
        if (paths.length === 0) return 'nothing to drop';
        const path = pick(paths);
        const parent = at(body, path.slice(0, -1));
        if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
        else delete (parent as Record<string, unknown>)[path.at(-1) as string];
        return `drop ${path.join('.')}`;
      }],
      ['retype', (body) => {
        const paths = pathsOf(body).filter((candidate) => candidate.length > 0);
        if (paths.length === 0) return 'nothing to retype';
        const path = pick(paths);
        const next = pick(values)();
        setAt(body, path, next);
        return `set ${path.join('.')} to ${JSON.stringify(next)?.slice(0, 40) ?? 'undefined'}`;
      }],
      ['unknown field', (body) => {
        const objects = pathsOf(body).filter((path) => { const node = at(body, path); return typeof node === 'object' && node !== null && !Array.isArray(node); });
        const path = pick(objects);
        const name = pick(['extra', '__proto__', 'constructor', 'prototype', 'toString', 'id', 'tenant', 'status']);
        // An own member even when named __proto__, as JSON.parse would make it.
        Object.defineProperty(at(body, path), name, { value: pick(values)(), enumerable: true, configurable: true, writable: true });
        return `add ${[...path, name].join('.')}`;
      }],
      ['deep nest', (body) => {
        const paths = pathsOf(body).filter((candidate) => candidate.length > 0);
        if (paths.length === 0) return 'nothing to nest';
        const path = pick(paths);
        const depth = pick([2, 10, 100, 1000, 10_000]);
        // Written into the JSON text at the end: nesting this deep is for the server to parse, not for this test.
        const marker = `@@deep-${deep.size}@@`;
        const inner = JSON.stringify(at(body, path)) ?? 'null';
        deep.set(`"${marker}"`, random() < 0.5 ? deepArray(depth, inner) : '{"v":'.repeat(depth) + inner + '}'.repeat(depth));
        setAt(body, path, marker);
        return `nest ${path.join('.')} ${depth} deep`;
      }],
    ];
    const deep = new Map<string, string>();

    const started = Date.now();
    let sent = 0;
    for (let round = 0; round < 300 && Date.now() - started < 15_000; round += 1) {
      const route = pick(withBodies);
      const { credentials, method, write } = routeOf(route);
      const url = await freshUrlOf(route);
      const body = structuredClone(write.body?.(w) ?? {});
      deep.clear();
      const applied = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(mutations)[1](body));
      let payload = JSON.stringify(body);
      for (const [marker, text] of deep) payload = payload.replace(marker, text);
      await run({ label: `(seed ${seed}, round ${round}: ${applied.join('; ')})`, credentials, method, url, options: { payload } });
      sent += 1;
    }
    expect(sent).toBeGreaterThanOrEqual(100);
    expectNoProblems();
  });
});
