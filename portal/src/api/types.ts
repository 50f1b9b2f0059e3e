/**
 * The shapes of the API answers the portal reads, named over the types generated from docs/openapi.json
 * (./openapi.d.ts, `npm run portal:types`): the portal's names for what the routes' schemas publish, so the portal
 * and the API cannot drift apart. The few answers the API publishes without a schema yet are written out below,
 * marked as such, until their routes declare one.
 */
import type { paths } from './openapi';

type Methods = 'get' | 'post' | 'put';
type Json<Response> = Response extends { readonly content: { readonly 'application/json': infer Body } } ? Body : never;
/** The JSON body of a path's answer with that status (200 unless named). */
export type Answer<Path extends keyof paths, Method extends Methods & keyof paths[Path], Status extends number = 200> = paths[Path][Method] extends { readonly responses: infer Responses }
  ? Status extends keyof Responses
    ? Json<Responses[Status]>
    : never
  : never;
/** The JSON body a path takes. */
export type RequestBody<Path extends keyof paths, Method extends Methods & keyof paths[Path]> = paths[Path][Method] extends { readonly requestBody?: infer Body } ? Json<NonNullable<Body>> : never;

export type Language = 'en' | 'zh';

export type Me = Answer<'/api/v1/me', 'get'>;
/** What the API says the signed-in person may do (actions of docs/authorization.md, document types they may file). */
export type Permissions = Answer<'/api/v1/session/permissions', 'get'>;
export type ActionId = Permissions['actions'][number];
export type PartyKind = Me['kind'];
export type User = Answer<'/api/v1/users/me', 'get'>;
export type UserRole = User['roles'][number];
/** POST /users/me/totp: the secret to type into an authenticator app, and the same as an otpauth:// URI. */
export type TotpEnrolment = Answer<'/api/v1/users/me/totp', 'post'>;
export type SessionAnswer = Answer<'/api/v1/session', 'post'>;

export type SubmissionList = Answer<'/api/v1/submissions', 'get'>;
export type SubmissionSummary = SubmissionList['submissions'][number];
export type Submission = Answer<'/api/v1/submissions/{id}', 'get'>;
export type CreatedSubmission = Answer<'/api/v1/submissions', 'post', 201>;
export type Part = SubmissionSummary['parts'][number];
export type Reason = Part['reasons'][number];
export type HistoryEntry = Submission['history'][number];
export type LedgerUse = Submission['ledger'][number];
export type ReservationState = LedgerUse['state'];
export type SubmissionStatus = SubmissionSummary['status'];
export type PartStatus = Part['status'];
export type Outcome = RequestBody<'/api/v1/submissions/{id}/decisions', 'post'>['outcome'];

/** Every value of a union, in the order the portal lists them; the compiler checks none is missing or extra. */
const every =
  <Union extends string>() =>
  <const Values extends readonly Union[]>(values: Values & ([Union] extends [Values[number]] ? unknown : never)): Values =>
    values;
export const SUBMISSION_STATUSES = every<SubmissionStatus>()(['submitted', 'delivered', 'processing', 'accepted', 'inspection', 'released', 'approved', 'rejected', 'refused', 'cancelled']);
export const PART_STATUSES = every<PartStatus>()(['submitted', 'delivered', 'accepted', 'inspection', 'released', 'approved', 'rejected', 'refused', 'cancelled']);
export const OUTCOMES = every<Outcome>()(['accepted', 'inspection', 'released', 'approved', 'rejected', 'refused']);

export type ValidationAnswer = Answer<'/api/v1/validate', 'post'>;
export type FieldProblem = ValidationAnswer['errors'][number];

/** RFC 9457 problem+json, as every error answer of the API. */
export type ApiProblem = Json<paths['/api/v1/me']['get']['responses']['4XX']>;
/**
 * What the portal knows of a failure: the API's problem, or the one the client makes up for an answer that is no
 * problem+json (a network failure, a proxy's HTML page), which has only a code, a title and a status.
 */
export type Problem = Pick<ApiProblem, 'title' | 'status' | 'code'> &
  Partial<Pick<ApiProblem, 'type' | 'detail' | 'instance' | 'requestId' | 'errors'>> & {
    /** Seconds to wait, from the Retry-After header of a 429 or 503. */
    readonly retryAfter?: number;
  };

