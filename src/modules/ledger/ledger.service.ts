import type { Transaction } from 'kysely';
import { isValidUscc } from '../codes/index.js';
import type { LedgerClaim, LedgerClosure } from './claim.js';
import type { Principal } from '../parties/index.js';
import { authorize, issuingParty, ledgerViewer, seesAccount, type CallerIssuer } from '../policies/index.js';
import type { Database } from '../../store/schema.js';
import { fromScaled, parseDecimal, toScaled } from '../../shared/decimal.js';
import { KouanError, type FieldError } from '../../shared/errors.js';
import { newId, nowIso } from '../../shared/ids.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import type { Language } from '../../shared/locale.js';
import { recognise, systemReason, wordReasons, type StoredReason } from '../../shared/reasons.js';
import { ACCOUNT_TYPES, accountType, type AccountType } from './account-types.js';
import { addMonths, ledgerModel, SCALE, type Deadline, type LedgerModel } from './models/index.js';
import { conditionsFor, DEFAULT_REGULATORY_CONDITIONS, type RegulatoryCondition } from './regulatory-conditions.js';
import type { AccountRow, AccountWithLines, EntryRow, LedgerRepository, LineRow, NewEntry, ReservationRow, Side } from './ledger.repository.js';
import {
  CARRIER_ISSUER,
  KOUAN_LEDGER,
  PLATFORM_ISSUER,
  WRITE_OFF_KINDS,
  type AccountStatus,
  type AccountView,
  type ApprovalAccountRequest,
  type EntryKind,
  type EntryView,
  type IssueAccountRequest,
  type ReservationState,
  type ReservationView,
  type SignedAccount,
  type WriteOffKind,
} from './ledger.schema.js';
import { sm2Mismatch, verifyCopy, type Jwks, type Signer } from '../signatures/index.js';

export { SCALE };

/** One reservation a declaration will hold: quantity of an account line for a goods line. */
export interface PlannedReservation {
  readonly accountNumber: string;
  readonly lineNo: number;
  /** Path of the cited document, where a failure is reported. */
  readonly path: string;
  readonly quantity: number;
  /** `debit` for the material an export consumes from a processing-trade manual. */
  readonly side: Side;
  /** How the hold writes the line off, when the account's model records it (a temporary admission's items). */
  readonly writeOff?: WriteOffKind | undefined;
}

/** Who issues an account: an agency or a carrier by its party id, or Kouan on an approval. */
type IssuingParty = CallerIssuer | { readonly kind: 'platform'; readonly party: typeof KOUAN_LEDGER };

export interface ClaimVerdict {
  readonly errors: readonly FieldError[];
  readonly plan: readonly PlannedReservation[];
}

export interface LedgerOptions {
  /** How long a reservation holds its quantity when no decision comes. */
  readonly reservationTtlMs: number;
  readonly conditions?: readonly RegulatoryCondition[] | undefined;
}

/** The result of replaying every entry against the stored balances (`kouan ledger verify`). */
export interface LedgerAudit {
  readonly accounts: number;
  readonly lines: number;
  readonly entries: number;
  readonly problems: readonly string[];
}

/*
 * LOCK ORDER. Every transaction that changes the ledger takes its locks in one order, so that no two can wait
 * for each other (on PostgreSQL a crossed pair is a deadlock, answered as a failed transaction):
 *   1. the rows of every account it will change, at once, FOR UPDATE, in account-number order
 *      (LedgerRepository.lockAccounts), before it touches any line or reservation of them;
 *   2. then, under those locks, the lines and reservations, in (account number, line number, reservation id) order.
 * Reserve, write-off, void, expiry, suspension, revocation and reinstatement, for every ledger model (quantity
 * and processing-trade manual alike), follow it; so the account lock alone serialises every change of an
 * account, and step 2 only keeps the work predictable. A caller may hold locks outside the ledger taken
 * before it (the submission row of a decision or a cancellation), but the ledger never takes one of those
 * after an account: no path goes from an account back to a submission. Locks taken after the ledger's (the
 * tracking references' advisory locks of the clearance event that submit and decide record) are never held by
 * a transaction that then comes to the ledger. SQLite serialises every writer.
 */
export class LedgerService {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private readonly conditions: readonly RegulatoryCondition[];
  private platformKey: Promise<void> | undefined;

  constructor(
    private readonly repository: LedgerRepository,
    private readonly signer: Signer,
    private readonly options: LedgerOptions,
    private readonly logger: { error(object: object, message: string): void },
  ) {
    this.conditions = options.conditions ?? DEFAULT_REGULATORY_CONDITIONS;
  }

  /** The account types and the regulatory-conditions table, as published. */
  types(): { types: readonly AccountType[]; conditions: readonly RegulatoryCondition[] } {
    return { types: ACCOUNT_TYPES, conditions: this.conditions };
  }

  jwks(): Promise<Jwks> {
    return this.signer.jwks('kouan-ledger-account+jws');
  }

  /**
   * An agency issues a licence, permit, certificate, manual or temporary admission, or a carrier records a bill it
   * issued; Kouan signs it on the issuer's behalf.
   */
  async issue(caller: Principal, request: IssueAccountRequest): Promise<{ account: AccountView; replayed: boolean }> {
    const issuer = issuingParty(caller);
    const signed = this.checkIssue(issuer, request);
    const existing = await this.repository.findAccount(signed.number);
    if (existing !== undefined) return { account: this.replayIssue(existing, signed), replayed: true };

    // Both signatures before the transaction, so that no lock is held while signing; the SM2 one only when the
    // platform makes SM2 signatures (KOUAN_SIGNING_ALGS), with the issuer's own SM2 key for ledger accounts.
    const signatures = await this.signer.signAll(issuer.party, signed);
    const inserted = await this.repository.transaction((trx) => this.insertIssued(trx, caller.tenant, signed, signatures));
    const stored = await this.repository.findAccount(signed.number);
    if (stored === undefined) throw new Error(`account ${signed.number} vanished after issue`);
    if (!inserted) return { account: this.replayIssue(stored, signed), replayed: true };
    return { account: accountView(stored), replayed: false };
  }

  /**
   * Kouan opens an account because a document type's approval says so (a processing-trade filing opens a manual,
   * an exhibition filing a temporary admission), inside the caller's transaction: the account exists exactly when
   * the approval does. Idempotent by number, as approvals are retried; signed with Kouan's ledger key
   * (issuer `kouan-ledger`). `preparePlatformKey` must have run first (`start` runs it): on SQLite a key
   * loaded inside the caller's transaction would wait for that transaction forever.
   */
  async issueOnApproval(trx: Transaction<Database>, request: ApprovalAccountRequest): Promise<{ account: AccountView; replayed: boolean }> {
    const issuer: IssuingParty = { kind: 'platform', party: KOUAN_LEDGER };
    const signed = this.checkIssue(issuer, request);
    const existing = await this.repository.findAccount(signed.number, trx);
    if (existing !== undefined) return { account: this.replayIssue(existing, signed), replayed: true };
    if (this.platformKey === undefined) throw new Error('LedgerService.preparePlatformKey() must run before issueOnApproval');
    await this.platformKey;
    const signatures = await this.signer.signAll(KOUAN_LEDGER, signed);
    const inserted = await this.insertIssued(trx, request.tenant, signed, signatures);
    const stored = await this.repository.findAccount(signed.number, trx);
    if (stored === undefined) throw new Error(`account ${signed.number} vanished after issue`);
    return inserted ? { account: accountView(stored), replayed: false } : { account: this.replayIssue(stored, signed), replayed: true };
  }

