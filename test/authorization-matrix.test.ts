/**
 * The authorization matrix, on both stores: every endpoint × every kind of caller × their own or someone else's
 * resource, with the exact status the documentation promises (docs/api.md "Authentication and who sees what",
 * docs/security.md, docs/delegations.md, docs/ledger.md):
 *
 * - 401 without a key (or with a bad one); the public routes answer everyone;
 * - 403 for a call the caller's kind of party may never make, for a key outside its scopes, and for a resource
 *   the caller may see but not change;
 * - 404 for a resource the caller may not see (it must not learn that it exists);
 * - 400/422 for a bad body, tested only for callers allowed to make the call at all.
 *
 * Each route is one test that tries every cell and lists every wrong one at once.
 *
 * The 403s of calls a caller may never make are generated: each route's action comes from the route table (the
 * OpenAPI document's `x-kouan-action`), and what each credential may do from the policies
 * (GET /api/v1/session/permissions). A cell the policies refuse must answer 403, whatever its target, and the
 * rows below, which say what each caller may do to which resource, must agree with the policies.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfOf } from './support/files.js';
import { BROKER, IMPORTER, OTHER_ENTERPRISE } from './support/fixtures.js';
import {
  buildWorld,
  clearanceBody,
  declarationBy,
  draftBody,
  grantBody,
  kindOf,
  licenceBody,
  PASSWORD,
  problemCode,
  publicJwk,
  ROLE_PARTY,
  ROLES,
  SUBSCRIBER_URL,
  THIRD_BROKER,
  type Credentials,
  type Method,
  type Role,
  type World,
} from './support/matrix.js';
import { storeKinds } from './support/stores.js';
import type { Subject } from '../src/modules/policies/index.js';

const kinds = await storeKinds();

/** What a cell acts on: the importer's resource (A), the other tenant's (B), none, or a variant of the request. */
type Target = '-' | 'A' | 'B' | 'self' | 'missing' | 'registered' | 'none' | 'replay' | 'genuine' | 'forged' | 'wrong' | 'bad body' | 'bad query' | 'invalid' | 'no reasons' | 'no csrf';
interface CellRequest {
  readonly url: string;
  readonly body?: unknown;
  /** A raw body (a file upload) with its Content-Type, instead of JSON. */
  readonly file?: { readonly bytes: Buffer; readonly type: string };
  /** Credentials other than the role's own (a throwaway portal session). */
  readonly as?: Credentials;
}
type Build = (w: World, role: Role, target: Target) => CellRequest | Promise<CellRequest>;
/** The documented status, or undefined where the cell is not part of the contract (a bad body from a caller never allowed). */
type Expect = (role: Role, target: Target) => number | undefined;
interface Spec {
  readonly route: string;
  readonly targets: readonly Target[];
  readonly request: Build;
  readonly expected: Expect;
}

const spec = (route: string, targets: readonly Target[], request: Build, expected: Expect): Spec => ({ route, targets, request, expected });

// ---------------------------------------------------------------- who is who

const ENTERPRISES: readonly Role[] = ROLES.filter((role) => kindOf(role) === 'enterprise');
const AGENCIES: readonly Role[] = ROLES.filter((role) => kindOf(role) === 'agency');
const READ_ONLY: Role = 'importer-read-only';
const CLERK: Role = 'importer-clerk';
const SESSIONS: readonly Role[] = ['importer-admin', CLERK];
/** Enterprise credentials that may write: every enterprise role but the key scoped `submissions:read`. */
const DECLARERS: readonly Role[] = ENTERPRISES.filter((role) => role !== READ_ONLY);
/**
 * Admin credentials of their own party (docs/security.md): unscoped API keys, the admin user, operators. Not the
 * key scoped `submissions:read`, not the clerk; those are refused with 403 for their own party, and a user or
 * key of another party looks to them like none at all (404), as to anyone else.
 */
const OWN_ADMINS: readonly Role[] = ROLES.filter((role) => role !== 'anonymous' && role !== READ_ONLY && role !== CLERK);
const IMPORTER_NON_ADMINS: readonly Role[] = [READ_ONLY, CLERK];
/** Enterprise credentials that may manage the party's signing keys and policy: `admin` (an admin-scoped key or an admin user). */
const SIGNING_ADMINS: readonly Role[] = DECLARERS.filter((role) => role !== CLERK);
const IMPORTER_SIDE: readonly Role[] = ['importer', 'importer-admin', CLERK, READ_ONLY];

const partyOf = (role: Role): string => ROLE_PARTY[role].party ?? IMPORTER;
/** The agency of a role, calling the exchange directly as its routes would. */
const asAgency = (role: Role): Subject => ({ partyId: partyOf(role), tenant: 'central', kind: 'agency' });
const among = (roles: readonly Role[], role: Role) => roles.includes(role);
/** Anonymous callers get 401 from every route that is not public. */
const authed =
  (expected: Expect): Expect =>
  (role, target) =>
    role === 'anonymous' ? 401 : expected(role, target);
const everyone =
  (status: number): Expect =>
  () =>
    status;
/** Bodies and queries that break the contract: 400, but only for callers allowed to make the call at all. */
const badFor = (allowed: readonly Role[], role: Role, status = 400) => (role === 'anonymous' ? 401 : among(allowed, role) ? status : undefined);

/** Who may see each side's declaration (docs/api.md): the parties to it, the agencies it is routed to, the tenant's operators. */
const SEES_SUBMISSION = {
  A: [...IMPORTER_SIDE, 'broker', 'CUS', 'operator'],
  B: ['other-enterprise', 'CUS', 'CIQ', 'operator-other-tenant'],
} as const satisfies Record<string, readonly Role[]>;
/**
 * Who may see each ledger account (docs/ledger.md): its holder, its issuer, customs, operators of its tenant.
 * An account's tenant is its issuer's (every agency is central), so the central operator sees the clearance form
 * of the other tenant's enterprise and that tenant's own operator does not; docs/ledger.md does not say which.
 */
const SEES_ACCOUNT = {
  A: ['importer', 'importer-admin', CLERK, 'CUS', 'MOC', 'operator'],
  B: ['other-enterprise', 'CUS', 'CIQ', 'operator'],
} as const satisfies Record<string, readonly Role[]>;
/** The two parties to each delegation (docs/delegations.md). */
const PARTIES_TO_DELEGATION = {
  A: [...IMPORTER_SIDE, 'broker'],
  B: ['other-enterprise', 'broker'],
} as const satisfies Record<string, readonly Role[]>;
/** Who manages each side's users and keys (docs/security.md): the party's admins and its tenant's operators. */
const MANAGES = {
  A: ['importer', 'importer-admin', 'operator'],
  B: ['other-enterprise', 'operator-other-tenant'],
} as const satisfies Record<string, readonly Role[]>;

