/**
 * The reasons Kouan itself writes (a cancellation by the declarant, the parts closed when one agency rejects or
 * refuses, a ledger hold given back or lapsed): stored with their code and parameters, and worded at the answer in
 * the caller's language. An agency's or officer's own words are shown as they wrote them.
 */
import { fill, type Language } from './errors.js';

export const SYSTEM_REASONS = {
  CANCELLED_BY_DECLARANT: { en: 'Cancelled by {party}', zh: '已由申报人 {party} 撤销' },
  SUBMISSION_REJECTED: { en: 'rejected by {agency}', zh: '{agency} 已退单' },
  GOODS_REFUSED: { en: 'refused by {agency}', zh: '{agency} 已拒绝货物入境' },
  HOLD_EXPIRED: { en: 'no decision before the hold expired', zh: '保留期届满前未作出决定' },
  ACCOUNT_REVOKED: { en: 'account revoked: {reason}', zh: '账户已撤销：{reason}' },
  ACCOUNT_SUSPENDED: { en: 'account suspended: {reason}', zh: '账户已暂停：{reason}' },
  WITHDRAWN_ON_REQUEST: { en: 'withdrawn at the request of {party}, approved by every agency that had taken it in', zh: '应 {party} 申请撤销，已受理的部门均已同意' },
  AMENDED: { en: 'replaced by version {version} of the document', zh: '已由单证第 {version} 版替换' },
  AMENDMENT_REMOVED_PART: { en: 'version {version} of the document no longer goes to this agency', zh: '单证第 {version} 版不再报送本部门' },
} as const satisfies Record<string, Readonly<Record<Language, string>>>;
export type SystemReasonCode = keyof typeof SYSTEM_REASONS;

/** A reason as shown: a code when it has one, its words, and the field it concerns. */
export interface Reason {
  code?: string;
  message: string;
  path?: string;
}

/** A reason as stored: a system reason keeps its parameters, so it can be worded in any language later. */
export type StoredReason = Reason & { params?: Record<string, string> };

/** A system reason, its message in English (the stored default) and its parameters. */
export function systemReason(code: SystemReasonCode, params: Record<string, string> = {}): StoredReason & { code: SystemReasonCode } {
  return { code, message: fill(SYSTEM_REASONS[code].en, params), params };
}

/** Reasons as the caller reads them: system reasons in their language, every reason without its stored parameters. */
export function wordReasons<R extends StoredReason>(reasons: readonly R[], language: Language): Omit<R, 'params'>[] {
  return reasons.map((reason) => {
    const { params, ...shown } = reason;
    const template = isSystemReason(reason.code) ? SYSTEM_REASONS[reason.code] : undefined;
    const known = template === undefined ? undefined : (params ?? paramsFromEnglish(template.en, reason.message));
    return template === undefined || known === undefined ? shown : { ...shown, message: fill(template[language], known) };
  });
}

/**
 * The system reason an English message was written from, for rows stored before their code was kept: the first
 * template the whole message matches, with the parameters read back. Only for text Kouan wrote itself; an agency's
 * words that happen to read like a template are not Kouan's reason.
 */
export function recognise(message: string): StoredReason | undefined {
  for (const code of Object.keys(SYSTEM_REASONS) as SystemReasonCode[]) {
    const params = paramsFromEnglish(SYSTEM_REASONS[code].en, message);
    if (params !== undefined) return { code, message, params };
  }
  return undefined;
}

/** The parts and history of a submission view with their reasons worded for the caller. */
export function wordSubmission<T extends { parts: readonly { reasons: readonly Reason[] }[]; history?: readonly { reasons: readonly Reason[] }[] }>(view: T, language: Language): T {
  const parts = view.parts.map((part) => ({ ...part, reasons: wordReasons(part.reasons, language) }));
  const history = view.history?.map((entry) => ({ ...entry, reasons: wordReasons(entry.reasons, language) }));
  return history === undefined ? { ...view, parts } : { ...view, parts, history };
}

function isSystemReason(code: string | undefined): code is SystemReasonCode {
  return code !== undefined && Object.hasOwn(SYSTEM_REASONS, code);
}

/** The parameters of a reason stored before they were kept: read back from its English message, when it is the template's. */
function paramsFromEnglish(template: string, message: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '(.+)';
  });
  const match = new RegExp(`^${pattern}$`, 's').exec(message);
  if (match === null) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
}