/** How a declaration is named to people: its unified number where the server gives one, else its id. */
export const declarationNumber = (submission: Pick<SubmissionSummary, 'id' | 'number'>): string => submission.number ?? submission.id;

export type DocType = Answer<'/api/v1/doctypes/{id}', 'get'>;
/** A document type as GET /doctypes lists it: its definition without the schema. */
/** A kind of file a document type's documents carry, and a file a submission carries. */
export type AttachmentKind = DocType['attachments'][number];
export type AttachedFile = Submission['attachments'][number];
export type UploadedFile = Answer<'/api/v1/attachments', 'post', 201>;
/** A request to amend or withdraw a submission after acceptance. */
export type Amendment = Submission['amendments'][number];
/** How a submission names a file it carries. */
export type AttachmentRef = NonNullable<RequestBody<'/api/v1/submissions', 'post'>['attachments']>[number];
export type DocTypeSummary = Pick<DocType, 'id' | 'version' | 'title' | 'rules' | 'parts' | 'advisories'>;
/** GET /doctypes (published without a response schema: the route answers its definitions without their schemas). */
export interface DocTypeList {
  readonly doctypes: readonly DocTypeSummary[];
}

/* GET /codes/{list}: published without a response schema yet. */
export interface CodeEntry {
  readonly code: string;
  readonly en: string;
  readonly zh?: string;
  readonly extra?: Readonly<Record<string, string | number | null>>;
}

export interface CodeSearch {
  readonly list: string;
  readonly loaded: boolean;
  readonly entries: readonly CodeEntry[];
}

export type DraftList = Answer<'/api/v1/drafts', 'get'>;
export type DraftSummary = DraftList['drafts'][number];
export type Draft = Answer<'/api/v1/drafts/{id}', 'get'>;

export type LedgerAccount = Answer<'/api/v1/ledger/accounts/{number}', 'get'>;
export type LedgerLine = LedgerAccount['lines'][number];
export type AccountStatus = LedgerAccount['status'];
export type LedgerAccountList = Answer<'/api/v1/ledger/accounts', 'get'>;
export type LedgerEntry = Answer<'/api/v1/ledger/accounts/{number}/entries', 'get'>['entries'][number];

/* GET /ledger/types: published without a response schema yet. */
export interface AccountType {
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  readonly issuers: readonly string[];
  readonly directions: readonly ('import' | 'export')[];
  readonly use: 'single' | 'multiple';
  readonly maxTolerancePct: string;
  readonly model: 'quantity' | 'processing-manual';
  readonly attributes?: readonly { readonly name: string; readonly allowed: readonly string[]; readonly required: boolean }[];
}

export interface RegulatoryCondition {
  readonly prefix: string;
  readonly direction: 'import' | 'export' | 'both';
  readonly requires: readonly string[];
  readonly en: string;
}

export interface LedgerTypes {
  readonly types: readonly AccountType[];
  readonly conditions: readonly RegulatoryCondition[];
}

export type Timeline = Answer<'/api/v1/tracking', 'get'>;
export type TrackingEvent = Timeline['events'][number];
export type EventType = TrackingEvent['eventType'];

export type ApiStats = Answer<'/api/v1/stats', 'get'>;
export type DayStats = ApiStats['days'][number];
/** One agency's figures; `inboxPending` is null where they were worked out in the browser (no inbox to count). */
export type AgencyStats = Omit<ApiStats['agencies'][number], 'inboxPending'> & { readonly inboxPending: number | null };
export type QuantileSummary = AgencyStats['clearanceMinutes'];
/** The dashboard's figures: the API's (GET /stats), or worked out in the browser from the submissions on a server without it. */
export type Stats = Omit<ApiStats, 'tenant' | 'generatedAt' | 'agencies'> & { readonly agencies: readonly AgencyStats[] };

export type ApiKey = Answer<'/api/v1/keys', 'get'>['keys'][number];
export type KeyScope = NonNullable<ApiKey['scopes']>[number];
export const KEY_SCOPES = every<KeyScope>()(['submissions:write', 'submissions:read', 'inbox', 'ledger:issue', 'ledger:read', 'tracking:write', 'tracking:read', 'admin']);