/** Whose draft each is (docs/api.md "Drafts"): every credential of its party; another party's draft is not found. */
const DRAFT_OWNERS = {
  A: IMPORTER_SIDE,
  B: ['other-enterprise'],
} as const satisfies Record<string, readonly Role[]>;
const OPERATORS: readonly Role[] = ROLES.filter((role) => kindOf(role) === 'operator');

/** Whose subscription A is: the importer's (any of its credentials that may read tracking). */
const SUBSCRIBER: readonly Role[] = ['importer', 'importer-admin', CLERK];
const MISSING_SUBSCRIPTION = 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ';
/** A gate-in of the fixtures' container, new each time. */
const movementEvent = () => ({
  eventId: `matrix-${randomUUID()}`,
  eventType: 'EQUIPMENT',
  code: 'GTIN',
  classifier: 'ACT',
  eventTime: new Date(Date.now() - 3_600_000).toISOString(),
  location: 'CNSHA',
  references: { container: 'MSKU1234565', billOfLading: 'MEDUDE123456' },
});

/** The same gate-in as DCSA T&T 2.2.0 publishes it. */
const dcsa22Event = () => ({
  eventID: randomUUID(),
  eventCreatedDateTime: new Date(Date.now() - 3_500_000).toISOString(),
  eventType: 'EQUIPMENT',
  eventClassifierCode: 'ACT',
  eventDateTime: new Date(Date.now() - 3_600_000).toISOString(),
  equipmentEventTypeCode: 'GTIN',
  equipmentReference: 'MSKU1234565',
  emptyIndicatorCode: 'LADEN',
  eventLocation: { UNLocationCode: 'CNSHA' },
  documentReferences: [{ documentReferenceType: 'TRD', documentReferenceValue: 'MEDUDE123456' }],
});
/** The same gate-in as DCSA T&T 3.0.0 publishes it. */
const dcsa30Event = () => ({
  eventID: randomUUID(),
  eventDateTime: new Date(Date.now() - 3_600_000).toISOString(),
  eventClassification: { eventTypeCode: 'EQUIPMENT', eventClassifierCode: 'ACT', equipmentEventTypeCode: 'GTIN' },
  eventLocation: { UNLocationCode: 'CNSHA' },
  equipmentDetails: { equipmentReference: 'MSKU1234565', emptyIndicatorCode: 'LADEN' },
  shipmentDetails: { documentReference: { typeCode: 'TRD', reference: 'MEDUDE123456' } },
});

const side = (target: Target): 'A' | 'B' => (target === 'B' ? 'B' : 'A');

// ---------------------------------------------------------------- request pieces

const freshSubmission = (w: World, target: Target) => (target === 'A' ? w.fresh.submissionA() : target === 'B' ? w.fresh.submissionB() : Promise.resolve('sub_01JZZZZZZZZZZZZZZZZZZZZZZZ'));
const freshAccount = (w: World, target: Target, state: 'active' | 'suspended' = 'active') =>
  target === 'A' ? w.fresh.accountA(state) : target === 'B' ? w.fresh.accountB(state) : Promise.resolve('AIL-NOWHERE-000000');
/** A fresh submission of A's or B's side that customs accepted, so that its declarant may ask to amend or withdraw it. */
const acceptedSubmission = async (w: World, target: Target) => {
  if (target !== 'A' && target !== 'B') return 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ';
  const id = await freshSubmission(w, target);
  const accepted = await w.send({ key: w.keys.CUS ?? '' }, 'POST', `/api/v1/submissions/${id}/decisions`, { body: { outcome: 'accepted' } });
  if (accepted.statusCode !== 200) throw new Error(`customs did not accept ${id}: ${accepted.body}`);
  return id;
};
/** A's broker's request to withdraw a fresh accepted submission, waiting for customs. */
const pendingAmendment = async (w: World) => {
  const id = await acceptedSubmission(w, 'A');
  const asked = await w.send({ key: w.keys[BROKER] ?? '' }, 'POST', `/api/v1/submissions/${id}/amendments`, { body: { action: 'withdraw', reasons: [{ message: 'matrix' }] } });
  if (asked.statusCode !== 201) throw new Error(`the matrix's request was refused: ${asked.body}`);
  return { id, amendment: asked.json<{ id: string }>().id };
};
/** A submission of A's side whose first version an approved amendment replaced (made once per world). */
const amendedSubmissions = new WeakMap<World, Promise<string>>();
const amendedSubmission = (w: World) => {
  let made = amendedSubmissions.get(w);
  if (made === undefined) {
    made = (async () => {
      const id = await acceptedSubmission(w, 'A');
      const { data } = declarationBy(BROKER, IMPORTER) as { data: Record<string, unknown> };
      const asked = await w.send({ key: w.keys[BROKER] ?? '' }, 'POST', `/api/v1/submissions/${id}/amendments`, { body: { action: 'amend', reasons: [{ message: 'matrix' }], data: { ...data, incoterm: 'FOB' } } });
      if (asked.statusCode !== 201) throw new Error(`the matrix's amendment was refused: ${asked.body}`);
      const approved = await w.send({ key: w.keys.CUS ?? '' }, 'POST', `/api/v1/submissions/${id}/amendments/${asked.json<{ id: string }>().id}/decisions`, { body: { outcome: 'approved' } });
      if (approved.statusCode !== 200) throw new Error(`customs did not approve the matrix's amendment: ${approved.body}`);
      return id;
    })();
    amendedSubmissions.set(w, made);
  }
  return made;
};
/** A file the importer uploaded and a declaration it filed for itself carrying it (made once per world). */
const attachedFiles = new WeakMap<World, Promise<{ sha256: string; submission: string }>>();
const attachedFile = (w: World) => {
  let made = attachedFiles.get(w);
  if (made === undefined) {
    made = (async () => {
      const key = w.credentials.importer;
      const uploaded = await w.send(key, 'POST', '/api/v1/attachments', { payload: pdfOf('matrix invoice'), headers: { 'content-type': 'application/pdf' } });
      const { sha256 } = uploaded.json<{ sha256: string }>();
      const filed = await w.send(key, 'POST', '/api/v1/submissions', { body: { ...declarationBy(IMPORTER, IMPORTER), attachments: [{ kind: 'invoice', sha256, name: 'invoice.pdf' }] } });
      if (filed.statusCode !== 201) throw new Error(`the matrix's declaration with a file was refused: ${filed.body}`);
      return { sha256, submission: filed.json<{ id: string }>().id };
    })();
    attachedFiles.set(w, made);
  }
  return made;
};
const NO_FILE = '0'.repeat(64);
const fixedDraft = (w: World, target: Target) => (target === 'A' ? w.draftA : target === 'B' ? w.draftB : 'dft_01JZZZZZZZZZZZZZZZZZZZZZZZ');
const freshDraft = (w: World, target: Target) => (target === 'A' ? w.fresh.draftA() : target === 'B' ? w.fresh.draftB() : Promise.resolve('dft_01JZZZZZZZZZZZZZZZZZZZZZZZ'));
const freshDelegation = (w: World, target: Target) => (target === 'A' ? w.fresh.delegationA() : target === 'B' ? w.fresh.delegationB() : Promise.resolve('dlg_01JZZZZZZZZZZZZZZZZZZZZZZZ'));
const fixedSubmission = (w: World, target: Target) => (target === 'A' ? w.submissionA : target === 'B' ? w.submissionB : 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ');
const fixedAccount = (w: World, target: Target) => (target === 'A' ? w.accountA.number : target === 'B' ? w.accountB.number : 'AIL-NOWHERE-000000');
const fixedDelegation = (w: World, target: Target) => (target === 'A' ? w.delegationA : target === 'B' ? w.delegationB : 'dlg_01JZZZZZZZZZZZZZZZZZZZZZZZ');
const fixedUser = (w: World, target: Target) => (target === 'A' ? w.userA : target === 'B' ? w.userB : 'usr_01JZZZZZZZZZZZZZZZZZZZZZZZ');
const freshKey = (w: World, role: Role, target: Target) =>
  target === 'A' ? w.fresh.apiKey(IMPORTER) : target === 'B' ? w.fresh.apiKey(OTHER_ENTERPRISE) : target === 'self' || target === 'bad query' ? w.fresh.apiKey(partyOf(role)) : Promise.resolve('key_01JZZZZZZZZZZZZZZZZZZZZZZZ');
/** A body with a member the contract does not have: 400 REQUEST_INVALID wherever it is sent. */
const BAD = (body: Record<string, unknown>) => ({ ...body, unexpected: true });
const newUserBody = (w: World, extra: Record<string, unknown> = {}) => ({ email: w.fresh.email(), name: 'Matrix Person', roles: ['admin'], password: PASSWORD, ...extra });

/** The genuine copy with its payload changed: a forged licence. */
function forged(signature: string): string {
  const [header = '', payload = '', sig = ''] = signature.split('.');
  const content = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...content, holder: OTHER_ENTERPRISE })).toString('base64url'), sig].join('.');
}

