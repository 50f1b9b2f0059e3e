/**
 * One Kouan with a party of every kind and a resource of each sort, for the authorization matrix and the fuzz
 * tests: an importer whose broker declared for it (with a delegation), an enterprise of another tenant with its
 * own declaration, a broker holding no delegation, the agencies CUS, CIQ, MOC and an unrelated one (MSA), an
 * operator of each tenant, ledger accounts, delegations, inbox messages, portal users, API keys and drafts.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { usccCheckCharacter } from '../../src/modules/codes/check-digits.js';
import { CONSOLE_CALLER } from '../../src/modules/users/index.js';
import { APPLES, BROKER, IMPORTER, LAPTOPS, OTHER_ENTERPRISE, importDeclaration } from './fixtures.js';
import { startTestKouan, type TestKouan } from './kouan.js';
import type { StoreKind } from './stores.js';

type Json = Record<string, unknown>;
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A unified social credit code with a correct GB 32100 check character. */
export function uscc(first17: string): string {
  const check = usccCheckCharacter(first17);
  if (check === undefined) throw new Error(`not 17 USCC characters: ${first17}`);
  return first17 + check;
}

/** A customs broker that holds no delegation from anyone. */
export const UNDELEGATED_BROKER = uscc('9144030077MA5D8K3');
/** A broker that matrix cells grant delegations to, so that the fixed delegations stay as they are. */
export const THIRD_BROKER = uscc('9133010078MA2B6C4');
export const OTHER_TENANT = 'shenzhen';
export const PASSWORD = 'a long enough matrix passphrase';
/** Where matrix subscriptions push: a public-looking https URL (Kouan refuses local ones) whose name never resolves. */
export const SUBSCRIBER_URL = 'https://subscriber.invalid/kouan';

export const ROLES = [
  'anonymous',
  'importer',
  'importer-admin',
  'importer-clerk',
  'importer-read-only',
  'other-enterprise',
  'broker',
  'broker-undelegated',
  'CUS',
  'CIQ',
  'MOC',
  'MSA',
  'operator',
  'operator-other-tenant',
] as const;
export type Role = (typeof ROLES)[number];
export type RoleKind = 'anonymous' | 'enterprise' | 'agency' | 'operator';

/**
 * Who each role is: its party and kind. `importer-admin` and `importer-clerk` are people of the importer logged
 * in to the portal (a session cookie and its CSRF token): the first with the admin and declarant roles, the
 * second with declarant only. `importer-read-only` is an API key of the importer scoped `submissions:read`.
 */
export const ROLE_PARTY: Readonly<Record<Role, { readonly party: string | undefined; readonly kind: RoleKind }>> = {
  anonymous: { party: undefined, kind: 'anonymous' },
  importer: { party: IMPORTER, kind: 'enterprise' },
  'importer-admin': { party: IMPORTER, kind: 'enterprise' },
  'importer-clerk': { party: IMPORTER, kind: 'enterprise' },
  'importer-read-only': { party: IMPORTER, kind: 'enterprise' },
  'other-enterprise': { party: OTHER_ENTERPRISE, kind: 'enterprise' },
  broker: { party: BROKER, kind: 'enterprise' },
  'broker-undelegated': { party: UNDELEGATED_BROKER, kind: 'enterprise' },
  CUS: { party: 'CUS', kind: 'agency' },
  CIQ: { party: 'CIQ', kind: 'agency' },
  MOC: { party: 'MOC', kind: 'agency' },
  MSA: { party: 'MSA', kind: 'agency' },
  operator: { party: 'ops', kind: 'operator' },
  'operator-other-tenant': { party: 'ops-sz', kind: 'operator' },
};

export const kindOf = (role: Role): RoleKind => ROLE_PARTY[role].kind;

/** An API key, or a portal session (its cookie and the CSRF token unsafe methods send). */
export interface Credentials {
  readonly key?: string;
  readonly cookie?: string;
  readonly csrf?: string;
}