  /** Loads (or makes) Kouan's ledger key, so that `issueOnApproval` signs without reading the store. */
  preparePlatformKey(): Promise<void> {
    this.platformKey ??= this.signer.signAll(KOUAN_LEDGER, { prepared: true }).then(() => undefined);
    return this.platformKey;
  }

  /** The content an issue request signs, checked against its type and its model; every problem at once. */
  private checkIssue(issuer: IssuingParty, request: IssueAccountRequest): SignedAccount {
    const type = accountType(request.type);
    const errors: FieldError[] = [];
    if (type === undefined) errors.push({ path: '$.type', code: 'LEDGER_TYPE_UNKNOWN', params: { value: request.type } });
    else checkAgainstType(type, issuer, request, errors);
    if (!isValidUscc(request.holder)) errors.push({ path: '$.holder', code: 'USCC_INVALID', params: { value: request.holder } });
    if (!isDate(request.validFrom) || !isDate(request.validTo) || request.validTo < request.validFrom) errors.push({ path: '$.validTo', code: 'LEDGER_VALIDITY_INVALID' });
    const tolerance = parseDecimal(request.tolerancePct ?? type?.defaultTolerancePct ?? '0', { integer: 3, scale: 2 });
    if (!tolerance.ok) errors.push({ path: '$.tolerancePct', code: tolerance.code, params: { integer: 3, scale: 2 } });
    const content = type === undefined ? undefined : ledgerModel(type.model).checkIssue({ request, type, errors });
    if (errors.length > 0 || type === undefined || content === undefined || !tolerance.ok) throw new KouanError('LEDGER_ACCOUNT_INVALID', { params: { count: errors.length }, errors });
    return {
      number: request.number ?? `${type.prefix}-${request.validFrom.slice(0, 4)}-${newId('n').slice(2)}`,
      type: type.id,
      issuer: issuer.party,
      holder: request.holder,
      direction: request.direction,
      validFrom: request.validFrom,
      validTo: request.validTo,
      ports: [...(request.ports ?? [])].sort(),
      maxUses: type.use === 'single' ? 1 : (request.maxUses ?? null),
      tolerancePct: tolerance.value,
      attributes: request.attributes ?? {},
      lines: content.lines,
      ...content.extras,
      issuedAt: nowIso(),
    };
  }

  /** Stores a signed account with its lines and its issue entry; false when the number was taken meanwhile. */
  private async insertIssued(trx: Transaction<Database>, tenant: string, signed: SignedAccount, { signature, signatureSm2 }: { signature: string; signatureSm2?: string }): Promise<boolean> {
    const row: AccountRow = {
      number: signed.number,
      tenant_id: tenant,
      type: signed.type,
      issuer: signed.issuer,
      holder: signed.holder,
      direction: signed.direction,
      valid_from: signed.validFrom,
      valid_to: signed.validTo,
      max_uses: signed.maxUses,
      uses: 0,
      status: 'active',
      document: canonicalJson(signed),
      signature,
      signature_sm2: signatureSm2 ?? null,
      issued_at: signed.issuedAt,
      updated_at: signed.issuedAt,
      extensions: 0,
      entered_on: null,
    };
    const lines: LineRow[] = modelOf(signed.type).lines(signed).map((line) => ({
      account_number: signed.number,
      line_no: line.lineNo,
      key: line.key,
      hs_code: line.hsCode,
      unit: line.unit,
      granted: Number(line.granted),
      ceiling: Number(ceilingOf(line.granted, signed.tolerancePct)),
      reserved: 0,
      posted: 0,
      debit_reserved: 0,
      debit_posted: 0,
    }));
    if (!(await this.repository.insertAccount(trx, row, lines))) return false;
    await this.repository.appendEntry(trx, entry(`${signed.number}:issue`, signed.number, 'issue', signed.issuer, signed.issuedAt));
    return true;
  }

  /** An account as the caller may see it: its holder, its issuer, customs, or an operator of its tenant. */
  async get(caller: Principal, number: string): Promise<AccountView> {
    return accountView(await this.visibleAccount(caller, number));
  }

  async list(caller: Principal, filter: { type?: string | undefined; status?: AccountStatus | undefined; cursor?: string | undefined; limit?: number | undefined }): Promise<{ accounts: AccountView[]; next: string | null }> {
    const limit = filter.limit ?? 50;
    const accounts = await this.repository.listAccounts(ledgerViewer(caller), { type: filter.type, status: filter.status, before: filter.cursor, limit });
    return { accounts: accounts.map(accountView), next: accounts.length === limit ? (accounts.at(-1)?.account.number ?? null) : null };
  }

  /** The account's history: who reserved, wrote off or released how much, and when. */
  async entries(caller: Principal, number: string, after: number, limit: number, language: Language = 'en'): Promise<{ entries: EntryView[]; next: number }> {
    await this.visibleAccount(caller, number);
    const rows = await this.repository.entriesOf(number, after, limit);
    return { entries: rows.map((row) => entryView(row, language)), next: rows.at(-1)?.seq ?? after };
  }

  /**
   * What a submission holds in the ledger: its reservations and write-offs, in account and line order. With
   * `issuer`, only those on accounts that agency issued.
   */
  async reservationsOf(submissionId: string, options: { readonly issuer?: string | undefined } = {}): Promise<ReservationView[]> {
    const rows = await this.repository.reservationDetailsOf(submissionId, options.issuer);
    return rows.map((row) => ({
      account: row.account_number,
      type: row.type,
      line: row.line_no,
      quantity: fromScaled(BigInt(row.quantity), SCALE),
      unit: row.unit,
      side: side(row),
      ...(row.write_off === null ? {} : { writeOff: writeOffKind(row.write_off) }),
      state: reservationState(row.status),
      path: row.path,
      updatedAt: row.updated_at,
    }));
  }

  /** The issuer stops the account for good; open reservations are voided. */
  revoke(caller: Principal, number: string, reason: string): Promise<AccountView> {
    return this.changeStatus(caller, number, reason, { from: ['active', 'suspended'], to: 'revoked', kind: 'revoke', action: 'revoked', voidWith: 'ACCOUNT_REVOKED' });
  }

  /** The issuer stops the account until reinstated; open reservations are voided. */
  suspend(caller: Principal, number: string, reason: string): Promise<AccountView> {
    return this.changeStatus(caller, number, reason, { from: ['active'], to: 'suspended', kind: 'suspend', action: 'suspended', voidWith: 'ACCOUNT_SUSPENDED' });
  }