// ---------------------------------------------------------------- the matrix

const user = (action: string, body?: unknown): Spec =>
  spec(
    `POST /api/v1/users/{id}/${action}`,
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/users/${fixedUser(w, target)}/${action}`, ...(body === undefined ? {} : { body }) }),
    // A credential without the admin scope is refused before anyone is looked up; an admin finds only whom it manages.
    authed((role, target) => (among(IMPORTER_NON_ADMINS, role) ? 403 : target !== 'missing' && among(MANAGES[side(target)], role) ? 200 : 404)),
  );

const keyAction = (action: 'rotate' | 'revoke', success: number): Spec =>
  spec(
    `POST /api/v1/keys/{id}/${action}`,
    ['A', 'B', 'self', 'missing', ...(action === 'rotate' ? (['bad query'] as const) : [])],
    async (w, role, target) => ({ url: `/api/v1/keys/${await freshKey(w, role, target)}/${action}${target === 'bad query' ? '?graceHours=-1' : ''}` }),
    authed((role, target) => {
      if (target === 'bad query') return badFor(OWN_ADMINS, role);
      if (among(IMPORTER_NON_ADMINS, role)) return 403;
      if (target === 'self') return success;
      return target !== 'missing' && among(MANAGES[side(target)], role) ? success : 404;
    }),
  );

const accountAction = (action: 'revoke' | 'suspend' | 'reinstate'): Spec =>
  spec(
    `POST /api/v1/ledger/accounts/{number}/${action}`,
    ['A', 'B', 'missing', 'bad body'],
    async (w, _role, target) =>
      target === 'bad body'
        ? { url: `/api/v1/ledger/accounts/${w.accountA.number}/${action}`, body: BAD({ reason: 'matrix' }) }
        : { url: `/api/v1/ledger/accounts/${await freshAccount(w, target, action === 'reinstate' ? 'suspended' : 'active')}/${action}`, body: { reason: 'matrix' } },
    authed((role, target) => {
      // Only issuers change an account: enterprises and operators never may; customs sees every account but did not issue it.
      if (kindOf(role) !== 'agency') return target === 'bad body' ? undefined : 403;
      if (target === 'bad body') return 400;
      const issuer = target === 'A' ? 'MOC' : target === 'B' ? 'CIQ' : undefined;
      if (role === issuer) return 200;
      return role === 'CUS' && target !== 'missing' ? 403 : 404;
    }),
  );

const SPECS: readonly Spec[] = [
  // ------------------------------------------------------------ public and meta
  spec('GET /healthz', ['-'], () => ({ url: '/healthz' }), everyone(200)),
  spec('GET /readyz', ['-'], () => ({ url: '/readyz' }), everyone(200)),
  spec('GET /docs', ['-'], () => ({ url: '/docs' }), everyone(200)),
  spec('GET /api/v1/openapi.json', ['-'], () => ({ url: '/api/v1/openapi.json' }), everyone(200)),
  spec('GET /api/v1/errors', ['-'], () => ({ url: '/api/v1/errors' }), everyone(200)),
  spec('GET /api/v1/platform', ['-'], () => ({ url: '/api/v1/platform' }), everyone(200)),
  spec('GET /api/v1/me', ['-'], () => ({ url: '/api/v1/me' }), authed(() => 200)),
  spec('GET /api/v1/session/permissions', ['-'], () => ({ url: '/api/v1/session/permissions' }), authed(() => 200)),
  spec('GET /api/v1/doctypes', ['-'], () => ({ url: '/api/v1/doctypes' }), authed(() => 200)),
  spec('GET /api/v1/doctypes/{id}', ['A', 'missing'], (_w, _r, target) => ({ url: `/api/v1/doctypes/${target === 'A' ? 'goods-declaration' : 'no-such-doctype'}` }), authed((_r, target) => (target === 'A' ? 200 : 404))),
  spec('GET /api/v1/codes', ['-'], () => ({ url: '/api/v1/codes' }), authed(() => 200)),
  spec('GET /api/v1/codes/{list}', ['A', 'missing'], (_w, _r, target) => ({ url: `/api/v1/codes/${target === 'A' ? 'country?q=C' : 'no-such-list'}` }), authed((_r, target) => (target === 'A' ? 200 : 404))),

  // ------------------------------------------------------------ submissions
  spec(
    'POST /api/v1/validate',
    ['A', 'bad body'],
    (_w, role, target) => ({ url: '/api/v1/validate', body: target === 'A' ? declarationBy(partyOf(role), IMPORTER) : BAD(declarationBy(partyOf(role), IMPORTER)) }),
    authed((role, target) => (target === 'bad body' ? badFor(DECLARERS, role) : among(DECLARERS, role) ? 200 : 403)),
  ),
  spec(
    'POST /api/v1/submissions',
    ['A', 'B', 'bad body'],
    (_w, role, target) => ({ url: '/api/v1/submissions', body: target === 'bad body' ? BAD(declarationBy(partyOf(role), IMPORTER)) : declarationBy(partyOf(role), target === 'A' ? IMPORTER : OTHER_ENTERPRISE) }),
    authed((role, target) => {
      if (target === 'bad body') return badFor(DECLARERS, role);
      if (!among(DECLARERS, role)) return 403;
      // The trader itself, or a broker with its delegation, declares; anyone else's declaration is invalid (422).
      const may: readonly Role[] = target === 'A' ? ['importer', 'importer-admin', CLERK, 'broker'] : ['other-enterprise', 'broker'];
      return among(may, role) ? 201 : 422;
    }),
  ),
  spec(
    'GET /api/v1/submissions',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === '-' ? '/api/v1/submissions?order=oldest&q=sub_' : '/api/v1/submissions?order=sideways' }),
    authed((_role, target) => (target === '-' ? 200 : 400)),
  ),
  spec(
    'GET /api/v1/submissions/{id}',
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/submissions/${fixedSubmission(w, target)}` }),
    authed((role, target) => (target !== 'missing' && among(SEES_SUBMISSION[side(target)], role) ? 200 : 404)),
  ),
  spec(
    'POST /api/v1/submissions/{id}/cancel',
    ['A', 'B', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/submissions/${await freshSubmission(w, target)}/cancel` }),
    authed((role, target) => {
      if (!among(DECLARERS, role)) return 403;
      if (target === 'missing') return 404;
      const declarant: Role = target === 'A' ? 'broker' : 'other-enterprise';
      if (role === declarant) return 200;
      // The importer sees its broker's declaration but may not cancel it.
      return among(SEES_SUBMISSION[side(target)], role) ? 403 : 404;
    }),
  ),
  spec(
    'POST /api/v1/submissions/{id}/amendments',
    ['A', 'B', 'missing', 'bad body'],
    async (w, _role, target) => {
      if (target === 'bad body') return { url: `/api/v1/submissions/${w.submissionA}/amendments`, body: { action: 'withdraw', reasons: [{ message: 'matrix' }], unexpected: true } };
      return { url: `/api/v1/submissions/${await acceptedSubmission(w, target)}/amendments`, body: { action: 'withdraw', reasons: [{ message: 'matrix' }] } };
    },
    authed((role, target) => {
      if (target === 'bad body') return badFor(DECLARERS, role);
      if (!among(DECLARERS, role)) return 403;
      if (target === 'missing') return 404;
      const declarant: Role = target === 'A' ? 'broker' : 'other-enterprise';
      if (role === declarant) return 201;
      // The importer sees its broker's declaration but only the declarant asks.
      return among(SEES_SUBMISSION[side(target)], role) ? 403 : 404;
    }),
  ),
  spec(
    'POST /api/v1/submissions/{id}/amendments/{amendmentId}/decisions',
    ['A', 'missing', 'bad body'],
    async (w, _role, target) => {
      if (target === 'bad body') return { url: `/api/v1/submissions/${w.submissionA}/amendments/amd_01JZZZZZZZZZZZZZZZZZZZZZZZ/decisions`, body: { outcome: 'maybe' } };
      if (target === 'missing') return { url: `/api/v1/submissions/${w.submissionA}/amendments/amd_01JZZZZZZZZZZZZZZZZZZZZZZZ/decisions`, body: { outcome: 'approved' } };
      const { id, amendment } = await pendingAmendment(w);
      return { url: `/api/v1/submissions/${id}/amendments/${amendment}/decisions`, body: { outcome: 'approved' } };
    },
    authed((role, target) => {
      if (target === 'bad body') return badFor(AGENCIES, role);
      if (kindOf(role) !== 'agency') return 403;
      // Customs took the declaration in and decides; no other agency has a part of it.
      return target === 'A' && role === 'CUS' ? 200 : 404;
    }),
  ),
  spec(
    'GET /api/v1/submissions/{id}/formats/{format}',
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/submissions/${fixedSubmission(w, target)}/formats/cusdec` }),
    // The declaration's parties and its tenant's operators; an agency reads its part from its inbox.
    authed((role, target) => (target !== 'missing' && among(SEES_SUBMISSION[side(target)], role) && kindOf(role) !== 'agency' ? 200 : 404)),
  ),
  spec(
    'GET /api/v1/submissions/{id}/versions/{version}',
    ['A', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/submissions/${await amendedSubmission(w)}/versions/${target === 'A' ? 1 : 9}` }),
    authed((role, target) => (target === 'A' && among(SEES_SUBMISSION.A, role) ? 200 : 404)),
  ),
  spec(
    'POST /api/v1/submissions/{id}/decisions',
    ['A', 'B', 'missing', 'bad body', 'no reasons'],
    async (w, _role, target) => {
      if (target === 'bad body') return { url: `/api/v1/submissions/${w.submissionA}/decisions`, body: { outcome: 'maybe' } };
      if (target === 'no reasons') return { url: `/api/v1/submissions/${w.submissionA}/decisions`, body: { outcome: 'rejected' } };
      return { url: `/api/v1/submissions/${await freshSubmission(w, target)}/decisions`, body: { outcome: 'accepted' } };
    },
    authed((role, target) => {
      if (kindOf(role) !== 'agency') return target === 'bad body' || target === 'no reasons' ? undefined : 403;
      if (target === 'bad body') return 400;
      if (target === 'no reasons') return role === 'CUS' ? 422 : undefined;
      return target !== 'missing' && among(SEES_SUBMISSION[side(target)], role) ? 200 : 404;
    }),
  ),

  // ------------------------------------------------------------ agencies: inbox and webhook
  spec('GET /api/v1/inbox', ['-'], () => ({ url: '/api/v1/inbox' }), authed((role) => (kindOf(role) === 'agency' ? 200 : 403))),
  spec(
    'POST /api/v1/inbox/{messageId}/ack',
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/inbox/${target === 'A' ? w.messageA : target === 'B' ? w.messageB : 'msg_01JZZZZZZZZZZZZZZZZZZZZZZZ'}/ack` }),
    authed((role, target) => (kindOf(role) !== 'agency' ? 403 : (target === 'A' && role === 'CUS') || (target === 'B' && role === 'CIQ') ? 200 : 404)),
  ),
  spec(
    'PUT /api/v1/webhook',
    ['A', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/webhook', body: target === 'A' ? { url: 'https://hooks.example.org/kouan' } : BAD({ url: 'https://hooks.example.org/kouan' }) }),
    authed((role, target) => (target === 'bad body' ? badFor(AGENCIES, role) : kindOf(role) === 'agency' ? 200 : 403)),
  ),
  ...(['GET', 'DELETE'] as const).map((method) =>
    spec(
      `${method} /api/v1/webhook`,
      ['registered', 'none'],
      async (w, role, target) => {
        if (kindOf(role) === 'agency') {
          const { exchange } = w.t.kouan.services;
          if (target === 'registered') await exchange.registerWebhook(asAgency(role), 'https://hooks.example.org/kouan');
          else await exchange.removeWebhook(asAgency(role)).catch(() => undefined);
        }
        return { url: '/api/v1/webhook' };
      },
      authed((role, target) => (kindOf(role) !== 'agency' ? 403 : target === 'none' ? 404 : method === 'GET' ? 200 : 204)),
    ),
  ),

  spec(
    'GET /api/v1/webhook/deliveries',
    ['registered', 'none', 'bad query'],
    async (w, role, target) => {
      if (kindOf(role) === 'agency') {
        const { exchange } = w.t.kouan.services;
        if (target === 'none') await exchange.removeWebhook(asAgency(role)).catch(() => undefined);
        else await exchange.registerWebhook(asAgency(role), 'https://hooks.example.org/kouan');
      }
      return { url: target === 'bad query' ? '/api/v1/webhook/deliveries?status=lost' : '/api/v1/webhook/deliveries' };
    },
    authed((role, target) => (target === 'bad query' ? badFor(AGENCIES, role) : kindOf(role) !== 'agency' ? 403 : target === 'none' ? 404 : 200)),
  ),

  // ------------------------------------------------------------ ledger
  spec('GET /api/v1/ledger/types', ['-'], () => ({ url: '/api/v1/ledger/types' }), authed(() => 200)),
  spec('GET /api/v1/ledger/keys', ['-'], () => ({ url: '/api/v1/ledger/keys' }), everyone(200)),
  spec(
    'POST /api/v1/ledger/verify',
    ['genuine', 'forged', 'bad body'],
    (w, _role, target) => {
      const signature = target === 'forged' ? forged(w.accountA.signature) : w.accountA.signature;
      return { url: '/api/v1/ledger/verify', body: target === 'bad body' ? BAD({ signature }) : { signature } };
    },
    (_role, target) => (target === 'genuine' ? 200 : target === 'forged' ? 422 : 400),
  ),
  spec(
    'POST /api/v1/ledger/accounts',
    ['A', 'B', 'replay', 'bad body'],
    (w, _role, target) => ({
      url: '/api/v1/ledger/accounts',
      body: target === 'A' ? licenceBody(w.fresh.accountNumber('AIL')) : target === 'B' ? clearanceBody(w.fresh.accountNumber('ICF')) : target === 'replay' ? w.accountA.body : BAD(licenceBody(w.fresh.accountNumber('AIL'))),
    }),
    authed((role, target) => {
      // Agencies issue; enterprises and operators never may. An agency not allowed to issue the type is a bad document (422).
      if (kindOf(role) !== 'agency') return target === 'bad body' ? undefined : 403;
      if (target === 'bad body') return 400;
      const issuer = target === 'B' ? 'CIQ' : 'MOC';
      if (role !== issuer) return 422;
      return target === 'replay' ? 200 : 201;
    }),
  ),
  spec('GET /api/v1/ledger/accounts', ['-'], () => ({ url: '/api/v1/ledger/accounts' }), authed((role) => (role === READ_ONLY ? 403 : 200))),
  ...(['', '/entries'] as const).map((suffix) =>
    spec(
      `GET /api/v1/ledger/accounts/{number}${suffix}`,
      ['A', 'B', 'missing'],
      (w, _role, target) => ({ url: `/api/v1/ledger/accounts/${fixedAccount(w, target)}${suffix}` }),
      authed((role, target) => (role === READ_ONLY ? 403 : target !== 'missing' && among(SEES_ACCOUNT[side(target)], role) ? 200 : 404)),
    ),
  ),
  accountAction('revoke'),
  accountAction('suspend'),
  accountAction('reinstate'),
  spec('GET /api/v1/ledger/overdue', ['-'], () => ({ url: '/api/v1/ledger/overdue' }), authed((role) => (role === READ_ONLY ? 403 : 200))),
  spec(
    'POST /api/v1/ledger/accounts/{number}/extend',
    ['A', 'missing', 'bad body'],
    (w, _role, target) => ({
      url: `/api/v1/ledger/accounts/${target === 'missing' ? 'AIL-MISSING-1' : w.accountA.number}/extend`,
      body: target === 'bad body' ? BAD({ reason: 'matrix' }) : { reason: 'matrix' },
    }),
    authed((role, target) => {
      // Customs extends temporary admissions; an account it or its issuer sees that has no deadline cannot be extended.
      if (kindOf(role) !== 'agency') return target === 'bad body' ? undefined : 403;
      if (target === 'bad body') return 400;
      return target === 'A' && (role === 'CUS' || role === 'MOC') ? 409 : 404;
    }),
  ),

  // ------------------------------------------------------------ delegations
  spec(
    'POST /api/v1/delegations',
    ['A', 'B', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/delegations', body: target === 'A' ? grantBody(THIRD_BROKER) : target === 'B' ? grantBody(THIRD_BROKER, IMPORTER) : BAD(grantBody(THIRD_BROKER)) }),
    authed((role, target) => {
      if (target === 'bad body') return badFor(DECLARERS, role);
      // A power of attorney is not "reading submissions": a key scoped submissions:read may not grant one.
      if (!among(DECLARERS, role)) return 403;
      // The principal is always the caller: naming another enterprise is 403.
      return target === 'A' || among(IMPORTER_SIDE, role) ? 201 : 403;
    }),
  ),
  spec(
    'GET /api/v1/delegations',
    ['A', 'bad query'],
    (_w, _role, target) => ({ url: `/api/v1/delegations?role=${target === 'A' ? 'granted' : 'both'}` }),
    authed((role, target) => (kindOf(role) !== 'enterprise' ? (target === 'A' ? 403 : undefined) : target === 'A' ? 200 : 400)),
  ),
  spec(
    'GET /api/v1/delegations/{id}',
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/delegations/${fixedDelegation(w, target)}` }),
    // docs/delegations.md: "All calls need an enterprise's API key; agencies and operators get 403 FORBIDDEN."
    authed((role, target) => (kindOf(role) !== 'enterprise' ? 403 : target !== 'missing' && among(PARTIES_TO_DELEGATION[side(target)], role) ? 200 : 404)),
  ),
  spec(
    'POST /api/v1/delegations/{id}/revoke',
    ['A', 'B', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/delegations/${await freshDelegation(w, target)}/revoke` }),
    authed((role, target) => (!among(DECLARERS, role) ? 403 : target !== 'missing' && among(PARTIES_TO_DELEGATION[side(target)], role) ? 200 : 404)),
  ),

  // ------------------------------------------------------------ attachments: uploaded by enterprises, read by the uploader, or under a submission by its parties and its parts' agencies
  spec(
    'POST /api/v1/attachments',
    ['A', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/attachments', file: target === 'A' ? { bytes: pdfOf('matrix upload'), type: 'application/pdf' } : { bytes: Buffer.from('<html></html>'), type: 'application/pdf' } }),
    authed((role, target) => (target === 'bad body' ? (among(DECLARERS, role) ? 415 : undefined) : among(DECLARERS, role) ? 201 : 403)),
  ),
  spec(
    'GET /api/v1/attachments/{sha256}',
    ['A', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/attachments/${target === 'A' ? (await attachedFile(w)).sha256 : NO_FILE}` }),
    authed((role, target) => (target === 'A' && among(IMPORTER_SIDE, role) ? 200 : 404)),
  ),
  spec(
    'GET /api/v1/submissions/{id}/attachments/{sha256}',
    ['A', 'missing'],
    async (w, _role, target) => {
      const { sha256, submission } = await attachedFile(w);
      return { url: `/api/v1/submissions/${submission}/attachments/${target === 'A' ? sha256 : NO_FILE}` };
    },
    // The importer filed it for itself: its people and customs (the one part) read the file; operators do not.
    authed((role, target) => (target === 'A' && (among(IMPORTER_SIDE, role) || role === 'CUS') ? 200 : 404)),
  ),
  // ------------------------------------------------------------ drafts (docs/api.md "Drafts"): enterprises only, their party's own
  spec(
    'POST /api/v1/drafts',
    ['A', 'missing', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/drafts', body: target === 'A' ? draftBody() : target === 'missing' ? { ...draftBody(), docType: 'no-such-doctype' } : BAD(draftBody()) }),
    authed((role, target) => {
      if (target === 'bad body') return badFor(DECLARERS, role);
      if (!among(DECLARERS, role)) return 403;
      return target === 'A' ? 201 : 404;
    }),
  ),
  spec(
    'GET /api/v1/drafts',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === '-' ? '/api/v1/drafts' : '/api/v1/drafts?cursor=nonsense' }),
    authed((role, target) => (kindOf(role) !== 'enterprise' ? (target === '-' ? 403 : undefined) : target === '-' ? 200 : 400)),
  ),
  spec(
    'GET /api/v1/drafts/{id}',
    ['A', 'B', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/drafts/${fixedDraft(w, target)}` }),
    authed((role, target) => (kindOf(role) !== 'enterprise' ? 403 : target !== 'missing' && among(DRAFT_OWNERS[side(target)], role) ? 200 : 404)),
  ),
  spec(
    'PUT /api/v1/drafts/{id}',
    ['A', 'B', 'missing', 'bad body'],
    (w, _role, target) => {
      const { docType: _docType, ...save } = draftBody('Saved by the matrix');
      return { url: `/api/v1/drafts/${fixedDraft(w, target === 'bad body' ? 'A' : target)}`, body: target === 'bad body' ? BAD(save) : save };
    },
    authed((role, target) => {
      if (target === 'bad body') return badFor(DECLARERS, role);
      if (!among(DECLARERS, role)) return 403;
      return target !== 'missing' && among(DRAFT_OWNERS[side(target)], role) ? 200 : 404;
    }),
  ),
  spec(
    'DELETE /api/v1/drafts/{id}',
    ['A', 'B', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/drafts/${await freshDraft(w, target)}` }),
    authed((role, target) => (!among(DECLARERS, role) ? 403 : target !== 'missing' && among(DRAFT_OWNERS[side(target)], role) ? 204 : 404)),
  ),

  // ------------------------------------------------------------ operators
  spec('GET /api/v1/audit', ['-'], () => ({ url: '/api/v1/audit' }), authed((role) => (kindOf(role) === 'operator' ? 200 : 403))),
  spec(
    'GET /api/v1/stats',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === '-' ? '/api/v1/stats?days=7' : '/api/v1/stats?days=367' }),
    authed((role, target) => (target === 'bad query' ? badFor(OPERATORS, role) : among(OPERATORS, role) ? 200 : 403)),
  ),

  spec(
    'GET /api/v1/domain-events',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === '-' ? '/api/v1/domain-events?limit=5' : '/api/v1/domain-events?limit=0' }),
    authed((role, target) => (target === 'bad query' ? badFor(OPERATORS, role) : among(OPERATORS, role) ? 200 : 403)),
  ),

  // ------------------------------------------------------------ portal sessions
  spec(
    'POST /api/v1/session',
    ['A', 'wrong', 'bad body'],
    // An unknown email locks after five failures as an account does: one address per role.
    (w, role, target) => ({
      url: '/api/v1/session',
      body: target === 'A' ? { email: w.people['importer-admin'].email, password: PASSWORD } : target === 'wrong' ? { email: `nobody.${role}@example.cn`, password: PASSWORD } : BAD({ email: w.people['importer-admin'].email, password: PASSWORD }),
    }),
    (_role, target) => (target === 'A' ? 200 : target === 'wrong' ? 401 : 400),
  ),
  spec('GET /api/v1/session', ['-'], () => ({ url: '/api/v1/session' }), (role) => (among(SESSIONS, role) ? 200 : 401)),
  spec(
    'DELETE /api/v1/session',
    ['A', 'no csrf'],
    async (w, role, target) => {
      if (role !== 'importer-admin' && role !== 'importer-clerk') return { url: '/api/v1/session' };
      // Logging out ends the session: never the one the other cells use.
      const session = await w.fresh.session(role);
      return { url: '/api/v1/session', as: target === 'A' ? session : { cookie: session.cookie ?? '' } };
    },
    (role, target) => (target === 'A' ? 204 : among(SESSIONS, role) ? 403 : undefined),
  ),

  // ------------------------------------------------------------ people
  spec(
    'POST /api/v1/users',
    ['A', 'B', 'bad body', 'invalid'],
    (w, _role, target) => ({
      url: '/api/v1/users',
      body: target === 'A' ? newUserBody(w) : target === 'B' ? newUserBody(w, { party: IMPORTER }) : target === 'bad body' ? BAD(newUserBody(w)) : newUserBody(w, { password: 'too short' }),
    }),
    authed((role, target) => {
      if (target === 'bad body') return badFor(OWN_ADMINS, role);
      if (target === 'invalid') return badFor(OWN_ADMINS, role, 422);
      if (among(IMPORTER_NON_ADMINS, role)) return 403;
      return target === 'A' || among(MANAGES.A, role) ? 201 : 403;
    }),
  ),
  spec(
    'GET /api/v1/users',
    ['A', 'B'],
    (_w, _role, target) => ({ url: target === 'A' ? '/api/v1/users' : `/api/v1/users?party=${IMPORTER}` }),
    authed((role, target) => (among(IMPORTER_NON_ADMINS, role) ? 403 : target === 'A' || among(MANAGES.A, role) ? 200 : 403)),
  ),
  spec('GET /api/v1/users/me', ['-'], () => ({ url: '/api/v1/users/me' }), authed((role) => (among(SESSIONS, role) ? 200 : 403))),
  // A wrong current password (422 for a person, 403 SESSION_REQUIRED for an API key): no cell changes a password others use.
  spec(
    'POST /api/v1/users/me/password',
    ['A', 'bad body'],
    (_w, _role, target) => {
      const body = { currentPassword: 'not the current password', password: 'another long matrix passphrase' };
      return { url: '/api/v1/users/me/password', body: target === 'A' ? body : BAD(body) };
    },
    authed((role, target) => (target === 'bad body' ? 400 : among(SESSIONS, role) ? 422 : 403)),
  ),
  user('disable'),
  user('unlock'),
  user('password', { password: 'another long matrix passphrase' }),
  user('totp/disable', {}),
  spec('POST /api/v1/users/me/totp', ['-'], () => ({ url: '/api/v1/users/me/totp' }), authed((role) => (among(SESSIONS, role) ? 200 : 403))),
  spec(
    'POST /api/v1/users/me/totp/confirm',
    ['A', 'bad body'],
    async (w, role, target) => {
      if (role === 'importer-admin' || role === 'importer-clerk') {
        // A set-up in progress, so that a wrong code is what the answer is about.
        await w.t.kouan.services.users.enableTotp({ partyId: IMPORTER, tenant: 'central', kind: 'enterprise', userId: w.people[role].id }).catch(() => undefined);
      }
      return { url: '/api/v1/users/me/totp/confirm', body: target === 'A' ? { code: '000000' } : BAD({ code: '000000' }) };
    },
    authed((role, target) => (target === 'bad body' ? badFor(SESSIONS, role) : among(SESSIONS, role) ? 422 : 403)),
  ),

  // ------------------------------------------------------------ API keys
  spec(
    'GET /api/v1/keys',
    ['A', 'B'],
    (_w, _role, target) => ({ url: target === 'A' ? '/api/v1/keys' : `/api/v1/keys?party=${IMPORTER}` }),
    authed((role, target) => (among(IMPORTER_NON_ADMINS, role) ? 403 : target === 'A' || among(MANAGES.A, role) ? 200 : 403)),
  ),
  spec(
    'POST /api/v1/keys',
    ['A', 'B', 'bad body', 'invalid'],
    (_w, _role, target) => ({
      url: '/api/v1/keys',
      body: target === 'A' ? { label: 'matrix' } : target === 'B' ? { label: 'matrix', party: IMPORTER } : target === 'bad body' ? BAD({ label: 'matrix' }) : { expiresAt: '2001-01-01T00:00:00Z' },
    }),
    authed((role, target) => {
      if (target === 'bad body') return badFor(OWN_ADMINS, role);
      if (target === 'invalid') return badFor(OWN_ADMINS, role, 422);
      if (among(IMPORTER_NON_ADMINS, role)) return 403;
      return target === 'A' || among(MANAGES.A, role) ? 201 : 403;
    }),
  ),
  keyAction('rotate', 201),
  keyAction('revoke', 200),

  // ------------------------------------------------------------ submission signatures (docs/security.md)
  spec(
    'POST /api/v1/signing-keys',
    ['A', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/signing-keys', body: { jwk: target === 'A' ? publicJwk() : { kty: 'RSA' } } }),
    // "an admin-scoped key or user of the party": the clerk is neither an admin nor admin-scoped.
    authed((role, target) => (target === 'bad body' ? badFor(SIGNING_ADMINS, role) : among(SIGNING_ADMINS, role) ? 201 : 403)),
  ),
  spec('GET /api/v1/signing-keys', ['-'], () => ({ url: '/api/v1/signing-keys' }), authed(() => 200)),
  spec(
    'POST /api/v1/signing-keys/{kid}/revoke',
    ['A', 'B', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/signing-keys/${target === 'A' ? await w.fresh.signingKey(IMPORTER) : target === 'B' ? await w.fresh.signingKey(OTHER_ENTERPRISE) : 'pk_01JZZZZZZZZZZZZZZZZZZZZZZZ'}/revoke` }),
    // Agencies and operators never sign submissions (registering a key is 403 for them), so revoking one is a call their kind may never make.
    authed((role, target) => (!among(SIGNING_ADMINS, role) ? 403 : target === 'A' && among(IMPORTER_SIDE, role) ? 204 : target === 'B' && role === 'other-enterprise' ? 204 : 404)),
  ),
  spec('GET /api/v1/signing-policy', ['-'], () => ({ url: '/api/v1/signing-policy' }), authed(() => 200)),
  spec(
    'PUT /api/v1/signing-policy',
    ['A', 'bad body'],
    (_w, _role, target) => ({ url: '/api/v1/signing-policy', body: target === 'A' ? { requireSignedSubmissions: false } : BAD({ requireSignedSubmissions: false }) }),
    authed((role, target) => (target === 'bad body' ? badFor(SIGNING_ADMINS, role) : among(SIGNING_ADMINS, role) ? 200 : 403)),
  ),
  spec('GET /.well-known/jwks.json', ['-'], () => ({ url: '/.well-known/jwks.json' }), everyone(200)),
  spec(
    'GET /api/v1/signatures/verification',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === '-' ? '/api/v1/signatures/verification' : '/api/v1/signatures/verification?submission=%27%3B--' }),
    authed((role, target) => (target === 'bad query' ? badFor(OPERATORS, role) : among(OPERATORS, role) ? 200 : 403)),
  ),
  // ------------------------------------------------------------ tracking (docs/tracking.md, "Who sees what")
  spec(
    'POST /api/v1/events',
    ['A', 'bad body'],
    () => ({ url: '/api/v1/events', body: { events: [movementEvent()] } }),
    // Each event is judged on its own (an agency may not publish movements: a rejected item, still a 200); an
    // enterprise without a publisher role (carrier, terminal, port) may publish nothing at all.
    authed((role, target) => (role === READ_ONLY ? (target === 'bad body' ? undefined : 403) : kindOf(role) === 'enterprise' ? 403 : 200)),
  ),
  // DCSA Track & Trace pushes take the same ingest: the same answer for every caller as POST /api/v1/events.
  spec(
    'POST /api/v1/tracking/dcsa/v2/events',
    ['A'],
    () => ({ url: '/api/v1/tracking/dcsa/v2/events', body: [dcsa22Event()] }),
    authed((role) => (role === READ_ONLY || kindOf(role) === 'enterprise' ? 403 : 200)),
  ),
  spec(
    'POST /api/v1/tracking/dcsa/v3/events',
    ['A'],
    () => ({ url: '/api/v1/tracking/dcsa/v3/events', body: { events: [dcsa30Event()] } }),
    authed((role) => (role === READ_ONLY || kindOf(role) === 'enterprise' ? 403 : 200)),
  ),
  spec(
    'GET /api/v1/tracking',
    ['A', 'B', 'missing', 'bad query'],
    (w, _role, target) => ({ url: target === 'bad query' ? `/api/v1/tracking?submission=${w.submissionA}&container=MSKU1234565` : `/api/v1/tracking?submission=${fixedSubmission(w, target)}` }),
    authed((role, target) => {
      if (role === READ_ONLY) return 403;
      if (target === 'bad query') return 400;
      return target !== 'missing' && among(SEES_SUBMISSION[side(target)], role) ? 200 : 404;
    }),
  ),
  // A stream that answers 200 stays open: its 200 cells are in test/tracking-http.test.ts, over a real socket.
  spec(
    'GET /api/v1/tracking/stream',
    ['missing', 'bad query'],
    (w, _role, target) => ({ url: target === 'bad query' ? `/api/v1/tracking/stream?submission=${w.submissionA}&bl=MEDUDE123456` : `/api/v1/tracking/stream?submission=${fixedSubmission(w, target)}` }),
    authed((role, target) => (role === READ_ONLY ? 403 : target === 'bad query' ? 400 : 404)),
  ),
  spec(
    'POST /api/v1/subscriptions',
    ['A', 'B', 'missing', 'bad body'],
    (w, _role, target) => ({ url: '/api/v1/subscriptions', body: target === 'bad body' ? BAD({ submission: w.submissionA, url: SUBSCRIBER_URL }) : { submission: fixedSubmission(w, target), url: SUBSCRIBER_URL } }),
    authed((role, target) => {
      if (role === READ_ONLY) return target === 'bad body' ? undefined : 403;
      if (target === 'bad body') return 400;
      return target !== 'missing' && among(SEES_SUBMISSION[side(target)], role) ? 201 : 404;
    }),
  ),
  // ------------------------------------------------------------ the operators' directory of parties
  spec(
    'GET /api/v1/parties',
    ['-', 'bad query'],
    (_w, _role, target) => ({ url: target === 'bad query' ? '/api/v1/parties?kind=bank' : '/api/v1/parties?q=MA' }),
    authed((role, target) => (kindOf(role) !== 'operator' ? 403 : target === 'bad query' ? 400 : 200)),
  ),
  spec('GET /api/v1/subscriptions', ['-'], () => ({ url: '/api/v1/subscriptions' }), authed((role) => (role === READ_ONLY ? 403 : 200))),
  spec(
    'GET /api/v1/subscriptions/{id}',
    ['A', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/subscriptions/${target === 'A' ? w.subscriptionA : MISSING_SUBSCRIPTION}` }),
    authed((role, target) => (role === READ_ONLY ? 403 : target === 'A' && among(SUBSCRIBER, role) ? 200 : 404)),
  ),
  spec(
    'GET /api/v1/subscriptions/{id}/deliveries',
    ['A', 'missing'],
    (w, _role, target) => ({ url: `/api/v1/subscriptions/${target === 'A' ? w.subscriptionA : MISSING_SUBSCRIPTION}/deliveries` }),
    authed((role, target) => (role === READ_ONLY ? 403 : target === 'A' && among(SUBSCRIBER, role) ? 200 : 404)),
  ),
  spec(
    'POST /api/v1/subscriptions/{id}/replay',
    ['A', 'missing', 'bad body'],
    (w, _role, target) => ({ url: `/api/v1/subscriptions/${target === 'missing' ? MISSING_SUBSCRIPTION : w.subscriptionA}/replay`, body: target === 'bad body' ? { fromSeq: 0 } : {} }),
    authed((role, target) => {
      if (role === READ_ONLY) return target === 'bad body' ? undefined : 403;
      if (target === 'bad body') return 400;
      return target === 'A' && among(SUBSCRIBER, role) ? 200 : 404;
    }),
  ),
  spec(
    'DELETE /api/v1/subscriptions/{id}',
    ['A', 'missing'],
    async (w, _role, target) => ({ url: `/api/v1/subscriptions/${target === 'A' ? await w.fresh.subscriptionA() : MISSING_SUBSCRIPTION}` }),
    authed((role, target) => (role === READ_ONLY ? 403 : target === 'A' && among(SUBSCRIBER, role) ? 204 : 404)),
  ),
];

const OPENAPI = JSON.parse(readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { security?: unknown[]; 'x-kouan-action'?: string }>> };
const OPERATIONS = Object.entries(OPENAPI.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
    .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
);
/** The route table's action of each authenticated route (the public ones name none). */
const ACTION_OF = new Map(OPERATIONS.flatMap(({ route, operation }) => (operation['x-kouan-action'] === undefined ? [] : [[route, operation['x-kouan-action']] as const])));

/** Every documented route, plus the health checks and the API browser, which the OpenAPI document hides. */
function documentedRoutes(): string[] {
  return [...OPERATIONS.map(({ route }) => route), 'GET /healthz', 'GET /readyz', 'GET /docs'].sort();
}

describe.each(kinds)('authorization matrix on %s', (kind) => {
  let w: World;

  /** What the policies let each credential do, as the API says it. */
  const permitted = new Map<Role, ReadonlySet<string>>();

  beforeAll(async () => {
    w = await buildWorld(kind);
    for (const role of ROLES) {
      if (role === 'anonymous') continue;
      const answer = await w.send(w.credentials[role], 'GET', '/api/v1/session/permissions');
      if (answer.statusCode !== 200) throw new Error(`no permissions for ${role}: ${answer.statusCode} ${answer.body}`);
      permitted.set(role, new Set(answer.json<{ actions: string[] }>().actions));
    }
  });
  afterAll(async () => {
    await w.close();
  });

  it('has a row for every documented route', () => {
    const covered = new Set(SPECS.map((row) => row.route));
    expect(documentedRoutes().filter((route) => !covered.has(route))).toEqual([]);
  });

  it('has an action for every authenticated route, and the public ones answer everyone', () => {
    const publicRoutes = OPERATIONS.filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0).map(({ route }) => route);
    expect(OPERATIONS.filter(({ route }) => !publicRoutes.includes(route) && !ACTION_OF.has(route)).map(({ route }) => route)).toEqual([]);
    expect(publicRoutes.filter((route) => ACTION_OF.has(route))).toEqual([]);
  });

  it.each(SPECS.map((row) => [row.route, row] as const))('%s', async (route, row) => {
    const method = route.split(' ')[0] as Method;
    const wrong: string[] = [];
    for (const target of row.targets) {
      for (const role of ROLES) {
        const documented = row.expected(role, target);
        // The policies refuse the call outright: 403 before any resource is looked up or any body read.
        const action = ACTION_OF.get(route);
        const refused = role !== 'anonymous' && action !== undefined && permitted.get(role)?.has(action) !== true;
        if (refused && documented !== undefined && documented !== 403) wrong.push(`${`${role} on ${target}`.padEnd(36)} the policies refuse ${action}, the matrix says ${documented}`);
        const expected = refused ? 403 : documented;
        if (expected === undefined) continue;
        const request = await row.request(w, role, target);
        const options = request.file !== undefined ? { payload: request.file.bytes, headers: { 'content-type': request.file.type } } : request.body === undefined ? {} : { body: request.body };
        const response = await w.send(request.as ?? w.credentials[role], method, request.url, options);
        const cell = `${role} on ${target}`.padEnd(36);
        if (response.statusCode !== expected) wrong.push(`${cell} expected ${expected}, got ${response.statusCode} ${problemCode(response)}`.trim());
        else if (response.statusCode >= 400 && request.url.startsWith('/api/') && !String(response.headers['content-type']).startsWith('application/problem+json')) {
          wrong.push(`${cell} ${response.statusCode} is not problem+json (${String(response.headers['content-type'])})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
