/**
 * The one way a form files a document, for the goods declaration's tailored form and every schema-made one:
 * validation as the person types, which errors to show where, saving a draft, and submitting with an
 * idempotency key (a new one whenever the document or its files change) and the files the document carries.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import { api, type ApiError } from '../api/client';
import { drafts } from '../api/drafts';
import { declarationNumber, type AttachedFile, type CreatedSubmission, type FieldProblem } from '../api/types';
import { asApiError } from '../api/use-resource';
import { useAnnounce } from '../components/layout';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../router/router';
import type { Checks } from './checks';
import { related } from './declaration.model';
import { useValidation, type Validation } from './use-validation';

/** An idempotency key; getRandomValues works on plain-HTTP development hosts too, unlike randomUUID. */
const randomKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

export interface DraftState {
  readonly id: string;
  readonly etag: string | undefined;
  readonly savedAt: string;
  /** The files the draft was saved with, for an editor opening it. */
  readonly files?: readonly AttachedFile[] | undefined;
}

export interface FilingOptions {
  readonly docType: string;
  readonly document: unknown;
  readonly files: readonly AttachedFile[];
  readonly draftTitle: string;
  readonly draft: DraftState | undefined;
  readonly setDraft: (draft: DraftState) => void;
}

export interface Filing {
  readonly validation: Validation;
  readonly errors: readonly FieldProblem[];
  readonly checks: Checks;
  readonly showAll: boolean;
  readonly setShowAll: (showAll: boolean) => void;
  readonly actionError: { readonly what: string; readonly error: ApiError } | undefined;
  readonly busy: 'saving' | 'submitting' | undefined;
  readonly saved: boolean;
  /** The submit bar, focused when a submit is refused so the summary is read out. */
  readonly summary: RefObject<HTMLDivElement | null>;
  readonly saveDraft: () => Promise<void>;
  readonly submit: (event: FormEvent) => Promise<void>;
  /** The submission this editor amends (?amends=), whose agencies are asked instead of filing anew. */
  readonly amends: string | undefined;
  readonly reason: string;
  readonly setReason: (reason: string) => void;
}

export function useFiling({ docType, document, files, draftTitle, draft, setDraft }: FilingOptions): Filing {
  const { t, count, dateTime } = useI18n();
  const announce = useAnnounce();
  const attachments = useMemo(() => files.map(({ kind, sha256, name }) => ({ kind, sha256, name })), [files]);
  const validation = useValidation(docType, document, attachments);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [submitErrors, setSubmitErrors] = useState<readonly FieldProblem[] | undefined>(undefined);
  const [actionError, setActionError] = useState<{ readonly what: string; readonly error: ApiError } | undefined>(undefined);
  const [busy, setBusy] = useState<'saving' | 'submitting' | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const idempotencyKey = useRef<string>(randomKey());
  const summary = useRef<HTMLDivElement>(null);
  const amends = useLocation().query.get('amends') ?? undefined;
  const [reason, setReason] = useState('');

  // A changed document is a new request: it needs its own idempotency key, and the last submit's answer is stale.
  const requestText = JSON.stringify([document, attachments]);
  useEffect(() => {
    idempotencyKey.current = randomKey();
    setSubmitErrors(undefined);
    setSaved(false);
  }, [requestText]);

  const errors = submitErrors ?? validation.answer?.errors ?? [];
  const touch = useCallback((path: string) => setTouched((previous) => (previous.has(path) ? previous : new Set(previous).add(path))), []);
  const checks = useMemo<Checks>(
    () => ({
      touch,
      errorsAt: (path, nested = false) =>
        errors.filter((error) => (error.path === path || (nested && related(error.path, path))) && (showAll || [...touched].some((touchedPath) => related(error.path, touchedPath)))),
    }),
    [errors, showAll, touched, touch],
  );

  const saveDraft = async () => {
    if (busy !== undefined) return;
    setBusy('saving');
    setActionError(undefined);
    try {
      const answer = draft === undefined ? await drafts.create(document, draftTitle.trim(), docType, files) : await drafts.update(draft.id, document, draftTitle.trim(), draft.etag, files);
      setDraft({ id: answer.draft.id, etag: answer.etag, savedAt: answer.draft.updatedAt, files: answer.draft.attachments });
      setSaved(true);
      announce(t('announce.draftSaved', { time: dateTime(answer.draft.updatedAt) }));
      if (draft === undefined) navigate(`/drafts/${encodeURIComponent(answer.draft.id)}`, { replace: true });
    } catch (error) {
      setActionError({ what: t('declaration.saveFailed'), error: asApiError(error) });
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy !== undefined) return;
    setShowAll(true);
    setBusy('submitting');
    setActionError(undefined);
    try {
      if (amends !== undefined) {
        // An amendment of a declaration an agency took in: its agencies decide the request (修改申请).
        await api.post(`/submissions/${encodeURIComponent(amends)}/amendments`, { action: 'amend', reasons: [{ message: reason.trim() === '' ? '-' : reason.trim() }], data: document, ...(attachments.length === 0 ? {} : { attachments }) });
        if (draft !== undefined) await drafts.remove(draft.id).catch(() => undefined);
        announce(t('announce.amendmentAsked'));
        navigate(`/submissions/${encodeURIComponent(amends)}`);
        return;
      }
      const body = { docType, data: document, ...(attachments.length === 0 ? {} : { attachments }) };
      const created = await api.post<CreatedSubmission>('/submissions', body, { 'idempotency-key': idempotencyKey.current });
      // The draft became a submission; keeping it would invite filing it twice.
      if (draft !== undefined) await drafts.remove(draft.id).catch(() => undefined);
      announce(count('announce.submitted', created.parts.length, { id: declarationNumber(created) }));
      navigate(`/submissions/${encodeURIComponent(created.id)}?filed=1`);
    } catch (caught) {
      const error = asApiError(caught);
      if (error.status === 422 && error.problem.errors !== undefined) {
        setSubmitErrors(error.problem.errors);
        announce(count('announce.problems', error.problem.errors.length));
      }
      setActionError({ what: t('declaration.submitFailed'), error });
      window.setTimeout(() => summary.current?.focus(), 0);
    } finally {
      setBusy(undefined);
    }
  };

  return { validation, errors, checks, showAll, setShowAll, actionError, busy, saved, summary, saveDraft, submit, amends, reason, setReason };
}
