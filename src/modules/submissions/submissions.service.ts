import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { shownTo, type AttachmentRef, type AttachmentsService, type AttachmentView, type StoredBlob } from '../attachments/index.js';
import type { CodesService } from '../codes/index.js';
import type { DelegationsService } from '../delegations/index.js';
import { Compile } from 'typebox/compile';
import {
  aggregateStatus,
  canDecide,
  initialPartStatus,
  initialStatus,
  isTerminalPart,
  isTerminalSubmission,
  needsReasons,
  onePerPath,
  outcomeOf,
  validateDocument,
  type DocTypeDefinition,
  type DocTypeRegistry,
  type Notice,
  type PartSpec,
  type PartStatus,
  type Reaction,
} from '../doctypes/index.js';
import { amendmentDecided, amendmentRequested, decisionRecorded, partStatusChanged, submissionStatusChanged, submissionSubmitted, type EventLog, type NewEvent } from '../events/index.js';
import type { ExchangeService, InboxMessage, OutboxMessage } from '../exchange/index.js';
import { approvalAccountNumber, SCALE as LEDGER_SCALE, type LedgerService, type PlannedReservation, type ReservationView } from '../ledger/index.js';
import type { PartyKeysByKid, SignaturesService } from '../signatures/index.js';
import type { ClearanceCode, TrackingService } from '../tracking/index.js';
import type { Principal } from '../parties/index.js';
import type { Database } from '../../store/schema.js';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { fromScaled } from '../../shared/decimal.js';
import { newId, nowIso } from '../../shared/ids.js';
import { formatNumber, seriesOf } from './declaration-number.js';
import { systemReason, wordReasons, type StoredReason } from '../../shared/reasons.js';
import type { HistoryRecord, PartRecord, StoredSignature, SubmissionRecord, SubmissionsRepository } from './submissions.repository.js';
import { authorize, partAgency, submissionViewer, type SubmissionViewer as Viewer } from '../policies/index.js';
import type { AmendmentRecord, AmendmentsRepository } from './amendments.repository.js';
import type { AmendmentDecisionRequest, AmendmentRequest, AmendmentView, DecisionRequest, ListQuery, PartView, Reason, SignatureAudit, SubmissionPage, SubmissionSummary, SubmissionView, SubmitRequest } from './submissions.schema.js';

export interface ValidationOutcome {
  readonly valid: boolean;
  readonly errors: readonly FieldError[];
  readonly notices: readonly Notice[];
  readonly parts: readonly { agency: string; docType: string }[];
}

export interface SubmitOutcome {
  readonly submission: SubmissionSummary;
  readonly notices: readonly Notice[];
  /** True when the Idempotency-Key matched an earlier identical request: nothing new was stored. */
  readonly replayed: boolean;
  /** Kouan's countersignature of the receipt (compact JWS over its canonical JSON). */
  readonly receipt: string;
  /** The same receipt countersigned with SM2, when KOUAN_SIGNING_ALGS lists SM2. */
  readonly receiptSm2?: string | undefined;
}

interface PlannedPart {
  readonly agency: string;
  readonly docType: string;
  readonly data: unknown;
}

/** The submission pipeline: validate, split into parts, store with the outbox, and take agencies' decisions. */
export class SubmissionsService {
  constructor(
    private readonly repository: SubmissionsRepository,
    private readonly doctypes: DocTypeRegistry,
    private readonly codes: CodesService,
    private readonly exchange: ExchangeService,
    private readonly ledger: LedgerService,
    private readonly delegations: Pick<DelegationsService, 'mandates'>,
    private readonly signatures: Pick<SignaturesService, 'verifySubmission' | 'countersignAll' | 'reverify'>,
    private readonly tracking: Pick<TrackingService, 'recordClearance'>,
    /** The IANA zone whose calendar year a declaration number carries. */
    private readonly timeZone: string = 'Asia/Shanghai',
    private readonly events: Pick<EventLog, 'append' | 'tenantOf'> | undefined = undefined,
    private readonly attachments: Pick<AttachmentsService, 'check' | 'attach' | 'of' | 'content' | 'replace'> | undefined = undefined,
    private readonly amendments: AmendmentsRepository | undefined = undefined,
  ) {
    this.opensAccounts = doctypes.ids().some((id) => opensAccount(doctypes.get(id)));
  }

  /** Whether some document type's approval opens a ledger account (reaction `ledger.issue`). */
  private readonly opensAccounts: boolean;

  /** Dry run: the verdict and the parts a submission would get, storing nothing. */
  async validate(caller: Principal, request: SubmitRequest): Promise<ValidationOutcome> {
    authorize(caller, 'submission.validate');
    const { errors, notices, parts } = await this.check(caller, request, nowIso());
    return { valid: errors.length === 0, errors, notices, parts: parts.map(({ agency, docType }) => ({ agency, docType })) };
  }

  /** Validates and stores a submission with its parts and their outbox messages, in one transaction. */
  async submit(caller: Principal, request: SubmitRequest, idempotencyKey: string | undefined, signed: { jws?: string | undefined; body: string } = { body: '' }): Promise<SubmitOutcome> {
    authorize(caller, 'submission.declare');
    const requestHash = hashRequest(request);
    // The signature (or the party's policy requiring one) is checked before anything else, replays included.
    const signature = await this.signatures.verifySubmission(caller.partyId, signed.jws, signed.body);
    if (idempotencyKey !== undefined) {
      const replay = await this.replay(caller, idempotencyKey, requestHash);
      if (replay !== undefined) return replay;
    }

    const at = nowIso();
    const { errors, notices, parts, document, trader, reservations, definition } = await this.check(caller, request, at);
    if (errors.length > 0) throw new KouanError('SUBMISSION_INVALID', { params: { count: errors.length }, errors });

    const draft: SubmissionRecord = {
      id: newId('sub'),
      tenant: caller.tenant,
      docType: request.docType,
      declarant: caller.partyId,
      trader: trader ?? null,
      status: initialStatus(definition.lifecycle),
      data: document,
      version: 1,
      documentVersion: 1,
      createdAt: at,
      updatedAt: at,
      number: null,
    };
    const series = seriesOf(document, at, this.timeZone);
    const partRecords: PartRecord[] = parts.map((part) => ({
      id: newId('part'),
      submissionId: draft.id,
      agency: part.agency,
      docType: part.docType,
      status: initialPartStatus(definition.lifecycle),
      data: part.data,
      reasons: [],
      createdAt: at,
      updatedAt: at,
    }));
    // The receipt is kept with the submission, so that it is answered again on a replay and checked again later;
    // it is signed before the transaction, so that no lock is held while signing (SM2 takes milliseconds). It
    // names the submission by its id: the declaration number is only given inside the transaction.
    const { receipt, receiptSm2 } = await this.receipts(summarize(draft, partRecords), requestHash, signature?.kid, request.attachments ?? []);
    let submission: SubmissionRecord;
    try {
      submission = await this.repository.transaction(async (trx) => {
        // The ledger's guarded updates come first: if another submission took the balance, nothing is stored.
        await this.ledger.reserve(trx, draft.id, reservations, caller.partyId, at);
        await this.repository.insertSubmission(
          trx,
          // The signed bytes are kept as they came: the stored document is normalised ("15000.50" becomes 15000.5).
          { ...draft, idempotencyKey: idempotencyKey ?? null, requestHash, signature: signature?.jws ?? null, signatureKid: signature?.kid ?? null, signedBody: signature === undefined ? null : signed.body, receipt, receiptSm2: receiptSm2 ?? null },
          partRecords,
        );
        await this.repository.appendHistory(trx, [
          { submissionId: draft.id, agency: null, from: null, to: draft.status, actor: caller.partyId, reasons: [], at },
          ...partRecords.map((part) => ({ submissionId: draft.id, agency: part.agency, from: null, to: part.status, actor: caller.partyId, reasons: [], at })),
        ]);
        await this.attachments?.attach(trx, draft.id, request.attachments ?? []);
        const files = await this.filesOf(definition, draft.id, request.attachments ?? [], trx);
        // The clearance is recorded now, its domain events appended after the submission's own (which come first
        // in the log).
        const clearance: NewEvent[] = [];
        await this.recordClearance(trx, definition, draft, null, 'RECE', caller.partyId, at, '', clearance);
        // The number last, once nothing can refuse the submission any more: its counter row stays locked until the
        // commit, so every concurrent submission of the series waits for it; only what carries the number follows.
        const submission: SubmissionRecord = series === undefined ? draft : { ...draft, number: formatNumber(series, await this.repository.allocateSequence(trx, series)) };
        // What follows the counter is sent at once: on PostgreSQL the driver sends each statement as the one before
        // it is answered, without waiting for the event loop in between, so the counter is locked for less. The
        // domain events go in one insert, in the log's order: the submission, its messages queued, its clearance.
        const queued: NewEvent[] = [];
        await settleAll([
          submission.number === null ? Promise.resolve() : this.repository.setNumber(trx, submission.id, submission.number),
          this.exchange.enqueue(trx, submission.tenant, partRecords.map((part) => partMessage(submission, part, files(part.agency))), queued),
          this.events?.append(trx, [...submissionSubmitted(submission, partRecords), ...queued, ...clearance]) ?? Promise.resolve(),
        ]);
        return submission;
      });
    } catch (error) {
      // Two requests with one key raced: the loser answers with the winner's submission.
      if (idempotencyKey !== undefined && isUniqueViolation(error)) {
        const replay = await this.replay(caller, idempotencyKey, requestHash);
        if (replay !== undefined) return replay;
      }
      throw error;
    }
    this.exchange.notify();
    return { submission: summarize(submission, partRecords), notices, replayed: false, receipt, receiptSm2 };
  }