  reinstate(caller: Principal, number: string, reason: string): Promise<AccountView> {
    return this.changeStatus(caller, number, reason, { from: ['suspended'], to: 'active', kind: 'reinstate', action: 'reinstated' });
  }

  /**
   * Customs extends the deadline of an account whose model has one (a temporary admission: 6 months more, at
   * most 3 times); the extend entry records who and why, and the replay audit counts them.
   */
  async extend(caller: Principal, number: string, reason: string): Promise<AccountView> {
    authorize(caller, 'ledger.extend');
    await this.repository.transaction(async (trx) => {
      const [account] = await this.repository.lockAccounts(trx, [number]);
      if (account === undefined || !seesAccount(caller, accountParties(account))) throw new KouanError('NOT_FOUND');
      const deadline = modelOf(account.type).deadline;
      if (deadline === undefined) throw new KouanError('LEDGER_EXTENSION_NOT_ALLOWED', { params: { type: account.type } });
      if (caller.partyId !== deadline.extendedBy) throw new KouanError('FORBIDDEN');
      if (account.status !== 'active') throw new KouanError('LEDGER_ACCOUNT_STATE', { params: { number, status: account.status, action: 'extended' } });
      if (account.extensions >= deadline.maxExtensions) throw new KouanError('LEDGER_EXTENSIONS_EXHAUSTED', { params: { number, extensions: account.extensions, type: account.type } });
      const at = nowIso();
      const validTo = addMonths(account.valid_to, deadline.extensionMonths);
      if (!(await this.repository.extendValidity(trx, number, account.extensions, validTo, at))) throw new Error(`account ${number} changed under its lock`);
      await this.repository.appendEntry(trx, { ...entry(`${number}:extend:${account.extensions + 1}`, number, 'extend', caller.partyId, at), reason });
    });
    return this.get(caller, number);
  }

  /**
   * The goods of accounts whose deadline runs from their entry (a temporary admission's exhibits) entered: on the
   * release of the declaration that brought them in, the first entry starts the deadline (entry + the model's
   * months, then each extension) and is an `enter` entry, once per account.
   */
  async recordEntry(trx: Transaction<Database>, numbers: readonly string[], submissionId: string, actor: string, at: string): Promise<void> {
    if (numbers.length === 0) return;
    const day = at.slice(0, 10);
    for (const account of await this.repository.lockAccounts(trx, numbers)) {
      const deadline = modelOf(account.type).deadline;
      if (deadline === undefined || account.entered_on !== null) continue;
      const validTo = extendedValidTo(addMonths(day, deadline.months), deadline, account.extensions);
      if (!(await this.repository.setEntered(trx, account.number, day, validTo, at))) continue;
      await this.repository.appendEntry(trx, { ...entry(`${account.number}:enter`, account.number, 'enter', actor, at), submission_id: submissionId });
    }
  }

  /**
   * Accounts past their deadline with items not yet written off, as the caller may see them: customs sees every
   * one, a holder its own, an issuer those it issued. `today` is a UTC date.
   */
  async overdue(caller: Principal, today: string, filter: { cursor?: string | undefined; limit?: number | undefined } = {}): Promise<{ accounts: AccountView[]; next: string | null }> {
    const limit = filter.limit ?? 50;
    const types = ACCOUNT_TYPES.filter((type) => ledgerModel(type.model).deadline !== undefined).map((type) => type.id);
    const accounts = await this.repository.overdueAccounts(ledgerViewer(caller), { types, today, before: filter.cursor, limit });
    return { accounts: accounts.map(accountView), next: accounts.length === limit ? (accounts.at(-1)?.account.number ?? null) : null };
  }

  /** Checks a printed or exported copy against this ledger's keys, and says what the ledger knows of it now. */
  async verifyCopy(jws: string): Promise<{ valid: true; kid: string; alg: string; issuer: string; account: unknown; status: AccountStatus | null }> {
    const check = await this.signer.verify(jws);
    if (!check.valid) throw new KouanError('LEDGER_SIGNATURE_INVALID', { params: { reason: check.reason } });
    const number = (check.payload as { number?: unknown }).number;
    const stored = typeof number === 'string' ? await this.repository.findAccount(number) : undefined;
    // The status now only for a copy of that very account: any other content signed here (a receipt, a
    // decision) naming a number would otherwise tell its bearer about an account it never held a copy of.
    const same = stored !== undefined && stored.account.issuer === check.issuer && stored.account.document === canonicalJson(check.payload);
    return { valid: true, kid: check.kid, alg: check.alg, issuer: check.issuer, account: check.payload, status: same ? (stored.account.status) : null };
  }

  /**
   * Verifies every document a declaration cites, and the regulatory conditions of its goods, against the
   * ledger as it is now; returns the problems (coded, on the path of each reference) and the reservations to make.
   *
   * The ledger is no oracle: an account the caller may not use (held by someone other than the trader it
   * declares for, and not by the caller itself) gets exactly the answer of a number that does not exist, and
   * when the caller may not declare for the trader at all (`claim.holder` unset) no account is looked up.
   */
  async verifyClaim(claim: LedgerClaim, date: string, releasing: readonly ReservationView[] = []): Promise<ClaimVerdict> {
    const errors: FieldError[] = [];
    // What the document's earlier version holds (or wrote off) counts as free for its new version (an amendment):
    // held quantities are given back when it takes their place; written-off ones only compare the two versions.
    const freed = new Map<string, bigint>();
    for (const held of releasing.filter((reservation) => reservation.state === 'reserved' || reservation.state === 'posted')) {
      const key = `${held.account}#${held.line}#${held.side}`;
      freed.set(key, (freed.get(key) ?? 0n) + toScaled(held.quantity, SCALE));
    }
    const standing = claim.holder !== undefined;
    const numbers = standing ? claim.lines.flatMap((line) => line.documents.map((document) => document.number)) : [];
    const usable = (found: AccountWithLines) => found.account.holder === claim.holder || found.account.holder === claim.caller;
    const accounts = new Map((await this.repository.findAccounts(numbers)).filter(usable).map((found) => [found.account.number, found]));
    const requested = new Map<string, bigint>();
    const plan: PlannedReservation[] = [];
    const authentic = new Map<string, Promise<boolean>>();

    for (const line of claim.lines) {
      const cited = new Set(line.documents.map((document) => document.type));
      const hsCode = line.hsCode;
      for (const condition of hsCode === undefined ? [] : conditionsFor(hsCode, claim.direction, this.conditions)) {
        if (!condition.requires.some((type) => cited.has(type))) {
          errors.push({ path: `${line.path}.documents`, code: 'LEDGER_DOCUMENT_REQUIRED', params: { hsCode: hsCode ?? '-', types: condition.requires.join(' | ') } });
        }
      }
      if (!standing) continue;
      for (const [index, reference] of line.documents.entries()) {
        const path = `${line.path}.documents[${index}]`;
        const found = accounts.get(reference.number);
        if (found === undefined) {
          errors.push({ path: `${path}.number`, code: 'LEDGER_ACCOUNT_UNKNOWN', params: { type: reference.type, number: reference.number } });
          continue;
        }
        const { account, lines } = found;
        let signatureCheck = authentic.get(account.number);
        if (signatureCheck === undefined) {
          signatureCheck = this.signer.verify(account.signature).then((check) => check.valid && canonicalJson(check.payload) === account.document && matchesDocument(account, lines));
          authentic.set(account.number, signatureCheck);
        }
        const problem = this.referenceProblem(reference, account, claim, date, await signatureCheck);
        if (problem !== undefined) {
          errors.push({ path: problem.code === 'LEDGER_ACCOUNT_UNKNOWN' ? `${path}.number` : path, ...problem });
          continue;
        }
        const taken = modelOf(account.type).take({ account, signed: JSON.parse(account.document) as SignedAccount, lines, line, reference, direction: claim.direction });
        if ('problem' in taken) {
          errors.push({ path, ...taken.problem });
          continue;
        }
        const wanted: PlannedReservation[] = taken.takings.map((taking) => ({
          accountNumber: account.number,
          lineNo: taking.lineNo,
          path,
          quantity: Number(taking.quantity),
          side: taking.side,
          ...(taking.writeOff === undefined ? {} : { writeOff: taking.writeOff }),
        }));
        for (const item of wanted) {
          const accountLine = lines.find((candidate) => candidate.line_no === item.lineNo);
          if (accountLine === undefined) continue;
          const key = `${account.number}#${item.lineNo}#${item.side}`;
          const total = (requested.get(key) ?? 0n) + BigInt(item.quantity);
          requested.set(key, total);
          const available = availableOn(accountLine, item.side) + (freed.get(key) ?? 0n);
          if (total > available) {
            const amounts = { number: account.number, lineNo: accountLine.line_no, requested: fromScaled(total, SCALE), unit: accountLine.unit };
            errors.push(
              item.side === 'credit'
                ? { path, code: 'LEDGER_INSUFFICIENT_BALANCE', params: { ...amounts, remaining: fromScaled(available, SCALE) } }
                : { path, code: 'LEDGER_INSUFFICIENT_STOCK', params: { ...amounts, stock: fromScaled(available, SCALE) } },
            );
            continue;
          }
          plan.push(item);
        }
      }
    }
    return { errors, plan };
  }

