/**
 * The reasons Kouan itself writes (a cancellation by the declarant, the parts closed when one agency rejects or
 * refuses): stored with their code and parameters, and worded at the answer in the caller's language. An agency's
 * own reasons are its words and are shown as it wrote them.
 */
import { fill, type Language } from '../../shared/errors.js';
import type { Reason } from './submissions.schema.js';

export const SYSTEM_REASONS = {
  CANCELLED_BY_DECLARANT: { en: 'Cancelled by {party}', zh: '已由申报人 {party} 撤销' },
  SUBMISSION_REJECTED: { en: 'rejected by {agency}', zh: '{agency} 已退单' },
  GOODS_REFUSED: { en: 'refused by {agency}', zh: '{agency} 已拒绝货物入境' },
} as const satisfies Record<string, Readonly<Record<Language, string>>>;
export type SystemReasonCode = keyof typeof SYSTEM_REASONS;

/** A reason as stored: a system reason keeps its parameters, so it can be worded in any language later. */
export type StoredReason = Reason & { params?: Record<string, string> };

/** A system reason, its message in English (the stored default) and its parameters. */
export function systemReason(code: SystemReasonCode, params: Record<string, string>): StoredReason {
  return { code, message: fill(SYSTEM_REASONS[code].en, params), params };
}

/** Reasons as the caller reads them: system reasons in their language, every reason without its stored parameters. */
export function wordReasons(reasons: readonly StoredReason[], language: Language): Reason[] {
  return reasons.map((reason) => {
    const { params, ...shown } = reason;
    const template = reason.code !== undefined && Object.hasOwn(SYSTEM_REASONS, reason.code) ? SYSTEM_REASONS[reason.code as SystemReasonCode] : undefined;
    const known = template === undefined ? undefined : (params ?? paramsFromEnglish(template.en, reason.message));
    return template === undefined || known === undefined ? shown : { ...shown, message: fill(template[language], known) };
  });
}

/** The parts and history of a submission view with their reasons worded for the caller. */
export function wordSubmission<T extends { parts: readonly { reasons: readonly Reason[] }[]; history?: readonly { reasons: readonly Reason[] }[] }>(view: T, language: Language): T {
  const parts = view.parts.map((part) => ({ ...part, reasons: wordReasons(part.reasons, language) }));
  const history = view.history?.map((entry) => ({ ...entry, reasons: wordReasons(entry.reasons, language) }));
  return history === undefined ? { ...view, parts } : { ...view, parts, history };
}

/** The parameters of a reason stored before they were kept: read back from its English message, when it is the template's. */
function paramsFromEnglish(template: string, message: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '(.+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(message);
  if (match === null) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
}