  /** A submission as the caller may see it, with parts and history; by its id or its 18-digit declaration number. */
  async get(caller: Principal, idOrNumber: string): Promise<SubmissionView> {
    const viewer = submissionViewer(caller);
    const submission = await this.repository.findVisible(idOrNumber, viewer);
    if (submission === undefined) throw new KouanError('NOT_FOUND');
    const { id } = submission;
    const parts = visibleParts(viewer, await this.repository.partsOf([id]));
    // An agency sees its own part's story only: not the overall status, not what other agencies decided.
    const history = (await this.repository.historyOf(id)).filter((entry) => viewer.kind !== 'agency' || entry.agency === viewer.party);
    const ledger = await this.ledger.reservationsOf(id, this.ledgerScope(viewer, submission.docType));
    const attachments = (await this.attachments?.of(this.doctypes.get(submission.docType), id, partAgency(viewer))) ?? [];
    return {
      ...summarize(submission, parts, viewer),
      data: viewer.kind === 'agency' ? parts[0]?.data : submission.data,
      history: history.map((entry) => ({ at: entry.at, agency: entry.agency, from: entry.from, to: entry.to, actor: entry.actor, reasons: [...entry.reasons] })),
      ledger,
      documentVersion: submission.documentVersion,
      amendments: await this.amendmentsOf(caller, submission, this.doctypes.get(submission.docType)),
      attachments: attachments.map(attachmentView),
      ...this.openedAccount(submission),
      // The whole declaration's proofs: an agency sees its part only, and the receipt names every agency's part.
      ...(viewer.kind === 'agency' ? {} : { proof: proofOf(submission.signatures) }),
    };
  }

  /**
   * One file a submission carries, for its declarant and trader and for the agencies whose part shows its kind;
   * NOT_FOUND for anyone else (an operator included), whether or not the file exists.
   */
  async attachment(caller: Principal, idOrNumber: string, sha256: string): Promise<StoredBlob & { name: string }> {
    const viewer = submissionViewer(caller);
    const submission = viewer.kind === 'operator' ? undefined : await this.repository.findVisible(idOrNumber, viewer);
    if (submission === undefined || this.attachments === undefined) throw new KouanError('NOT_FOUND');
    const files = await this.attachments.of(this.doctypes.get(submission.docType), submission.id, partAgency(viewer));
    const file = files.find((candidate) => candidate.sha256 === sha256);
    if (file === undefined) throw new KouanError('NOT_FOUND');
    return { ...(await this.attachments.content(sha256)), name: file.name };
  }

  /**
   * The files each agency's part carries, for its message: the attachments as the submission stores them
   * (uploaded, so with their type and size), filtered to the kinds the agency's part shows.
   */
  private async filesOf(definition: DocTypeDefinition, submissionId: string, refs: readonly AttachmentRef[], trx: Transaction<Database>): Promise<(agency: string) => AttachmentView[]> {
    // Nothing to read for a document that carries no files (most of them): no query on the submission's path.
    if (refs.length === 0 || this.attachments === undefined) return () => [];
    const all = await this.attachments.of(definition, submissionId, undefined, trx);
    return (agency) => all.filter((file) => shownTo(definition, file.kind, agency)).map(attachmentView);
  }

  /**
   * The account the document's approval opened: there exactly when the document reached a status whose
   * reaction `ledger.issue` opened it, in that change's transaction.
   */
  private openedAccount(submission: SubmissionRecord): Pick<SubmissionView, 'opened'> {
    const definition = this.doctypes.get(submission.docType);
    const type = definition.ledger?.opens;
    const opening = definition.reactions.find((reaction) => reaction.step === 'ledger.issue' && reaction.on.statuses?.includes(submission.status) === true);
    return type === undefined || opening === undefined ? {} : { opened: { type, number: approvalAccountNumber(type, submission.id) } };
  }

  /** An operator checks its tenant's stored signatures again (one submission, or all). */
  verifySignaturesOf(caller: Principal, submissionId: string | undefined): Promise<SignatureAudit> {
    authorize(caller, 'signature.audit');
    return this.verifySignatures({ submissionId, tenant: caller.tenant });
  }

  /**
   * Checks stored submissions' signatures again from the store (the declarant's over the bytes it signed, and
   * Kouan's receipt): one submission, or every one (of a tenant), a page at a time. Lists every failure.
   */
  async verifySignatures(options: { submissionId?: string | undefined; tenant?: string | undefined } = {}): Promise<SignatureAudit> {
    const failures: SignatureAudit['failures'][number][] = [];
    let checked = 0;
    let after: string | undefined;
    // Most submissions are signed with a few keys: each is read once for the run, not once per submission.
    const keys: PartyKeysByKid = new Map();
    for (;;) {
      const page = await this.repository.signedPage({ after, id: options.submissionId, tenant: options.tenant, limit: 500 });
      for (const stored of page) {
        checked += 1;
        const problems = await this.signatures.reverify(stored, keys);
        if (problems.length > 0) failures.push({ submissionId: stored.submissionId, problems });
      }
      if (page.length < 500) break;
      after = page.at(-1)?.submissionId;
    }
    return { checked, failures };
  }