  /**
   * Whether a closing document's report reconciles with its account (the account's model says how). As with a
   * claim, an account the holder does not hold, or one looked up for a caller without standing, is unknown.
   */
  async verifyClosure(closure: LedgerClosure, trx?: Transaction<Database>): Promise<FieldError[]> {
    const unknown: FieldError = { path: closure.path, code: 'LEDGER_ACCOUNT_UNKNOWN', params: { type: closure.type, number: closure.number } };
    if (closure.holder === undefined) return [];
    const found = await this.repository.findAccount(closure.number, trx);
    if (found === undefined || (found.account.holder !== closure.holder && found.account.holder !== closure.caller)) return [unknown];
    const { account, lines } = found;
    if (account.type !== closure.type) return [{ path: closure.path, code: 'LEDGER_TYPE_MISMATCH', params: { number: account.number, actual: account.type, expected: closure.type } }];
    if (account.status !== 'active') return [{ path: closure.path, ...usageProblem(account) }];
    const model = modelOf(account.type);
    if (model.reconcile === undefined) return [{ path: closure.path, code: 'LEDGER_CLOSURE_UNSUPPORTED', params: { type: account.type } }];
    return model.reconcile({ account, lines, closure });
  }

  /**
   * Closes an account on the approval of the document that reconciled it (reaction `ledger.close`), in the
   * decision's transaction: checked again under the account's lock, so that a declaration that took from it
   * since the closure was filed refuses the decision rather than being closed over.
   */
  async closeOnApproval(trx: Transaction<Database>, closure: LedgerClosure, actor: string, at: string): Promise<void> {
    const [account] = await this.repository.lockAccounts(trx, [closure.number]);
    if (account === undefined) throw new KouanError('LEDGER_ACCOUNT_INVALID', { params: { count: 1 }, errors: [{ path: closure.path, code: 'LEDGER_ACCOUNT_UNKNOWN', params: { type: closure.type, number: closure.number } }] });
    const errors = closure.holder === undefined ? [{ path: closure.path, code: 'LEDGER_ACCOUNT_UNKNOWN' as const, params: { type: closure.type, number: closure.number } }] : await this.verifyClosure(closure, trx);
    if (errors.length > 0) throw new KouanError('LEDGER_ACCOUNT_INVALID', { params: { count: errors.length }, errors });
    if (!(await this.repository.setStatus(trx, closure.number, ['active'], 'closed', at))) throw new KouanError('LEDGER_ACCOUNT_STATE', { params: { number: closure.number, status: account.status, action: 'closed' } });
    await this.repository.appendEntry(trx, entry(`${closure.number}:close`, closure.number, 'close', actor, at));
  }

  /**
   * Holds the planned quantities for a submission, inside the caller's transaction. Every change is a guarded
   * update, so when a concurrent submission took the balance first this one fails with the code of the problem
   * and the caller's transaction (with the submission) rolls back.
   */
  async reserve(trx: Transaction<Database>, submissionId: string, plan: readonly PlannedReservation[], actor: string, at: string): Promise<void> {
    if (plan.length === 0) return;
    const expiresAt = new Date(Date.parse(at) + this.options.reservationTtlMs).toISOString();
    const accounts = await this.repository.lockAccounts(trx, plan.map((item) => item.accountNumber));
    const errors: FieldError[] = [];
    for (const account of accounts) {
      if (await this.repository.takeUse(trx, account.number, at)) continue;
      const path = plan.find((item) => item.accountNumber === account.number)?.path ?? '$';
      errors.push({ path, ...usageProblem(account) });
    }
    if (errors.length > 0) throw new KouanError('SUBMISSION_INVALID', { params: { count: errors.length }, errors });

    // The lock order (see LOCK ORDER above): accounts were locked first; now the lines, by account and line.
    const ordered = [...plan].sort((a, b) => (a.accountNumber === b.accountNumber ? a.lineNo - b.lineNo : a.accountNumber < b.accountNumber ? -1 : 1));
    const reservations: ReservationRow[] = [];
    for (const item of ordered) {
      if (!(await this.repository.reserveOnLine(trx, item.accountNumber, item.lineNo, item.quantity, item.side))) {
        const amounts = { number: item.accountNumber, lineNo: item.lineNo, requested: fromScaled(BigInt(item.quantity), SCALE), unit: '' };
        errors.push(
          item.side === 'credit'
            ? { path: item.path, code: 'LEDGER_INSUFFICIENT_BALANCE', params: { ...amounts, remaining: 'less than that' } }
            : { path: item.path, code: 'LEDGER_INSUFFICIENT_STOCK', params: { ...amounts, stock: 'less than that' } },
        );
        continue;
      }
      reservations.push({
        id: newId('rsv'),
        account_number: item.accountNumber,
        line_no: item.lineNo,
        submission_id: submissionId,
        path: item.path,
        side: item.side,
        quantity: item.quantity,
        status: 'pending',
        expires_at: expiresAt,
        created_at: at,
        updated_at: at,
        write_off: item.writeOff ?? null,
      });
    }
    if (errors.length > 0) throw new KouanError('SUBMISSION_INVALID', { params: { count: errors.length }, errors });
    await this.repository.insertReservations(trx, reservations);
    await this.repository.appendEntries(
      trx,
      reservations.map((reservation) => ({ ...reservationEntry(reservation, 'reserve', actor, at), submission_id: submissionId })),
    );
  }