export interface SendOptions {
  /** A value sent as JSON. */
  readonly body?: unknown;
  /** Raw text sent as the body (with content-type application/json unless headers say otherwise). */
  readonly payload?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The tables whose rows a refused request must leave as they were. */
export const COUNTED_TABLES = ['submissions', 'parts', 'outbox', 'ledger_accounts', 'ledger_reservations', 'ledger_entries', 'delegations', 'users', 'api_keys', 'tracking_events', 'tracking_subscriptions', 'drafts'] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number>;

const today = () => new Date().toISOString().slice(0, 10);
const nextYear = () => {
  const day = today();
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4, 8)}01`;
};

export interface World {
  readonly t: TestKouan;
  readonly kind: StoreKind;
  /** An unscoped API key of each party that has one. */
  readonly keys: Readonly<Record<string, string>>;
  readonly credentials: Readonly<Record<Role, Credentials>>;
  /** The importer's declaration, filed by its broker: central tenant, a customs part only. */
  readonly submissionA: string;
  /** The other tenant's enterprise declared for itself: customs and inspection parts. */
  readonly submissionB: string;
  /** The part.submitted message of submission A in CUS's inbox, and of submission B in CIQ's. */
  readonly messageA: string;
  readonly messageB: string;
  /** An automatic import licence MOC issued to the importer (with the body it was issued with). */
  readonly accountA: { readonly number: string; readonly signature: string; readonly body: Json };
  /** An inbound clearance form CIQ issued to the other tenant's enterprise. */
  readonly accountB: { readonly number: string; readonly signature: string };
  /** importer ▶ broker, and other enterprise ▶ broker. */
  readonly delegationA: string;
  readonly delegationB: string;
  /** A user of the importer and one of the other enterprise, for admin actions; never the portal user. */
  readonly userA: string;
  readonly userB: string;
  /** The importer's webhook subscription to submission A's events. */
  readonly subscriptionA: string;
  /** A draft of the importer, and one of the other tenant's enterprise. */
  readonly draftA: string;
  readonly draftB: string;
  /** The people behind the importer-admin and importer-clerk sessions. */
  readonly people: Readonly<Record<'importer-admin' | 'importer-clerk', { readonly id: string; readonly email: string }>>;
  send(credentials: Credentials, method: Method, url: string, options?: SendOptions): Promise<LightMyRequestResponse>;
  counts(): Promise<RowCounts>;
  /** New resources for cells that change what they act on. */
  readonly fresh: Fresh;
  close(): Promise<void>;
}

export interface Fresh {
  submissionA(): Promise<string>;
  submissionB(): Promise<string>;
  accountA(state?: 'active' | 'suspended'): Promise<string>;
  accountB(state?: 'active' | 'suspended'): Promise<string>;
  delegationA(): Promise<string>;
  delegationB(): Promise<string>;
  /** A new API key of a party; its id. */
  apiKey(party: string): Promise<string>;
  /** A new webhook subscription of the importer to submission A. */
  subscriptionA(): Promise<string>;
  /** A new draft of the importer, or of the other tenant's enterprise. */
  draftA(): Promise<string>;
  draftB(): Promise<string>;
  /** A new portal session of the importer's admin or clerk. */
  session(who: 'importer-admin' | 'importer-clerk'): Promise<Credentials>;
  /** A signing key registered by an enterprise; its kid. */
  signingKey(party: string): Promise<string>;
  user(party: string): Promise<string>;
  /** A unique email address. */
  email(): string;
  /** A unique ledger account number. */
  accountNumber(prefix: string): string;
}

/** A public Ed25519 JWK, as an enterprise registers to sign its submissions. */
export function publicJwk(): { kty: string; crv: string; x: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x) };
}

/** The import licence body the matrix issues: laptops for the holder at Shanghai. */
export function licenceBody(number: string, holder = IMPORTER): Json {
  return { type: 'automatic-import-licence', number, holder, direction: 'import', validFrom: today(), validTo: nextYear(), ports: ['CNSHA'], maxUses: 6, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] };
}

/** An inbound clearance form for apples, issued by CIQ. */
export function clearanceBody(number: string, holder = OTHER_ENTERPRISE): Json {
  return { type: 'inbound-clearance-form', number, holder, direction: 'import', validFrom: today(), validTo: nextYear(), lines: [{ hsCode: '0808', quantity: 20, unit: 'TNE' }] };
}

/** The goods declaration a party files as declarant for a trader (the consignee of an import). */
export function declarationBy(declarant: string, trader: string, lines: unknown[] = [LAPTOPS]): Json {
  return { docType: 'goods-declaration', data: importDeclaration({ declarant, consignee: { id: trader, name: `Trader ${trader}` }, lines }) };
}

/** A draft of a goods declaration, unfinished: no lines yet. */
export function draftBody(title = 'Matrix draft'): Json {
  const { lines: _lines, ...unfinished } = importDeclaration();
  return { docType: 'goods-declaration', title, data: unfinished };
}

/** A delegation grant to a broker for a year of goods declarations both ways. */
export function grantBody(agent: string, principal?: string): Json {
  return { ...(principal === undefined ? {} : { principal }), agent, docTypes: ['goods-declaration'], directions: ['import', 'export'], validFrom: today(), validTo: nextYear() };
}

/** The problem code of an answer, or '' when it has none. */
export function problemCode(response: LightMyRequestResponse): string {
  try {
    const { code } = response.json<{ code?: unknown }>();
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

/** What an error answer must never show: stack frames, file paths, dependencies, SQL or driver messages. */
export function leaks(body: string): string[] {
  const found: string[] = [];
  const patterns: [string, RegExp][] = [
    ['stack frame', /\bat (?:async )?[\w$.<>]+ \(|\bat (?:file:|node:|\/)/],
    ['file path', /(?:\/work\/|\/home\/|\/usr\/|[A-Z]:\\|\.ts:\d+|\.js:\d+)/],
    ['node_modules', /node_modules/],
    ['SQL', /\b(?:select|insert into|update|delete from)\b[^"]*\b(?:from|values|set|where)\b/i],
    ['driver error', /SQLITE_|sqlite3?|postgres|syntax error at|violates|relation "|duplicate key|invalid byte sequence/i],
    ['error class', /\b(?:TypeError|RangeError|SyntaxError|ReferenceError)\b|Maximum call stack/],
  ];
  for (const [name, pattern] of patterns) if (pattern.test(body)) found.push(name);
  return found;
}

/** Builds the world: parties, keys, a portal session and one resource of each sort per side. */
export async function buildWorld(kind: StoreKind): Promise<World> {
  const t = await startTestKouan(kind);
  try {
    return await populate(t, kind);
  } catch (error) {
    await t.close();
    throw error;
  }
}

async function populate(t: TestKouan, kind: StoreKind): Promise<World> {
  const { services, app } = t.kouan;
  const { parties, users } = services;
  await parties.createTenant({ id: OTHER_TENANT, name: 'Shenzhen e-port' });
  const keys: Record<string, string> = {};
  const enterprise = async (id: string, roles: string[], tenant?: string) => {
    await parties.createParty({ id, kind: 'enterprise', name: `Enterprise ${id}`, roles, ...(tenant === undefined ? {} : { tenant }) });
    keys[id] = (await parties.createKey(id)).key;
  };
  await enterprise(IMPORTER, ['declarant']);
  await enterprise(OTHER_ENTERPRISE, ['declarant'], OTHER_TENANT);
  await enterprise(BROKER, ['declarant', 'broker']);
  await enterprise(UNDELEGATED_BROKER, ['declarant', 'broker']);
  await enterprise(THIRD_BROKER, ['declarant', 'broker']);
  await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
  await parties.createParty({ id: 'ops-sz', kind: 'operator', name: 'Shenzhen operations', tenant: OTHER_TENANT });
  for (const id of ['CUS', 'CIQ', 'MOC', 'MSA', 'ops', 'ops-sz']) keys[id] = (await parties.createKey(id)).key;
  const readOnly = (await users.createKey(CONSOLE_CALLER, { partyId: IMPORTER, scopes: ['submissions:read'], label: 'read only' })).key;

  const key = (party: string): string => {
    const found = keys[party];
    if (found === undefined) throw new Error(`no key for ${party}`);
    return found;
  };

  const send = (credentials: Credentials, method: Method, url: string, options: SendOptions = {}) => {
    const headers: Record<string, string> = {};
    if (credentials.key !== undefined) headers.authorization = `Bearer ${credentials.key}`;
    if (credentials.cookie !== undefined) headers.cookie = `kouan_session=${credentials.cookie}`;
    if (credentials.csrf !== undefined && method !== 'GET') headers['x-csrf-token'] = credentials.csrf;
    const payload = options.payload ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  };

  const created = async (response: LightMyRequestResponse, what: string): Promise<Json> => {
    if (response.statusCode >= 300) throw new Error(`setting up ${what}: ${response.statusCode} ${response.body}`);
    return response.json<Json>();
  };
  const idOf = async (response: LightMyRequestResponse, what: string, field = 'id'): Promise<string> => String((await created(response, what))[field]);

  let serial = 0;
  const unique = () => `${Date.now().toString(36)}${(serial += 1).toString(36)}`.toUpperCase();
  const accountNumber = (prefix: string) => `${prefix}-M-${unique()}`;
  const email = () => `matrix.${unique().toLowerCase()}@example.cn`;

  const login = async (address: string): Promise<Credentials> => {
    const response = await send({}, 'POST', '/api/v1/session', { body: { email: address, password: PASSWORD } });
    const body = await created(response, `a session for ${address}`);
    const cookie = /kouan_session=([^;]+)/.exec(String(response.headers['set-cookie']))?.[1];
    if (cookie === undefined) throw new Error('no session cookie');
    return { cookie, csrf: String(body.csrfToken) };
  };
  const user = async (party: string, roles: string[] = ['declarant']) => (await users.createUser(CONSOLE_CALLER, { partyId: party, email: email(), name: 'Matrix User', roles, password: PASSWORD })).id;

  const fresh: Fresh = {
    submissionA: async () => idOf(await send({ key: key(BROKER) }, 'POST', '/api/v1/submissions', { body: declarationBy(BROKER, IMPORTER) }), 'submission A'),
    submissionB: async () => idOf(await send({ key: key(OTHER_ENTERPRISE) }, 'POST', '/api/v1/submissions', { body: declarationBy(OTHER_ENTERPRISE, OTHER_ENTERPRISE, [LAPTOPS, APPLES]) }), 'submission B'),
    async accountA(state = 'active') {
      const number = await idOf(await send({ key: key('MOC') }, 'POST', '/api/v1/ledger/accounts', { body: licenceBody(accountNumber('AIL')) }), 'account A', 'number');
      if (state === 'suspended') await created(await send({ key: key('MOC') }, 'POST', `/api/v1/ledger/accounts/${number}/suspend`, { body: { reason: 'matrix' } }), 'suspending A');
      return number;
    },
    async accountB(state = 'active') {
      const number = await idOf(await send({ key: key('CIQ') }, 'POST', '/api/v1/ledger/accounts', { body: clearanceBody(accountNumber('ICF')) }), 'account B', 'number');
      if (state === 'suspended') await created(await send({ key: key('CIQ') }, 'POST', `/api/v1/ledger/accounts/${number}/suspend`, { body: { reason: 'matrix' } }), 'suspending B');
      return number;
    },
    delegationA: async () => idOf(await send({ key: key(IMPORTER) }, 'POST', '/api/v1/delegations', { body: grantBody(BROKER) }), 'delegation A'),
    delegationB: async () => idOf(await send({ key: key(OTHER_ENTERPRISE) }, 'POST', '/api/v1/delegations', { body: grantBody(BROKER) }), 'delegation B'),
    apiKey: async (party) => (await parties.createKey(party)).id,
    subscriptionA: async () => idOf(await send({ key: key(IMPORTER) }, 'POST', '/api/v1/subscriptions', { body: { submission: submissionA, url: SUBSCRIBER_URL } }), 'subscription A'),
    draftA: async () => idOf(await send({ key: key(IMPORTER) }, 'POST', '/api/v1/drafts', { body: draftBody() }), 'draft A'),
    draftB: async () => idOf(await send({ key: key(OTHER_ENTERPRISE) }, 'POST', '/api/v1/drafts', { body: draftBody() }), 'draft B'),
    session: async (who) => login(people[who].email),
    signingKey: async (party) => idOf(await send({ key: key(party) }, 'POST', '/api/v1/signing-keys', { body: { jwk: publicJwk() } }), `a signing key of ${party}`, 'kid'),
    user,
    email,
    accountNumber,
  };

  const person = async (roles: string[]) => {
    const address = email();
    return { id: (await users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email: address, name: 'Importer Person', roles, password: PASSWORD, mustChangePassword: false })).id, email: address };
  };
  const people = { 'importer-admin': await person(['admin', 'declarant']), 'importer-clerk': await person(['declarant']) };

  const delegationA = await fresh.delegationA();
  const delegationB = await fresh.delegationB();
  const submissionA = await fresh.submissionA();
  const submissionB = await fresh.submissionB();
  await services.exchange.dispatchPending();
  const messageOf = async (agency: string, submission: string) => {
    const inbox = await created(await send({ key: key(agency) }, 'GET', '/api/v1/inbox?limit=500'), `${agency}'s inbox`);
    const message = (inbox.messages as Json[]).find((candidate) => candidate.submissionId === submission && candidate.kind === 'part.submitted');
    if (message === undefined) throw new Error(`no message for ${submission} in ${agency}'s inbox`);
    return String(message.messageId);
  };
  const accountABody = licenceBody(accountNumber('AIL'));
  const accountA = await created(await send({ key: key('MOC') }, 'POST', '/api/v1/ledger/accounts', { body: accountABody }), 'account A');
  const accountB = await created(await send({ key: key('CIQ') }, 'POST', '/api/v1/ledger/accounts', { body: clearanceBody(accountNumber('ICF')) }), 'account B');

  const credentials: Record<Role, Credentials> = {
    anonymous: {},
    importer: { key: key(IMPORTER) },
    'importer-admin': await login(people['importer-admin'].email),
    'importer-clerk': await login(people['importer-clerk'].email),
    'importer-read-only': { key: readOnly },
    'other-enterprise': { key: key(OTHER_ENTERPRISE) },
    broker: { key: key(BROKER) },
    'broker-undelegated': { key: key(UNDELEGATED_BROKER) },
    CUS: { key: key('CUS') },
    CIQ: { key: key('CIQ') },
    MOC: { key: key('MOC') },
    MSA: { key: key('MSA') },
    operator: { key: key('ops') },
    'operator-other-tenant': { key: key('ops-sz') },
  };

  const counts = async (): Promise<RowCounts> => {
    const columns = COUNTED_TABLES.map((table) => sql`(select count(*) from ${sql.table(table)}) as ${sql.ref(table)}`);
    const { rows } = await sql<Record<string, number | string>>`select ${sql.join(columns)}`.execute(services.store.db);
    const row = rows[0] ?? {};
    return Object.fromEntries(COUNTED_TABLES.map((table) => [table, Number(row[table])])) as RowCounts;
  };

  return {
    t,
    kind,
    keys,
    credentials,
    submissionA,
    submissionB,
    messageA: await messageOf('CUS', submissionA),
    subscriptionA: await fresh.subscriptionA(),
    draftA: await fresh.draftA(),
    draftB: await fresh.draftB(),
    messageB: await messageOf('CIQ', submissionB),
    accountA: { number: String(accountA.number), signature: String(accountA.signature), body: accountABody },
    accountB: { number: String(accountB.number), signature: String(accountB.signature) },
    delegationA,
    delegationB,
    userA: await user(IMPORTER),
    userB: await user(OTHER_ENTERPRISE),
    people,
    send,
    counts,
    fresh,
    close: () => t.close(),
  };
}