  /**
   * Which of a submission's ledger holds a viewer is shown: all of them to those who see the whole declaration
   * and to the agency that writes it off; to another agency only those on accounts it issued, which it already
   * reads in each account's entries (invariant 7: nothing about other agencies' licences).
   */
  private ledgerScope(viewer: Viewer, docType: string): { issuer?: string } {
    if (viewer.kind !== 'agency') return {};
    return this.doctypes.get(docType).ledger?.writeOffOn === viewer.party ? {} : { issuer: viewer.party };
  }

  /** Which of these submissions the caller may see; for other modules that show things about submissions. */
  async visibleIds(caller: Principal, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const visible = new Set<string>();
    // Bounded IN lists: a timeline may name many submissions.
    for (let start = 0; start < unique.length; start += 500) {
      for (const id of await this.repository.visibleIds(unique.slice(start, start + 500), submissionViewer(caller))) visible.add(id);
    }
    return visible;
  }

  /** The caller's submissions, newest (or oldest) first, a page at a time. */
  async list(caller: Principal, query: ListQuery): Promise<SubmissionPage> {
    const viewer = submissionViewer(caller);
    const limit = query.limit ?? 50;
    const submissions = await this.repository.list(viewer, { status: query.status, docType: query.docType, q: query.q, number: query.number, order: query.order ?? 'newest', cursor: query.cursor, limit });
    const parts = visibleParts(viewer, await this.repository.partsOf(submissions.map((submission) => submission.id)));
    return {
      submissions: submissions.map((submission) => summarize(submission, parts.filter((part) => part.submissionId === submission.id), viewer)),
      next: submissions.length === limit ? (submissions.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * The owner withdraws a submission no agency has finished with in its favour (released, approved); every open
   * part is cancelled and its agency told, as the document type's reactions to a withdrawal say.
   */
  async cancel(caller: Principal, id: string): Promise<SubmissionView> {
    authorize(caller, 'submission.cancel');
    await this.repository.transaction(async (trx) => {
      const submission = await this.repository.lockSubmission(trx, id);
      if (submission === undefined || (submission.declarant !== caller.partyId && submission.trader !== caller.partyId)) throw new KouanError('NOT_FOUND');
      if (submission.declarant !== caller.partyId) throw new KouanError('FORBIDDEN');
      const definition = this.doctypes.get(submission.docType);
      const { lifecycle } = definition;
      if (isTerminalSubmission(lifecycle, submission.status)) throw new KouanError('SUBMISSION_CLOSED', { params: { status: submission.status }, extra: declarationOf(submission) });
      const parts = await this.repository.partsOf([id], trx);
      const finished = parts.find((part) => isTerminalPart(lifecycle, part.status) && part.status !== lifecycle.cancelled);
      if (finished !== undefined) throw new KouanError('SUBMISSION_NOT_CANCELLABLE', { params: { agency: finished.agency }, extra: declarationOf(submission) });
      const at = nowIso();
      const reason = systemReason('CANCELLED_BY_DECLARANT', { party: caller.partyId });
      // A request still waiting is moot once the declarant withdraws the document itself.
      const pending = await this.pendingAmendment(trx, id);
      if (pending !== undefined) await this.amendments?.settle(trx, pending.id, 'rejected', at);
      await this.react(trx, definition, submission, { withdrawn: true }, { actor: caller.partyId, at, reason, others: parts });
      await this.changeStatus(trx, submission, aggregateStatus(lifecycle, [], true), caller.partyId, at);
    });
    this.exchange.notify();
    return this.get(caller, id);
  }

  /** An agency decides its part; the submission's status follows from all parts, as its lifecycle says. */
  async decide(caller: Principal, id: string, decision: DecisionRequest): Promise<SubmissionView & { receipt: string; receiptSm2?: string }> {
    authorize(caller, 'submission.decide');
    const reasons = decision.reasons ?? [];
    // An approval may open a ledger account, signed with Kouan's ledger key: loaded (made, the first time)
    // before the transaction, and only for a document type that opens one.
    if (this.opensAccounts) {
      const found = await this.repository.findVisible(id, submissionViewer(caller));
      if (found !== undefined && opensAccount(this.doctypes.get(found.docType))) await this.ledger.preparePlatformKey();
    }
    await this.repository.transaction(async (trx) => {
      const submission = await this.repository.lockSubmission(trx, id);
      const parts = submission === undefined ? [] : await this.repository.partsOf([id], trx);
      const part = parts.find((candidate) => candidate.agency === caller.partyId);
      if (submission === undefined || part === undefined) throw new KouanError('NOT_FOUND');
      const definition = this.doctypes.get(submission.docType);
      const { lifecycle } = definition;
      const outcome = outcomeOf(lifecycle, decision.outcome);
      if (outcome === undefined) {
        throw new KouanError('DECISION_INVALID', { errors: [{ path: '$.outcome', code: 'FIELD_NOT_ALLOWED', params: { allowed: lifecycle.outcomes.map((candidate) => candidate.id).join(', ') } }] });
      }
      if (needsReasons(lifecycle, outcome.id) && reasons.length === 0) throw new KouanError('DECISION_INVALID', { errors: [{ path: '$.reasons', code: 'FIELD_REQUIRED' }] });
      if (isTerminalSubmission(lifecycle, submission.status)) throw new KouanError('SUBMISSION_CLOSED', { params: { status: submission.status }, extra: declarationOf(submission) });
      // A request to amend or withdraw it is decided before the document itself is decided further.
      const pending = await this.pendingAmendment(trx, id);
      if (pending !== undefined) throw new KouanError('AMENDMENT_PENDING', { params: { amendment: pending.id }, extra: declarationOf(submission) });
      if (!canDecide(lifecycle, part.status, outcome.id)) {
        throw new KouanError('PART_TRANSITION_INVALID', { params: { agency: part.agency, from: part.status, to: outcome.id }, extra: declarationOf(submission) });
      }
      const at = nowIso();
      const closing = outcome.closingReason === undefined ? undefined : systemReason(outcome.closingReason, { agency: part.agency });
      const others = parts.filter((candidate) => candidate.id !== part.id);
      await this.react(trx, definition, submission, { outcome: outcome.id, agency: part.agency }, { actor: caller.partyId, at, reason: closing, others }, async () => {
        await this.movePart(trx, submission.tenant, part, outcome.id as PartStatus, caller.partyId, reasons, at);
        await this.events?.append(trx, [decisionRecorded(submission, part.agency, outcome.id, reasons, caller.partyId, at)]);
        if (outcome.clearance !== undefined) await this.recordClearance(trx, definition, submission, part.agency, outcome.clearance, caller.partyId, at);
      });
      const after = (await this.repository.partsOf([id], trx)).map((candidate) => candidate.status);
      const status = aggregateStatus(lifecycle, after);
      await this.changeStatus(trx, submission, status, caller.partyId, at);
      if (status !== submission.status) await this.react(trx, definition, submission, { status }, { actor: caller.partyId, at, reason: undefined, others: [] });
    });
    this.exchange.notify();
    const view = await this.get(caller, id);
    // Kouan countersigns the decision, so the agency's answer can be proven later, offline.
    const decided = { submissionId: id, agency: caller.partyId, outcome: decision.outcome, reasons, decidedBy: caller.partyId, partStatus: view.status, decidedAt: view.parts[0]?.updatedAt ?? view.updatedAt };
    const { signature: receipt, signatureSm2: receiptSm2 } = await this.signatures.countersignAll(decided, 'kouan-decision+jws');
    return { ...view, receipt, ...(receiptSm2 === undefined ? {} : { receiptSm2 }) };
  }

  /**
   * What an agency's acknowledgement of a new part means: the part is delivered. Runs in the ack's transaction;
   * the domain events go into `announced`, for the exchange to append with its own in one insert. Returns the
   * tenant of the message's submission, when it knows it.
   */
  async markDelivered(trx: Transaction<Database>, message: InboxMessage, announced: NewEvent[]): Promise<string | undefined> {
    if (message.kind !== 'part.submitted') return undefined;
    const submission = await this.repository.lockSubmission(trx, message.submissionId);
    if (submission === undefined) return undefined;
    const parts = await this.repository.partsOf([submission.id], trx);
    const part = parts.find((candidate) => candidate.agency === message.agency);
    const { lifecycle } = this.doctypes.get(submission.docType);
    if (part === undefined || part.status !== lifecycle.delivery.from) return submission.tenant;
    const at = nowIso();
    const delivered = lifecycle.delivery.to as PartStatus;
    const deferred: Deferred = { history: [], events: this.events === undefined ? [] : announced };
    await this.movePart(trx, submission.tenant, part, delivered, message.agency, [], at, deferred);
    if (!isTerminalSubmission(lifecycle, submission.status)) {
      const after = parts.map((candidate) => (candidate.id === part.id ? delivered : candidate.status));
      await this.changeStatus(trx, submission, aggregateStatus(lifecycle, after), message.agency, at, deferred);
    }
    await this.repository.appendHistory(trx, deferred.history);
    return submission.tenant;
  }

  private async check(caller: Principal, request: SubmitRequest, at: string, held: readonly ReservationView[] = []) {
    const definition = this.doctypes.get(request.docType);
    // A broker's declarations for others are checked against the delegations it holds today (委托报关).
    const mandates = caller.roles.includes('broker') ? await this.delegations.mandates(caller.partyId, definition.id, at) : [];
    const asking = { ...caller, mandates };
    const result = await validateDocument(definition, request.data, asking, this.codes);
    // The claim names the trader only when the caller may declare for it: the ledger tells no one else anything.
    const claim = definition.ledger?.claim?.(result.normalized, asking);
    const verdict = claim === undefined ? { errors: [], plan: [] as PlannedReservation[] } : await this.ledger.verifyClaim(claim, at.slice(0, 10), held);
    // A closing document (核销) is checked against the account it reconciles, told as a claim is.
    const closure = definition.ledger?.closes?.(result.normalized, asking);
    const unreconciled = closure === undefined ? [] : await this.ledger.verifyClosure(closure);
    const files = await this.checkAttachments(definition, result.normalized, request.attachments ?? [], caller.partyId);
    const errors = onePerPath([...result.errors, ...verdict.errors, ...unreconciled, ...files]);
    const document = errors.length === 0 ? result.document : undefined;
    const parts: PlannedPart[] = document === undefined ? [] : definition.parts.filter((part) => part.applies(document)).map((part) => ({ agency: part.agency, docType: part.docType, data: projection(part, document) }));
    const trader = document === undefined ? undefined : definition.parties.trader(document as Record<string, unknown>)?.id;
    return { errors, notices: result.notices, parts, document, trader, reservations: verdict.plan, definition };
  }

  /** The files the document names, checked when the document type takes any or a service stores them. */
  private async checkAttachments(definition: DocTypeDefinition, document: unknown, refs: NonNullable<SubmitRequest['attachments']>, declarant: string): Promise<FieldError[]> {
    if (this.attachments === undefined) {
      if (refs.length > 0) throw new Error('this Kouan was built without its attachments module');
      return [];
    }
    return this.attachments.check(definition, document, refs, declarant);
  }

  private async replay(caller: Principal, key: string, requestHash: string): Promise<SubmitOutcome | undefined> {
    const existing = await this.repository.findByIdempotencyKey(caller.partyId, key);
    if (existing === undefined) return undefined;
    if (existing.requestHash !== requestHash) throw new KouanError('IDEMPOTENCY_KEY_REUSED');
    const view = await this.get(caller, existing.id);
    const { data: _data, history: _history, ledger: _ledger, attachments: _attachments, amendments: _amendments, documentVersion: _version, proof, ...summary } = view;
    if (proof?.receipt != null) return { submission: summary, notices: [], replayed: true, receipt: proof.receipt, receiptSm2: proof.receiptSm2 ?? undefined };
    return { submission: summary, notices: [], replayed: true, ...(await this.receipts(summary, requestHash, undefined, [])) };
  }

  /**
   * The clearance event of a change, for the status database: one per thing the document type says the document
   * is about (a container with its bill of lading and vessel, say), with a stable id so a retried step adds nothing.
   */
  private async recordClearance(trx: Transaction<Database>, definition: DocTypeDefinition, submission: SubmissionRecord, agency: string | null, code: ClearanceCode, actor: string, at: string, version = '', announced?: NewEvent[]): Promise<void> {
    if (definition.tracking === undefined) return;
    for (const [index, references] of definition.tracking(submission.data).entries()) {
      await this.tracking.recordClearance(trx, {
        submissionId: submission.id,
        tenant: submission.tenant,
        publisher: actor,
        agency,
        code,
        at,
        references,
        eventId: `clr-${submission.id}${version === '' ? '' : `-${version}`}-${agency ?? 'all'}-${code}-${index}`,
      }, announced);
    }
  }

  /**
   * Runs the document type's reactions to a change, in order, then `change` itself (the part moving), then closes
   * the other open parts when the change ends the document (a closing outcome, a withdrawal). All in the change's
   * transaction: a step that fails undoes the change.
   */
  private async react(
    trx: Transaction<Database>,
    definition: DocTypeDefinition,
    submission: SubmissionRecord,
    trigger: Trigger,
    context: { actor: string; at: string; reason: StoredReason | undefined; others: readonly PartRecord[] },
    change: () => Promise<void> = async () => undefined,
  ): Promise<void> {
    const { actor, at, reason } = context;
    for (const reaction of definition.reactions.filter((candidate) => triggered(candidate, trigger))) {
      switch (reaction.step) {
        case 'ledger.write-off':
          await this.ledger.writeOff(trx, submission.id, actor, at);
          // The goods it brought in entered under the accounts it cites as their entry: their deadlines start.
          await this.ledger.recordEntry(trx, enteredAccounts(definition, submission), submission.id, actor, at);
          break;
        case 'ledger.void':
          await this.ledger.voidReservations(trx, submission.id, actor, reason ?? systemReason('SUBMISSION_REJECTED', { agency: trigger.agency ?? actor }), at);
          break;
        case 'ledger.issue':
          await this.openAccount(trx, definition, submission, at);
          break;
        case 'ledger.close': {
          const closure = definition.ledger?.closes?.(submission.data as Record<string, unknown>, { partyId: submission.declarant, roles: [] });
          // The trader stored with the submission is the one whose standing was checked when it was filed.
          if (closure !== undefined) await this.ledger.closeOnApproval(trx, { ...closure, holder: submission.trader ?? undefined }, actor, at);
          break;
        }
      }
    }
    await change();
    // The reason is there exactly when the change ends the document: a closing outcome, or the withdrawal.
    if (reason !== undefined) await this.closeOpenParts(trx, definition, submission, context.others, actor, reason, at);
  }

  /**
   * The reaction `ledger.issue`: opens the account the document type says the approved document creates, issued
   * by Kouan's ledger to the trader, numbered after the submission (its type's prefix and the submission's key), so
   * that a retried approval finds it and opens nothing, and anyone holding the number can tell where it came from.
   */
  private async openAccount(trx: Transaction<Database>, definition: DocTypeDefinition, submission: SubmissionRecord, at: string): Promise<void> {
    const issue = definition.ledger?.issues?.(submission.data as Record<string, unknown>, { approvedOn: at.slice(0, 10) });
    if (issue === undefined) return;
    await this.ledger.issueOnApproval(trx, {
      ...issue,
      number: approvalAccountNumber(issue.type, submission.id),
      tenant: submission.tenant,
    });
  }

  /** Kouan's countersigned receipt: proof, verifiable offline, that it took this submission in this state. */
  private async receipts(summary: SubmissionSummary, requestHash: string, signatureKid: string | undefined, files: readonly { kind: string; sha256: string }[]): Promise<{ receipt: string; receiptSm2: string | undefined }> {
    const content = {
      submissionId: summary.id,
      docType: summary.docType,
      declarant: summary.declarant,
      requestSha256: requestHash,
      declarantSignatureKid: signatureKid ?? null,
      status: summary.status,
      parts: summary.parts.map((part) => part.agency),
      receivedAt: summary.createdAt,
      // The files it carries, by hash: the receipt proves what content was taken with the document.
      ...(files.length === 0 ? {} : { attachments: files.map((file) => ({ kind: file.kind, sha256: file.sha256 })) }),
    };
    const { signature: receipt, signatureSm2: receiptSm2 } = await this.signatures.countersignAll(content, 'kouan-receipt+jws');
    return { receipt, receiptSm2 };
  }

  /** Moves a part, with its history and event: written now, or gathered into `deferred` for the caller to write. */
  private async movePart(trx: Transaction<Database>, tenant: string, part: PartRecord, to: PartStatus, actor: string, reasons: readonly Reason[], at: string, deferred?: Deferred): Promise<void> {
    if (!(await this.repository.movePart(trx, part.id, part.status, to, reasons, at))) {
      throw new KouanError('PART_TRANSITION_INVALID', { params: { agency: part.agency, from: part.status, to } });
    }
    const history: HistoryRecord = { submissionId: part.submissionId, agency: part.agency, from: part.status, to, actor, reasons, at };
    await this.recordChange(trx, history, partStatusChanged(tenant, part, part.status, to, actor, reasons, at), deferred);
  }

  /** A change's history and domain event: written now, or gathered into `deferred` for the caller to write. */
  private async recordChange(trx: Transaction<Database>, history: HistoryRecord, event: NewEvent, deferred: Deferred | undefined): Promise<void> {
    if (deferred !== undefined) {
      deferred.history.push(history);
      deferred.events.push(event);
      return;
    }
    await this.repository.appendHistory(trx, [history]);
    await this.events?.append(trx, [event]);
  }

  /** Compensation: parts still open when the submission closes are cancelled, and their agencies are told. */
  private async closeOpenParts(trx: Transaction<Database>, definition: DocTypeDefinition, submission: SubmissionRecord, parts: readonly PartRecord[], actor: string, reason: Reason, at: string): Promise<void> {
    const { lifecycle } = definition;
    const open = parts.filter((part) => !isTerminalPart(lifecycle, part.status));
    await this.closeParts(trx, submission, open, lifecycle.cancelled as PartStatus, actor, reason, at);
  }

  // ---------------------------------------------------------------- amendment and withdrawal after acceptance

  /**
   * The declarant asks the agencies that took the document in to let it amend it (a new version, checked as a
   * submission is) or withdraw it (修改/撤销申请), with reasons. Nothing changes until every one of them approves;
   * before any agency took it in, the declarant cancels instead. The ledger follows the approval: an amendment's
   * new holds replace the old ones, and after a release what was written off is reversed and the new version
   * written off instead; a withdrawal gives back what is held and reverses what was written off.
   */
  async requestAmendment(caller: Principal, id: string, request: AmendmentRequest, signed: { jws?: string | undefined; body: string } = { body: '' }): Promise<AmendmentView> {
    authorize(caller, 'submission.amend');
    const amendments = this.requireAmendments();
    const signature = await this.signatures.verifySubmission(caller.partyId, signed.jws, signed.body);
    const found = await this.repository.findVisible(id, submissionViewer(caller));
    if (found === undefined) throw new KouanError('NOT_FOUND');
    if (found.declarant !== caller.partyId) throw new KouanError('FORBIDDEN');
    const definition = this.doctypes.get(found.docType);
    const at = nowIso();
    const held = await this.ledger.reservationsOf(found.id);
    let document: unknown = null;
    if (request.action === 'amend') {
      if (request.data === undefined) throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$.data', code: 'AMENDMENT_DATA_REQUIRED' }] });
      const checked = await this.check(caller, { docType: found.docType, data: request.data, ...(request.attachments === undefined ? {} : { attachments: request.attachments }) }, at, held);
      const errors = [...checked.errors];
      if (checked.document !== undefined && (checked.trader ?? null) !== found.trader) errors.push({ path: `$.${definition.parties.declarant}`, code: 'AMENDMENT_TRADER_CHANGED', params: { trader: found.trader ?? '-' } });
      const files = await this.attachments?.of(definition, found.id, undefined);
      const sameFiles = canonicalJson((files ?? []).map(({ kind, sha256, name }) => ({ kind, sha256, name }))) === canonicalJson(request.attachments ?? []);
      if (checked.document !== undefined && canonicalJson(checked.document) === canonicalJson(found.data) && sameFiles) errors.push({ path: '$.data', code: 'AMENDMENT_UNCHANGED' });
      if (errors.length > 0) throw new KouanError('SUBMISSION_INVALID', { params: { count: errors.length }, errors: onePerPath(errors) });
      document = checked.document;
    } else {
      if (request.data !== undefined || request.attachments !== undefined) throw new KouanError('REQUEST_INVALID', { errors: [{ path: '$.data', code: 'AMENDMENT_DATA_NOT_ALLOWED' }] });
    }
    const opened = this.openedAccount(found).opened;
    const closes = definition.ledger?.closes !== undefined && definition.reactions.some((reaction) => reaction.step === 'ledger.close' && reaction.on.statuses?.includes(found.status) === true);
    if (opened !== undefined || closes) throw new KouanError('AMENDMENT_ACCOUNT_SETTLED', { params: { action: opened === undefined ? 'closed' : 'opened', number: opened?.number ?? '-' }, extra: declarationOf(found) });

    const amendmentId = newId('amd');
    const agencies = (await this.repository.partsOf([found.id])).filter((part) => definition.lifecycle.amendable.includes(part.status)).map((part) => part.agency);
    const version = request.action === 'amend' ? found.documentVersion + 1 : null;
    const { signature: receipt, signatureSm2: receiptSm2 } = await this.signatures.countersignAll(
      { amendmentId, submissionId: found.id, action: request.action, version, requestSha256: createHash('sha256').update(canonicalJson(request)).digest('hex'), declarantSignatureKid: signature?.kid ?? null, agencies, requestedAt: at },
      'kouan-amendment+jws',
    );
    await this.repository.transaction(async (trx) => {
      const submission = await this.repository.lockSubmission(trx, id);
      if (submission === undefined) throw new KouanError('NOT_FOUND');
      const { lifecycle } = definition;
      if (closedFor(lifecycle).has(submission.status)) throw new KouanError('SUBMISSION_CLOSED', { params: { status: submission.status }, extra: declarationOf(submission) });
      const pending = await this.pendingAmendment(trx, id);
      if (pending !== undefined) throw new KouanError('AMENDMENT_PENDING', { params: { amendment: pending.id }, extra: declarationOf(submission) });
      // The parts as they are now, under the lock: the agencies that took it in decide.
      const parts = await this.repository.partsOf([id], trx);
      const addressed = parts.filter((part) => lifecycle.amendable.includes(part.status));
      if (addressed.length === 0) throw new KouanError('AMENDMENT_BEFORE_ACCEPTANCE', { params: { id: submission.id }, extra: declarationOf(submission) });
      if (submission.version !== found.version || addressed.map((part) => part.agency).join() !== agencies.join()) throw new KouanError('SUBMISSION_CHANGED', { extra: declarationOf(submission) });
      const record = { id: amendmentId, submissionId: id, action: request.action, status: 'pending' as const, version, data: document, attachments: request.attachments ?? [], reasons: request.reasons, requestedBy: caller.partyId, requestedAt: at, decidedAt: null, signature: signature?.jws ?? null, signedBody: signature === undefined ? null : signed.body, receipt, receiptSm2: receiptSm2 ?? null };
      await amendments.insert(trx, record, agencies);
      await this.events?.append(trx, [amendmentRequested(submission, record, agencies, caller.partyId, at)]);
      // The new version's files reach each agency with its part.amended message, once the request is approved.
      await this.exchange.enqueue(
        trx,
        submission.tenant,
        addressed.map((part) => {
          const spec = definition.parts.find((candidate) => candidate.agency === part.agency);
          const data = document === null || spec === undefined || !spec.applies(document) ? null : projection(spec, document);
          return {
            messageId: newId('msg'),
            agency: part.agency,
            kind: 'amendment.requested' as const,
            submissionId: id,
            payload: { submissionId: id, number: submission.number, amendmentId, action: request.action, version, reasons: request.reasons, data },
            createdAt: at,
          };
        }),
      );
    });
    this.exchange.notify();
    return this.amendmentView(caller, id, amendmentId);
  }

  /**
   * An agency the request went to approves or rejects it. A rejection (with reasons) ends it; the last approval
   * applies it, in the same transaction: the new version takes the document's place (parts re-projected, added or
   * closed, holds replaced, files replaced, the old version kept), or the withdrawal closes every part.
   */
  async decideAmendment(caller: Principal, id: string, amendmentId: string, decision: AmendmentDecisionRequest): Promise<AmendmentView> {
    authorize(caller, 'submission.decide');
    const amendments = this.requireAmendments();
    const reasons = decision.reasons ?? [];
    if (decision.outcome === 'rejected' && reasons.length === 0) throw new KouanError('DECISION_INVALID', { errors: [{ path: '$.reasons', code: 'FIELD_REQUIRED' }] });
    const found = await this.repository.findVisible(id, submissionViewer(caller));
    const request = found === undefined ? undefined : (await amendments.of(found.id)).find((candidate) => candidate.id === amendmentId);
    if (found === undefined || request === undefined || !request.decisions.some((entry) => entry.agency === caller.partyId)) throw new KouanError('NOT_FOUND');
    const definition = this.doctypes.get(found.docType);
    const at = nowIso();
    // Whether the ledger can take the new version is asked before the transaction (reads outside it), freeing
    // what the old version holds; the holds themselves are replaced under the accounts' locks, inside it.
    let plan: PlannedReservation[] | undefined;
    if (decision.outcome === 'approved' && request.action === 'amend' && definition.ledger?.claim !== undefined) {
      const held = await this.ledger.reservationsOf(found.id);
      const claim = definition.ledger.claim(request.data as Record<string, unknown>, { partyId: found.declarant, roles: [], ...(found.trader === null ? {} : { mandates: [{ principal: found.trader, directions: ['import', 'export'] }] }) });
      const verdict = claim === undefined ? { errors: [], plan: [] } : await this.ledger.verifyClaim({ ...claim, holder: found.trader ?? claim.holder }, at.slice(0, 10), held);
      if (verdict.errors.length > 0) throw new KouanError('AMENDMENT_LEDGER_REFUSED', { params: { count: verdict.errors.length }, errors: verdict.errors, extra: declarationOf(found) });
      // After a release a new version that writes off exactly what was written off leaves the ledger as it is.
      const released = held.some((reservation) => reservation.state === 'posted');
      plan = released && samePlan(held, verdict.plan) ? undefined : [...verdict.plan];
    }
    await this.repository.transaction(async (trx) => {
      const submission = await this.repository.lockSubmission(trx, id);
      const current = submission === undefined ? undefined : (await amendments.of(id, trx)).find((candidate) => candidate.id === amendmentId);
      if (submission === undefined || current === undefined) throw new KouanError('NOT_FOUND');
      if (current.status !== 'pending' || !(await amendments.decide(trx, amendmentId, caller.partyId, decision.outcome, reasons, at))) {
        throw new KouanError('AMENDMENT_DECIDED', { params: { amendment: amendmentId, status: current.status }, extra: declarationOf(submission) });
      }
      const rest = current.decisions.filter((entry) => entry.agency !== caller.partyId);
      const status = decision.outcome === 'rejected' ? 'rejected' : rest.every((entry) => entry.outcome === 'approved') ? 'approved' : 'pending';
      if (status !== 'pending') await amendments.settle(trx, amendmentId, status, at);
      await this.events?.append(trx, [amendmentDecided(submission, amendmentId, caller.partyId, decision.outcome, status, reasons, at)]);
      if (status !== 'approved') return;
      if (current.action === 'withdraw') await this.applyWithdrawal(trx, definition, submission, current, at);
      else await this.applyAmendment(trx, definition, submission, current, plan, at);
    });
    this.exchange.notify();
    return this.amendmentView(caller, id, amendmentId);
  }

  /** The requests to amend or withdraw a submission, as the caller may see them (an agency: those it decides). */
  async amendmentsOf(caller: Principal, submission: SubmissionRecord, definition: DocTypeDefinition): Promise<AmendmentView[]> {
    if (this.amendments === undefined) return [];
    const agency = partAgency(submissionViewer(caller));
    const all = await this.amendments.of(submission.id);
    return all.filter((request) => agency === undefined || request.decisions.some((entry) => entry.agency === agency)).map((request) => amendmentViewOf(request, definition, agency));
  }

  /** The stored document printed as a message of a format its type registers, for its parties and operators. */
  async print(caller: Principal, id: string, formatId: string): Promise<{ mediaType: string; text: string; filename: string }> {
    const viewer = submissionViewer(caller);
    const submission = viewer.kind === 'agency' ? undefined : await this.repository.findVisible(id, viewer);
    if (submission === undefined) throw new KouanError('NOT_FOUND');
    const format = this.doctypes.format(submission.docType, formatId);
    const text = format.print(submission.data, { submissionId: submission.id, number: submission.number, sender: 'KOUAN', preparedAt: nowIso() });
    return { mediaType: format.mediaType, text, filename: `${submission.number ?? submission.id}.${format.id}.${format.extension}` };
  }

  /** A version of the document an approved amendment replaced (an agency: its part's projection of it). */
  async version(caller: Principal, id: string, version: number): Promise<{ version: number; replacedAt: string; amendment: string; data: unknown }> {
    const viewer = submissionViewer(caller);
    const submission = await this.repository.findVisible(id, viewer);
    const kept = submission === undefined ? undefined : (await this.requireAmendments().versionsOf(submission.id)).find((candidate) => candidate.version === version);
    if (submission === undefined || kept === undefined) throw new KouanError('NOT_FOUND');
    const spec = viewer.kind === 'agency' ? this.doctypes.get(submission.docType).parts.find((candidate) => candidate.agency === viewer.party) : undefined;
    const data = viewer.kind !== 'agency' ? kept.data : spec !== undefined && spec.applies(kept.data) ? projection(spec, kept.data) : null;
    return { version: kept.version, replacedAt: kept.replacedAt, amendment: kept.amendmentId, data };
  }

  private async amendmentView(caller: Principal, id: string, amendmentId: string): Promise<AmendmentView> {
    const submission = await this.repository.findVisible(id, submissionViewer(caller));
    if (submission === undefined) throw new KouanError('NOT_FOUND');
    const view = (await this.amendmentsOf(caller, submission, this.doctypes.get(submission.docType))).find((candidate) => candidate.id === amendmentId);
    if (view === undefined) throw new KouanError('NOT_FOUND');
    return view;
  }

  /** The request waiting for the agencies, if any: asked on every decision, so one small query. */
  private async pendingAmendment(trx: Transaction<Database>, id: string): Promise<{ id: string } | undefined> {
    return this.amendments?.pendingOf(trx, id);
  }

  private requireAmendments(): AmendmentsRepository {
    if (this.amendments === undefined) throw new Error('this Kouan was built without amendments');
    return this.amendments;
  }

  /** The approved withdrawal: every part, released ones too, is closed, the holds are given back, agencies told. */
  private async applyWithdrawal(trx: Transaction<Database>, definition: DocTypeDefinition, submission: SubmissionRecord, request: AmendmentRecord, at: string): Promise<void> {
    const { lifecycle } = definition;
    const reason = systemReason('WITHDRAWN_ON_REQUEST', { party: request.requestedBy });
    const parts = await this.repository.partsOf([submission.id], trx);
    await this.react(trx, definition, submission, { withdrawn: true }, { actor: request.requestedBy, at, reason, others: parts });
    // What a release wrote off comes back to the accounts (what was only held, the reactions gave back).
    await this.ledger.reverse(trx, submission.id, request.requestedBy, reason, at);
    // A release the withdrawal undoes: the part is cancelled too, and its agency told, as for an open one.
    const decided = parts.filter((part) => isTerminalPart(lifecycle, part.status) && lifecycle.amendable.includes(part.status));
    await this.closeParts(trx, submission, decided, lifecycle.cancelled as PartStatus, request.requestedBy, reason, at);
    await this.changeStatus(trx, submission, lifecycle.cancelled as SubmissionRecord['status'], request.requestedBy, at);
  }

  /**
   * The approved amendment: the old version is kept and the new one takes its place; each part gets its new
   * projection (part.amended), a part the new version no longer needs is closed, one it newly needs is added
   * (part.submitted); the holds of the old version are given back and the new version's taken; its files replace
   * the old ones; the document's status follows its parts.
   */
  private async applyAmendment(trx: Transaction<Database>, definition: DocTypeDefinition, submission: SubmissionRecord, request: AmendmentRecord, plan: readonly PlannedReservation[] | undefined, at: string): Promise<void> {
    const { lifecycle } = definition;
    const document = request.data;
    const version = request.version ?? submission.documentVersion + 1;
    const actor = request.requestedBy;
    const amendments = this.requireAmendments();
    const oldFiles = ((await this.attachments?.of(definition, submission.id, undefined, trx)) ?? []).map(({ kind, sha256, name }) => ({ kind, sha256, name }));
    await amendments.replaceDocument(trx, { submissionId: submission.id, amendmentId: request.id, from: { version: submission.documentVersion, data: submission.data, attachments: oldFiles }, to: { version, data: document }, at });
    if (plan !== undefined) {
      const reason = systemReason('AMENDED', { version: String(version) });
      // What a release wrote off is given back and the new version written off in its place, at once.
      const reversed = await this.ledger.reverse(trx, submission.id, actor, reason, at);
      await this.ledger.supersede(trx, submission.id, actor, reason, at);
      await this.ledger.reserve(trx, submission.id, plan, actor, at);
      if (reversed > 0) await this.ledger.writeOff(trx, submission.id, actor, at);
    }
    await this.attachments?.replace(trx, submission.id, request.attachments);
    const amended = { ...submission, data: document, documentVersion: version };
    const files = await this.filesOf(definition, submission.id, request.attachments, trx);
    const parts = await this.repository.partsOf([submission.id], trx);
    const messages: OutboxMessage[] = [];
    const added: PartRecord[] = [];
    for (const spec of definition.parts) {
      const part = parts.find((candidate) => candidate.agency === spec.agency);
      const applies = spec.applies(document);
      if (part !== undefined && part.status !== lifecycle.cancelled && applies) {
        const data = projection(spec, document);
        await this.repository.setPartData(trx, part.id, data, at);
        messages.push({ messageId: newId('msg'), agency: part.agency, kind: 'part.amended', submissionId: submission.id, payload: { ...(partMessage(amended, { ...part, data }, files(part.agency)).payload as Record<string, unknown>), version, amendmentId: request.id }, createdAt: at });
      } else if (part !== undefined && !applies && !isTerminalPart(lifecycle, part.status)) {
        await this.closeParts(trx, submission, [part], lifecycle.cancelled as PartStatus, actor, systemReason('AMENDMENT_REMOVED_PART', { version: String(version) }), at);
      } else if (part === undefined && applies) {
        added.push({ id: newId('part'), submissionId: submission.id, agency: spec.agency, docType: spec.docType, status: initialPartStatus(lifecycle), data: projection(spec, document), reasons: [], createdAt: at, updatedAt: at });
      }
    }
    await this.repository.insertParts(trx, added);
    await this.repository.appendHistory(trx, added.map((part) => ({ submissionId: submission.id, agency: part.agency, from: null, to: part.status, actor, reasons: [], at })));
    const tenant = submission.tenant;
    for (const part of added) await this.events?.append(trx, [partStatusChanged(tenant, part, null, part.status, actor, [], at)]);
    await this.exchange.enqueue(trx, tenant, [...messages, ...added.map((part) => partMessage(amended, part, files(part.agency)))]);
    // The clearance events follow the new version: what it is about now is received again (under its version).
    await this.recordClearance(trx, definition, amended, null, 'RECE', actor, at, `v${version}`);
    const after = (await this.repository.partsOf([submission.id], trx)).map((part) => part.status);
    await this.changeStatus(trx, submission, aggregateStatus(lifecycle, after), actor, at);
  }

  /** Moves parts to `to` whatever their status (a withdrawal or an amendment decided it), and tells their agencies. */
  private async closeParts(trx: Transaction<Database>, submission: SubmissionRecord, parts: readonly PartRecord[], to: PartStatus, actor: string, reason: StoredReason, at: string): Promise<void> {
    for (const part of parts) await this.movePart(trx, submission.tenant, part, to, actor, [reason], at);
    await this.exchange.enqueue(
      trx,
      submission.tenant,
      parts.map((part) => ({
        messageId: newId('msg'),
        agency: part.agency,
        kind: 'part.cancelled' as const,
        submissionId: submission.id,
        // Agencies' systems get the reason as ever (code and English message), without the parameters kept for wording it.
        payload: { submissionId: submission.id, agency: part.agency, reason: wordReasons([reason], 'en')[0] },
        createdAt: at,
      })),
    );
  }

  private async changeStatus(trx: Transaction<Database>, submission: SubmissionRecord, status: SubmissionRecord['status'], actor: string, at: string, deferred?: Deferred): Promise<void> {
    if (!(await this.repository.setStatus(trx, submission.id, submission.version, status, at))) {
      // Only a writer that bypassed lockSubmission could get here; refuse rather than overwrite its change.
      throw new Error(`submission ${submission.id} changed concurrently`);
    }
    if (status !== submission.status) {
      const history: HistoryRecord = { submissionId: submission.id, agency: null, from: submission.status, to: status, actor, reasons: [], at };
      await this.recordChange(trx, history, submissionStatusChanged(submission, submission.status, status, actor, at), deferred);
    }
  }

}

/** History and domain events of changes gathered for one insert each, in the order of the changes. */
interface Deferred {
  readonly history: HistoryRecord[];
  readonly events: NewEvent[];
}

/** A change reactions answer: a part's outcome (by an agency), the whole document reaching a status, or its withdrawal. */
interface Trigger {
  readonly outcome?: string;
  readonly agency?: string;
  readonly status?: string;
  readonly withdrawn?: true;
}

/** Whether a reaction is due for this change. */
function triggered(reaction: Reaction, trigger: Trigger): boolean {
  const { on } = reaction;
  if (on.withdrawn === true) return trigger.withdrawn === true;
  if (on.statuses !== undefined) return trigger.status !== undefined && on.statuses.includes(trigger.status);
  if (on.outcomes === undefined || trigger.outcome === undefined || !on.outcomes.includes(trigger.outcome)) return false;
  return on.agency === undefined || on.agency === trigger.agency;
}

const projectionChecks = new WeakMap<object, ReturnType<typeof Compile>>();

/** A part's projection, checked against the part's published schema: an agency never gets what its schema does not say. */
function projection(part: PartSpec<unknown>, document: unknown): unknown {
  let check = projectionChecks.get(part.schema);
  if (check === undefined) {
    check = Compile(part.schema);
    projectionChecks.set(part.schema, check);
  }
  const data = part.project(document);
  if (!check.Check(data)) throw new Error(`the ${part.docType} projection does not match its published schema: ${JSON.stringify(check.Errors(data).slice(0, 3))}`);
  return data;
}

/** Whether a document type's approval opens a ledger account (a reaction `ledger.issue`). */
function opensAccount(definition: DocTypeDefinition): boolean {
  return definition.reactions.some((reaction) => reaction.step === 'ledger.issue');
}

/** The accounts a document cites as the entry of its goods (a temporary admission under 2700 or 2600). */
function enteredAccounts(definition: DocTypeDefinition, submission: SubmissionRecord): string[] {
  const claim = definition.ledger?.claim?.(submission.data as Record<string, unknown>, { partyId: submission.declarant, roles: [] });
  return [...new Set((claim?.lines ?? []).flatMap((line) => line.documents.filter((reference) => reference.entry === true).map((reference) => reference.number)))];
}

/** The statuses in which a document is closed for good (withdrawn, rejected, refused): no request can change it. */
function closedFor(lifecycle: DocTypeDefinition['lifecycle']): Set<string> {
  return new Set([lifecycle.cancelled, ...lifecycle.outcomes.filter((outcome) => outcome.closesOthers).map((outcome) => outcome.id)]);
}

/** Whether a new version takes from the ledger exactly what the document holds (or wrote off) now. */
function samePlan(held: readonly ReservationView[], plan: readonly PlannedReservation[]): boolean {
  const key = (account: string, line: number, side: string, quantity: string) => `${account}#${line}#${side}#${quantity}`;
  const now = held.filter((reservation) => reservation.state === 'reserved' || reservation.state === 'posted').map((reservation) => key(reservation.account, reservation.line, reservation.side, reservation.quantity));
  const next = plan.map((item) => key(item.accountNumber, item.lineNo, item.side, fromScaled(BigInt(item.quantity), LEDGER_SCALE)));
  return now.sort().join() === next.sort().join();
}

/** A request as its viewer sees it: an agency its own decision and its part's projection, no receipt. */
function amendmentViewOf(request: AmendmentRecord, definition: DocTypeDefinition, agency: string | undefined): AmendmentView {
  const spec = agency === undefined ? undefined : definition.parts.find((candidate) => candidate.agency === agency);
  const data = request.data === null ? undefined : agency === undefined ? request.data : spec !== undefined && spec.applies(request.data) ? projection(spec, request.data) : null;
  return {
    id: request.id,
    action: request.action,
    status: request.status,
    version: request.version,
    reasons: [...request.reasons],
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    decidedAt: request.decidedAt,
    decisions: request.decisions.filter((entry) => agency === undefined || entry.agency === agency).map((entry) => ({ agency: entry.agency, outcome: entry.outcome, reasons: [...entry.reasons], decidedAt: entry.decidedAt })),
    ...(data === undefined ? {} : { data }),
    ...(agency === undefined ? { receipt: request.receipt, ...(request.receiptSm2 === null ? {} : { receiptSm2: request.receiptSm2 }) } : {}),
  };
}

/** The members a problem about one declaration carries, so that a caller can name it by its number. */
function declarationOf(submission: SubmissionRecord): { submissionId: string; number: string | null } {
  return { submissionId: submission.id, number: submission.number };
}

function visibleParts(viewer: Viewer, parts: readonly PartRecord[]): PartRecord[] {
  return viewer.kind === 'agency' ? parts.filter((part) => part.agency === viewer.party) : [...parts];
}

function summarize(submission: SubmissionRecord, parts: readonly PartRecord[], viewer?: Viewer): SubmissionSummary {
  return {
    id: submission.id,
    number: submission.number,
    docType: submission.docType,
    status: viewer?.kind === 'agency' ? (parts[0]?.status ?? submission.status) : submission.status,
    declarant: submission.declarant,
    trader: submission.trader,
    parts: [...parts].sort((a, b) => (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0)).map(partView),
    createdAt: submission.createdAt,
    updatedAt: submission.updatedAt,
  };
}

function partView(part: PartRecord): PartView {
  return { agency: part.agency, docType: part.docType, status: part.status, reasons: [...part.reasons], updatedAt: part.updatedAt };
}

function attachmentView(file: AttachmentView): AttachmentView {
  return { kind: file.kind, sha256: file.sha256, name: file.name, mediaType: file.mediaType, size: file.size };
}

function partMessage(submission: SubmissionRecord, part: PartRecord, files: readonly AttachmentView[] = []): OutboxMessage {
  return {
    messageId: newId('msg'),
    agency: part.agency,
    kind: 'part.submitted',
    submissionId: submission.id,
    payload: { submissionId: submission.id, number: submission.number, docType: part.docType, declarant: submission.declarant, trader: submission.trader, submittedAt: submission.createdAt, data: part.data, ...(files.length === 0 ? {} : { attachments: files }) },
    createdAt: part.createdAt,
  };
}

function hashRequest(request: SubmitRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A submission's proofs as its view shows them, from what the store kept of its signatures. */
function proofOf(stored: StoredSignature): NonNullable<SubmissionView['proof']> {
  const { signature } = stored;
  return {
    signature: signature === null ? null : { jws: signature.jws, kid: signature.kid, signedBody: signature.signedBody },
    receipt: stored.receipt,
    ...(stored.receiptSm2 === null ? {} : { receiptSm2: stored.receiptSm2 }),
  };
}

/**
 * Waits for every one of a transaction's concurrent statements, then throws the first failure: none may still be
 * running when the caller's transaction (or savepoint) is rolled back.
 */
async function settleAll(writes: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(writes);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