  /** Writes off what a released submission holds. A retry changes nothing; a lapsed hold refuses the release. */
  async writeOff(trx: Transaction<Database>, submissionId: string, actor: string, at: string): Promise<void> {
    const cited = await this.repository.reservationsOf(submissionId, trx);
    if (cited.length === 0) return;
    let reservations = cited;
    if (this.repository.locksRows) {
      await this.repository.lockAccounts(trx, cited.map((reservation) => reservation.account_number));
      // Read again under the account locks: a suspension, revocation or expiry that committed while this waited
      // has settled some of them, and none can settle them now until this commits.
      reservations = await this.repository.reservationsOf(submissionId, trx);
    }
    const lapsed = reservations.find((reservation) => reservation.status === 'voided' || reservation.status === 'expired');
    if (lapsed !== undefined) throw new KouanError('LEDGER_RESERVATION_LAPSED', { params: { account: lapsed.account_number }, extra: { account: lapsed.account_number, state: lapsed.status } });
    const pending = reservations.filter((candidate) => candidate.status === 'pending');
    // One insert of the post entries; a hold whose entry exists was written off by an earlier try of this one.
    const entries = pending.map((reservation) => reservationEntry(reservation, 'post', actor, at));
    const appended = await this.repository.appendEntries(trx, entries);
    for (const [index, reservation] of pending.entries()) {
      if (!appended.has(entries[index]?.entry_id ?? '')) continue;
      // Cannot happen while every writer locks the account first; kept as a guard, not as a control flow.
      if (!(await this.repository.settleReservation(trx, reservation.id, 'posted', at))) {
        throw new KouanError('LEDGER_RESERVATION_LAPSED', { params: { account: reservation.account_number }, extra: { account: reservation.account_number } });
      }
      if (!(await this.repository.postOnLine(trx, reservation.account_number, reservation.line_no, reservation.quantity, side(reservation)))) {
        throw new Error(`reservation ${reservation.id} could not be written off`);
      }
    }
  }

  /** Releases what a rejected, refused or cancelled submission holds. */
  async voidReservations(trx: Transaction<Database>, submissionId: string, actor: string, reason: StoredReason, at: string): Promise<void> {
    const pending = (await this.repository.reservationsOf(submissionId, trx)).filter((reservation) => reservation.status === 'pending');
    await this.release(trx, pending, 'voided', actor, reason, at);
  }

  /**
   * Gives back what a document's earlier version holds when an approved amendment's new version takes its place
   * (the new holds are reserved next, in the same transaction): void entries, the holds marked superseded, so that
   * the release of the new version does not take them for lapsed ones.
   */
  async supersede(trx: Transaction<Database>, submissionId: string, actor: string, reason: StoredReason, at: string): Promise<void> {
    const pending = (await this.repository.reservationsOf(submissionId, trx)).filter((reservation) => reservation.status === 'pending');
    await this.release(trx, pending, 'superseded', actor, reason, at);
  }

  /**
   * Undoes what a release wrote off, when an approved withdrawal or amendment of the released document takes it
   * back (修改/撤销 after release): a `reverse` entry per posted hold, the quantity back on its line, the hold
   * marked reversed and the use given back. A manual's import whose material exports have since consumed cannot
   * be reversed: LEDGER_REVERSAL_REFUSED, and the decision changes nothing.
   */
  async reverse(trx: Transaction<Database>, submissionId: string, actor: string, reason: StoredReason, at: string): Promise<number> {
    const posted = (await this.repository.reservationsOf(submissionId, trx)).filter((reservation) => reservation.status === 'posted');
    if (posted.length === 0) return 0;
    // The lock order (see LOCK ORDER above): the accounts first, then the reservations in the order given.
    await this.repository.lockAccounts(trx, posted.map((reservation) => reservation.account_number));
    let reversed = 0;
    for (const reservation of posted) {
      if (!(await this.repository.reverseReservation(trx, reservation.id, at))) continue;
      reversed += 1;
      await this.repository.appendEntry(trx, { ...reservationEntry(reservation, 'reverse', actor, at), ...storedReason(reason) });
      if (!(await this.repository.unpostOnLine(trx, reservation.account_number, reservation.line_no, reservation.quantity, side(reservation)))) {
        throw new KouanError('LEDGER_REVERSAL_REFUSED', { params: { account: reservation.account_number, line: reservation.line_no }, extra: { account: reservation.account_number, line: reservation.line_no } });
      }
      if (!(await this.repository.holdsAccount(trx, reservation.submission_id, reservation.account_number))) await this.repository.returnUse(trx, reservation.account_number, at);
    }
    return reversed;
  }

  /** Expires reservations whose hold ran out; returns how many. */
  async expireDue(now: Date = new Date()): Promise<number> {
    const due = await this.repository.dueReservations(now.toISOString(), 200);
    if (due.length === 0) return 0;
    return this.repository.transaction((trx) => this.release(trx, due, 'expired', 'kouan', systemReason('HOLD_EXPIRED'), nowIso()));
  }

  /** Starts expiring reservations in the background, and loads Kouan's ledger key for `issueOnApproval`. */
  start(intervalMs = 60_000): void {
    if (this.timer !== undefined) return;
    this.preparePlatformKey().catch((error: unknown) => {
      this.platformKey = undefined;
      this.logger.error({ err: error }, "Kouan's ledger key could not be loaded; accounts opened on approval will fail until it is");
    });
    this.timer = setInterval(() => {
      if (this.sweeping !== undefined) return;
      this.sweeping = this.expireDue()
        .catch((error: unknown) => this.logger.error({ err: error }, 'ledger expiry failed; will retry'))
        .finally(() => (this.sweeping = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** Replays every entry and checks each stored balance, reservation and signature against it. */
  async audit(): Promise<LedgerAudit> {
    const problems: string[] = [];
    const replayed = new Map<string, Balance>();
    const reservationState = new Map<string, string>();
    const extensions = new Map<string, number>();
    let count = 0;
    for (let after = 0; ; ) {
      const page = await this.repository.entriesPage(after, 5000);
      if (page.length === 0) break;
      for (const row of page) {
        count += 1;
        after = row.seq;
        if (row.kind === 'extend') extensions.set(row.account_number, (extensions.get(row.account_number) ?? 0) + 1);
        if (row.line_no === null || row.quantity === null) continue;
        const key = `${row.account_number}#${row.line_no}`;
        const balance = replayed.get(key) ?? emptyBalance();
        const quantity = BigInt(row.quantity);
        const held = row.side === 'debit' ? 'debitReserved' : 'reserved';
        const done = row.side === 'debit' ? 'debitPosted' : 'posted';
        if (row.kind === 'reserve') balance[held] += quantity;
        if (row.kind === 'post') {
          balance[held] -= quantity;
          balance[done] += quantity;
        }
        if (row.kind === 'void' || row.kind === 'expire') balance[held] -= quantity;
        if (row.kind === 'reverse') balance[done] -= quantity;
        replayed.set(key, balance);
        if (row.reservation_id !== null) reservationState.set(row.reservation_id, row.kind);
      }
    }
    const lines = await this.repository.allLines();
    const accounts = await this.repository.allAccounts();
    const typeOf = new Map(accounts.map((account) => [account.number, account.type]));
    for (const line of lines) {
      const balance = replayed.get(`${line.account_number}#${line.line_no}`) ?? emptyBalance();
      const stored: Balance = { reserved: BigInt(line.reserved), posted: BigInt(line.posted), debitReserved: BigInt(line.debit_reserved), debitPosted: BigInt(line.debit_posted) };
      for (const name of ['reserved', 'posted', 'debitReserved', 'debitPosted'] as const) {
        if (balance[name] !== stored[name]) {
          problems.push(`${line.account_number} line ${line.line_no}: stored ${name} ${fromScaled(stored[name], SCALE)}, the entries give ${fromScaled(balance[name], SCALE)}`);
        }
      }
      if (line.reserved < 0 || line.posted < 0 || line.reserved + line.posted > line.ceiling) problems.push(`${line.account_number} line ${line.line_no}: reserved + posted exceeds the ceiling or is negative`);
      const type = typeOf.get(line.account_number);
      if (type !== undefined) problems.push(...modelOf(type).auditLine(line));
    }
    const byAccount = new Map<string, LineRow[]>();
    for (const line of lines) byAccount.set(line.account_number, [...(byAccount.get(line.account_number) ?? []), line]);
    for (const account of accounts) {
      const check = await this.signer.verify(account.signature);
      if (!check.valid || canonicalJson(check.payload) !== account.document || !matchesDocument(account, byAccount.get(account.number) ?? [])) {
        problems.push(`${account.number}: the record does not match its signature`);
      }
      if (account.signature_sm2 !== null) {
        const problem = await this.sm2Problem(account);
        if (problem !== undefined) problems.push(`${account.number}: its SM2 signature ${problem}`);
      }
      if ((extensions.get(account.number) ?? 0) !== account.extensions) {
        problems.push(`${account.number}: ${account.extensions} extensions stored, the entries give ${extensions.get(account.number) ?? 0}`);
      }
    }
    const statusAfter: Readonly<Record<string, string>> = { reserve: 'pending', post: 'posted', void: 'voided', expire: 'expired', reverse: 'reversed' };
    for (const reservation of await this.repository.allReservations()) {
      const last = reservationState.get(reservation.id);
      // A hold an amendment's new version replaced was voided as any other, and is marked superseded.
      const after = last === 'void' && reservation.status === 'superseded' ? 'superseded' : last === undefined ? undefined : statusAfter[last];
      if (after !== reservation.status) {
        problems.push(`reservation ${reservation.id}: status ${reservation.status}, but its entries end with ${last ?? 'nothing'}`);
      }
    }
    return { accounts: accounts.length, lines: lines.length, entries: count, problems };
  }

  private referenceProblem(
    reference: { type: string; number: string },
    account: AccountRow,
    claim: LedgerClaim,
    date: string,
    authentic: boolean,
  ): Omit<FieldError, 'path'> | undefined {
    const number = account.number;
    if (!authentic) return { code: 'LEDGER_SIGNATURE_BROKEN', params: { number } };
    if (account.type !== reference.type) return { code: 'LEDGER_TYPE_MISMATCH', params: { number, actual: account.type, expected: reference.type } };
    if (account.status === 'closed') return { code: 'LEDGER_ACCOUNT_CLOSED', params: { number } };
    if (account.status === 'revoked') return { code: 'LEDGER_ACCOUNT_REVOKED', params: { number } };
    if (account.status === 'suspended') return { code: 'LEDGER_ACCOUNT_SUSPENDED', params: { number } };
    if (!modelOf(account.type).acceptsDirection(account.direction, claim.direction)) return { code: 'LEDGER_DIRECTION_MISMATCH', params: { number, expected: account.direction, actual: claim.direction } };
    // Only the caller's own account gets here held by someone other than the trader.
    if (account.holder !== claim.holder) return { code: 'LEDGER_HOLDER_MISMATCH', params: { number, holder: account.holder, trader: claim.holder ?? '-' } };
    if (date < account.valid_from || date > account.valid_to) return { code: 'LEDGER_NOT_VALID_ON_DATE', params: { number, validFrom: account.valid_from, validTo: account.valid_to, date } };
    const ports = (JSON.parse(account.document) as SignedAccount).ports;
    if (ports.length > 0 && (claim.port === undefined || !ports.includes(claim.port))) return { code: 'LEDGER_PORT_NOT_ALLOWED', params: { number, port: claim.port ?? '-', ports: ports.join(', ') } };
    if (account.max_uses !== null && account.uses >= account.max_uses) return { code: 'LEDGER_USES_EXHAUSTED', params: { number, uses: account.uses, maxUses: account.max_uses } };
    // Which lines the claim takes, and whether it can, is the model's to say (verifyClaim).
    return undefined;
  }

  /** Gives held quantities back; returns how many reservations it settled (another writer may have been first). */
  private async release(trx: Transaction<Database>, reservations: readonly ReservationRow[], to: 'voided' | 'expired' | 'superseded', actor: string, reason: StoredReason, at: string): Promise<number> {
    if (reservations.length === 0) return 0;
    // The lock order (see LOCK ORDER above): the accounts first, then the reservations in the order given.
    await this.repository.lockAccounts(trx, reservations.map((reservation) => reservation.account_number));
    const kind: EntryKind = to === 'expired' ? 'expire' : 'void';
    let settled = 0;
    for (const reservation of reservations) {
      if (!(await this.repository.settleReservation(trx, reservation.id, to, at))) continue;
      settled += 1;
      await this.repository.appendEntry(trx, { ...reservationEntry(reservation, kind, actor, at), ...storedReason(reason) });
      if (!(await this.repository.unreserveOnLine(trx, reservation.account_number, reservation.line_no, reservation.quantity, side(reservation)))) throw new Error(`reservation ${reservation.id} was not held on its line`);
      // A submission took one use of each account it cites; it gives it back with its last live reservation there.
      if (!(await this.repository.holdsAccount(trx, reservation.submission_id, reservation.account_number))) await this.repository.returnUse(trx, reservation.account_number, at);
    }
    return settled;
  }

  private async changeStatus(
    caller: Principal,
    number: string,
    reason: string,
    change: { from: readonly AccountStatus[]; to: AccountStatus; kind: EntryKind; action: string; voidWith?: 'ACCOUNT_REVOKED' | 'ACCOUNT_SUSPENDED' },
  ): Promise<AccountView> {
    // Agencies, and carriers for the bills they recorded; no other enterprise ever changes an account.
    authorize(caller, 'ledger.issue');
    await this.repository.transaction(async (trx) => {
      const [account] = await this.repository.lockAccounts(trx, [number]);
      if (account === undefined || !seesAccount(caller, accountParties(account))) throw new KouanError('NOT_FOUND');
      if (account.issuer !== caller.partyId) throw new KouanError('FORBIDDEN');
      const at = nowIso();
      if (!(await this.repository.setStatus(trx, number, change.from, change.to, at))) {
        throw new KouanError('LEDGER_ACCOUNT_STATE', { params: { number, status: account.status, action: change.action } });
      }
      await this.repository.appendEntry(trx, { ...entry(`${number}:${change.kind}:${newId('e')}`, number, change.kind, caller.partyId, at), reason });
      if (change.voidWith !== undefined) {
        await this.release(trx, await this.repository.pendingReservationsOfAccount(trx, number), 'voided', caller.partyId, systemReason(change.voidWith, { reason }), at);
      }
    });
    return this.get(caller, number);
  }

  private async visibleAccount(caller: Principal, number: string): Promise<AccountWithLines> {
    const found = await this.repository.findAccount(number);
    if (found === undefined) throw new KouanError('NOT_FOUND');
    const { account } = found;
    if (!seesAccount(caller, accountParties(account))) throw new KouanError('NOT_FOUND');
    return found;
  }

  /**
   * What is wrong with an account's stored SM2 signature, checked as the Ed25519 one is (typ, key purpose,
   * issuer, content) and, beside, that it is SM2 at all: an SM2-only verifier can do nothing with another copy.
   */
  private async sm2Problem(account: AccountRow): Promise<string | undefined> {
    const check = await this.signer.verify(account.signature_sm2 ?? '');
    if (!check.valid) return `does not verify: ${check.reason}`;
    const mismatch = sm2Mismatch(check, { issuer: account.issuer, content: account.document });
    switch (mismatch?.rule) {
      case undefined:
        return undefined;
      case 'alg':
        return `is made with ${mismatch.alg}, not SM2`;
      case 'issuer':
        return `is by ${mismatch.issuer}, the account's issuer is ${account.issuer}`;
      case 'content':
        return 'signs other content than the record';
    }
  }

  private replayIssue(existing: AccountWithLines, request: SignedAccount): AccountView {
    const stored = JSON.parse(existing.account.document) as SignedAccount;
    const same = canonicalJson({ ...stored, issuedAt: '' }) === canonicalJson({ ...request, issuedAt: '' });
    if (!same) throw new KouanError('LEDGER_ACCOUNT_EXISTS', { params: { number: request.number } });
    return accountView(existing);
  }
}

/** Whether the type names this issuer: an agency by its code, any carrier for its own bills, Kouan on an approval. */
function namesIssuer(type: AccountType, issuer: IssuingParty): boolean {
  switch (issuer.kind) {
    case 'agency':
      return type.issuers.includes(issuer.party);
    case 'carrier':
      return type.issuers.includes(CARRIER_ISSUER);
    case 'platform':
      return type.issuers.includes(PLATFORM_ISSUER);
  }
}

function checkAgainstType(type: AccountType, issuer: IssuingParty, request: IssueAccountRequest, errors: FieldError[]): void {
  if (!namesIssuer(type, issuer)) errors.push({ path: '$.type', code: 'LEDGER_ISSUER_NOT_ALLOWED', params: { issuer: issuer.party, type: type.id, issuers: type.issuers.join(', ') } });
  if (!type.directions.includes(request.direction)) errors.push({ path: '$.direction', code: 'LEDGER_DIRECTION_NOT_ALLOWED', params: { type: type.id, direction: request.direction } });
  if (type.use === 'single' && request.maxUses !== undefined && request.maxUses !== 1) errors.push({ path: '$.maxUses', code: 'LEDGER_SINGLE_USE', params: { type: type.id } });
  if (request.tolerancePct !== undefined) {
    const tolerance = parseDecimal(request.tolerancePct, { integer: 3, scale: 2 });
    if (tolerance.ok && toScaled(tolerance.value, 2) > toScaled(type.maxTolerancePct, 2)) errors.push({ path: '$.tolerancePct', code: 'LEDGER_TOLERANCE_TOO_HIGH', params: { type: type.id, max: type.maxTolerancePct } });
  }
  for (const attribute of type.attributes ?? []) {
    const value = request.attributes?.[attribute.name];
    if ((value === undefined && attribute.required) || (value !== undefined && !attribute.allowed.includes(value))) {
      errors.push({ path: `$.attributes.${attribute.name}`, code: 'LEDGER_ATTRIBUTE_INVALID', params: { name: attribute.name, allowed: attribute.allowed.join(', ') } });
    }
  }
  for (const name of Object.keys(request.attributes ?? {})) {
    if (!(type.attributes ?? []).some((attribute) => attribute.name === name)) errors.push({ path: `$.attributes.${name}`, code: 'FIELD_UNKNOWN', params: { field: name } });
  }
}

/** The model of an account type; a type no longer in the table is read as the quantity model it was. */
function modelOf(typeId: string): LedgerModel {
  return ledgerModel(accountType(typeId)?.model ?? 'quantity');
}

/** The last day of validity after `extensions` extensions of a deadline, each from the one before. */
function extendedValidTo(validTo: string, deadline: Deadline | undefined, extensions: number): string {
  let day = validTo;
  for (let done = 0; deadline !== undefined && done < extensions; done += 1) day = addMonths(day, deadline.extensionMonths);
  return day;
}

/** granted × (100 + tolerance%) / 100, rounded down, in the same scale. */
function ceilingOf(granted: bigint, tolerancePct: string): bigint {
  return (granted * (10000n + toScaled(tolerancePct, 2))) / 10000n;
}

function isDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** The stored columns still say what the signed document says. */
function matchesDocument(account: AccountRow, lines: readonly LineRow[]): boolean {
  const signed = JSON.parse(account.document) as SignedAccount;
  const model = modelOf(account.type);
  const drafts = model.lines(signed);
  return (
    signed.number === account.number &&
    signed.type === account.type &&
    signed.issuer === account.issuer &&
    signed.holder === account.holder &&
    signed.direction === account.direction &&
    signed.validFrom === account.valid_from &&
    extendedValidTo(account.entered_on === null || model.deadline === undefined ? signed.validTo : addMonths(account.entered_on, model.deadline.months), model.deadline, account.extensions) === account.valid_to &&
    signed.maxUses === account.max_uses &&
    drafts.length === lines.length &&
    drafts.every((line) => {
      const stored = lines.find((candidate) => candidate.line_no === line.lineNo);
      return stored !== undefined && stored.key === line.key && stored.hs_code === line.hsCode && stored.unit === line.unit && BigInt(stored.granted) === line.granted && BigInt(stored.ceiling) === ceilingOf(line.granted, signed.tolerancePct);
    })
  );
}

interface Balance {
  reserved: bigint;
  posted: bigint;
  debitReserved: bigint;
  debitPosted: bigint;
}

function emptyBalance(): Balance {
  return { reserved: 0n, posted: 0n, debitReserved: 0n, debitPosted: 0n };
}

/** The stored status of a reservation as its holder reads it: a pending one is "reserved". */
function reservationState(status: string): ReservationState {
  switch (status) {
    case 'pending':
      return 'reserved';
    case 'posted':
    case 'voided':
    case 'expired':
    case 'superseded':
    case 'reversed':
      return status;
    default:
      throw new Error(`reservation status ${status} is unknown`);
  }
}

function writeOffKind(stored: string): WriteOffKind {
  const kind = WRITE_OFF_KINDS.find((candidate) => candidate === stored);
  if (kind === undefined) throw new Error(`write-off kind ${stored} is unknown`);
  return kind;
}

function side(reservation: ReservationRow): Side {
  return reservation.side === 'debit' ? 'debit' : 'credit';
}

/** What a line can still give: granted headroom (credit) or imported stock not yet consumed (debit). */
function availableOn(line: LineRow, on: Side): bigint {
  return on === 'credit'
    ? BigInt(line.ceiling) - BigInt(line.reserved) - BigInt(line.posted)
    : BigInt(line.posted) - BigInt(line.debit_reserved) - BigInt(line.debit_posted);
}

function reservationEntry(reservation: ReservationRow, kind: EntryKind, actor: string, at: string): NewEntry {
  return {
    ...entry(`${reservation.id}:${kind}`, reservation.account_number, kind, actor, at),
    side: reservation.side,
    line_no: reservation.line_no,
    quantity: reservation.quantity,
    reservation_id: reservation.id,
    submission_id: reservation.submission_id,
    write_off: reservation.write_off,
  };
}

function usageProblem(account: AccountRow): Omit<FieldError, 'path'> {
  if (account.status === 'closed') return { code: 'LEDGER_ACCOUNT_CLOSED', params: { number: account.number } };
  if (account.status === 'revoked') return { code: 'LEDGER_ACCOUNT_REVOKED', params: { number: account.number } };
  if (account.status === 'suspended') return { code: 'LEDGER_ACCOUNT_SUSPENDED', params: { number: account.number } };
  return { code: 'LEDGER_USES_EXHAUSTED', params: { number: account.number, uses: account.uses, maxUses: account.max_uses ?? 0 } };
}

function entry(entryId: string, accountNumber: string, kind: EntryKind, actor: string, at: string): NewEntry {
  return { entry_id: entryId, account_number: accountNumber, line_no: null, kind, side: null, quantity: null, reservation_id: null, submission_id: null, actor, reason: null, reason_code: null, reason_params: null, at, write_off: null };
}

/** A reason Kouan wrote, as an entry stores it: the English text, and the code and parameters to word it again. */
function storedReason(reason: StoredReason): Pick<NewEntry, 'reason' | 'reason_code' | 'reason_params'> {
  return { reason: reason.message, reason_code: reason.code ?? null, reason_params: reason.params === undefined ? null : JSON.stringify(reason.params) };
}

/**
 * An entry's reason in the reader's language. Kouan's own reasons are worded from their code; those stored before
 * codes were kept (void and expire entries only: Kouan wrote every one of them) are recognised from their English.
 * An officer's reason for revoking, suspending or reinstating is their own words, shown as written.
 */
function entryReason(row: EntryRow, language: Language): { reason: string | null; reasonCode?: string } {
  if (row.reason === null) return { reason: null };
  const stored: StoredReason | undefined =
    row.reason_code !== null
      ? { code: row.reason_code, message: row.reason, ...(row.reason_params === null ? {} : { params: JSON.parse(row.reason_params) as Record<string, string> }) }
      : row.kind === 'void' || row.kind === 'expire'
        ? recognise(row.reason)
        : undefined;
  if (stored?.code === undefined) return { reason: row.reason };
  const [worded] = wordReasons([stored], language);
  return { reason: worded?.message ?? row.reason, reasonCode: stored.code };
}

/** The parties and tenant of a stored account, as the ledger's visibility policy reads them. */
function accountParties(account: AccountRow): { holder: string; issuer: string; tenant: string } {
  return { holder: account.holder, issuer: account.issuer, tenant: account.tenant_id };
}

function accountView({ account, lines }: AccountWithLines): AccountView {
  const signed = JSON.parse(account.document) as SignedAccount;
  const type = accountType(account.type);
  const model = modelOf(account.type);
  return {
    number: account.number,
    type: account.type,
    model: model.id,
    issuer: account.issuer,
    holder: account.holder,
    direction: account.direction,
    validFrom: account.valid_from,
    validTo: account.valid_to,
    ports: [...signed.ports],
    maxUses: account.max_uses,
    uses: account.uses,
    tolerancePct: signed.tolerancePct,
    attributes: { ...signed.attributes },
    status: account.status,
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      ...(line.hs_code === null ? {} : { hsCode: line.hs_code }),
      unit: line.unit,
      quantity: fromScaled(BigInt(line.granted), SCALE),
      ceiling: fromScaled(BigInt(line.ceiling), SCALE),
      reserved: fromScaled(BigInt(line.reserved), SCALE),
      posted: fromScaled(BigInt(line.posted), SCALE),
      remaining: fromScaled(availableOn(line, 'credit'), SCALE),
      ...model.lineView(line, signed),
    })),
    ...(signed.products === undefined ? {} : { products: signed.products.map((product) => ({ ...product, consumption: product.consumption.map((entry) => ({ ...entry })) })) }),
    ...(signed.carnet === undefined ? {} : { carnet: signed.carnet }),
    ...(signed.vouchers === undefined ? {} : { vouchers: [...signed.vouchers] }),
    ...(type === undefined || model.deadline === undefined ? {} : { deadline: account.valid_to, extensions: account.extensions, enteredOn: account.entered_on }),
    signature: account.signature,
    ...(account.signature_sm2 === null ? {} : { signatureSm2: account.signature_sm2 }),
    issuedAt: account.issued_at,
    updatedAt: account.updated_at,
  };
}

function entryView(row: EntryRow, language: Language): EntryView {
  return {
    seq: row.seq,
    entryId: row.entry_id,
    kind: row.kind,
    lineNo: row.line_no,
    quantity: row.quantity === null ? null : fromScaled(BigInt(row.quantity), SCALE),
    reservationId: row.reservation_id,
    submissionId: row.submission_id,
    ...(row.write_off === null ? {} : { writeOff: writeOffKind(row.write_off) }),
    actor: row.actor,
    ...entryReason(row, language),
    at: row.at,
  };
}

export { verifyCopy };
