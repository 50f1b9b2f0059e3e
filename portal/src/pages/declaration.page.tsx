/**
 * Enter a goods declaration once: validated by the API as you type, saved as a draft on the server, submitted
 * with an idempotency key (a double click or a retry after a lost answer files it once). A draft or a new
 * document of any other type opens the form rendered from its schema (document.page.tsx) in the same place.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import { DOC_TYPE, drafts } from '../api/drafts';
import { declarationNumber, type CreatedSubmission, type FieldProblem, type LedgerTypes } from '../api/types';
import { asApiError, useResource } from '../api/use-resource';
import { holdEnter, TextField } from '../components/field';
import { useAnnounce } from '../components/layout';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { ChecksContext, type Checks } from '../declaration/checks';
import { DeclarationFields } from '../declaration/declaration-fields';
import { emptyDeclaration, fromDocument, related, toDocument, type DeclarationForm } from '../declaration/declaration.model';
import { CheckSummary } from '../declaration/check-summary';
import { useValidation } from '../declaration/use-validation';
import { useI18n } from '../i18n/i18n';
import { Link, navigate, useLocation } from '../router/router';
import { useSession } from '../session/session';
import { DocTypeChooser, DocumentEditorPage, type DraftState } from './document.page';

/** An idempotency key; getRandomValues works on plain-HTTP development hosts too, unlike randomUUID. */
const randomKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

const EMPTY_TYPES: LedgerTypes = { types: [], conditions: [] };

/** A new document of `docType` (a goods declaration unless named), or the draft `draftId` of any type. */
export function DeclarationPage({ draftId, docType = DOC_TYPE }: { readonly draftId?: string | undefined; readonly docType?: string | undefined }) {
  const { me } = useSession();
  const { t } = useI18n();
  const [form, setForm] = useState<DeclarationForm>(() => emptyDeclaration(me.party));
  const [title, setTitle] = useState('');
  const [draft, setDraft] = useState<DraftState | undefined>(undefined);
  // A new editor (fresh touched fields, checks and keys) for each document opened; saving keeps the same one.
  const [generation, setGeneration] = useState(0);
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(draftId !== undefined);
  // The type of the document open, and its stored data when it is no goods declaration (that one is `form`).
  const [openType, setOpenType] = useState(draftId === undefined ? docType : DOC_TYPE);
  const [stored, setStored] = useState<unknown>(undefined);

  useEffect(() => {
    if (draftId === draft?.id) return undefined;
    setLoadError(undefined);
    if (draftId === undefined) {
      // "New declaration" while a saved draft is open: start again from an empty form.
      setForm(emptyDeclaration(me.party));
      setStored(undefined);
      setOpenType(docType);
      setTitle('');
      setDraft(undefined);
      setGeneration((value) => value + 1);
      return undefined;
    }
    let current = true;
    setLoading(true);
    drafts.get(draftId).then(
      ({ draft: loaded, etag }) => {
        if (!current) return;
        setOpenType(loaded.docType);
        setStored(loaded.docType === DOC_TYPE ? undefined : loaded.data);
        if (loaded.docType === DOC_TYPE) setForm(fromDocument(loaded.data, me.party));
        setTitle(loaded.title ?? '');
        setDraft({ id: loaded.id, etag, savedAt: loaded.updatedAt });
        setGeneration((value) => value + 1);
        setLoading(false);
      },
      (error: unknown) => {
        if (!current) return;
        setLoadError(asApiError(error));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // Only a different draft (or type) in the address bar reloads; saving this one sets `draft` to it and must not.
  }, [draftId, docType, me.party]);

  const pageTitle = draftId === undefined ? t('declaration.newTitle') : t('declaration.draftTitle');
  if (loadError !== undefined)
    return (
      <Page title={pageTitle}>
        <ProblemPanel error={loadError} context={t('drafts.loadFailed')} />
      </Page>
    );
  if (loading)
    return (
      <Page title={pageTitle}>
        <Loading />
      </Page>
    );
  if (openType !== DOC_TYPE)
    return <DocumentEditorPage key={generation} docType={openType} data={stored} draftTitle={title} setDraftTitle={setTitle} draft={draft} setDraft={setDraft} />;
  return <DeclarationEditor key={generation} title={pageTitle} form={form} setForm={setForm} draftTitle={title} setDraftTitle={setTitle} draft={draft} setDraft={setDraft} />;
}

interface EditorProps {
  readonly title: string;
  readonly form: DeclarationForm;
  readonly setForm: (change: (form: DeclarationForm) => DeclarationForm) => void;
  readonly draftTitle: string;
  readonly setDraftTitle: (title: string) => void;
  readonly draft: DraftState | undefined;
  readonly setDraft: (draft: DraftState) => void;
}

function DeclarationEditor({ title, form, setForm, draftTitle, setDraftTitle, draft, setDraft }: EditorProps) {
  const { t, count, dateTime } = useI18n();
  const announce = useAnnounce();
  const copiedFrom = useLocation().query.get('copiedFrom');
  const document = useMemo(() => toDocument(form), [form]);
  const validation = useValidation(DOC_TYPE, document);
  const ledgerTypes = useResource((signal) => api.get<LedgerTypes>('/ledger/types', undefined, signal), 'ledger-types');
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [submitErrors, setSubmitErrors] = useState<readonly FieldProblem[] | undefined>(undefined);
  const [actionError, setActionError] = useState<{ readonly what: string; readonly error: ApiError } | undefined>(undefined);
  const [busy, setBusy] = useState<'saving' | 'submitting' | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const idempotencyKey = useRef<string>(randomKey());
  const summary = useRef<HTMLDivElement>(null);

  // A changed document is a new request: it needs its own idempotency key, and the last submit's answer is stale.
  const documentText = JSON.stringify(document);
  useEffect(() => {
    idempotencyKey.current = randomKey();
    setSubmitErrors(undefined);
    setSaved(false);
  }, [documentText]);

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
      const answer = draft === undefined ? await drafts.create(document, draftTitle.trim()) : await drafts.update(draft.id, document, draftTitle.trim(), draft.etag);
      setDraft({ id: answer.draft.id, etag: answer.etag, savedAt: answer.draft.updatedAt });
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
      const created = await api.post<CreatedSubmission>('/submissions', { docType: DOC_TYPE, data: document }, { 'idempotency-key': idempotencyKey.current });
      // The draft became a declaration; keeping it would invite filing it twice.
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

  return (
    <Page
      title={title}
      lead={<p>{t('declaration.lead')}</p>}
      actions={draft !== undefined ? <span className="muted">{t('declaration.savedAt', { time: dateTime(draft.savedAt) })}</span> : undefined}
    >
      {draft === undefined && <DocTypeChooser current={DOC_TYPE} />}
      {copiedFrom !== null && (
        <p className="notice" role="status" id="copied-from">
          {t('copy.notice')} <Link to={`/submissions/${encodeURIComponent(copiedFrom)}`}>{t('copy.original')}</Link>
        </p>
      )}
      <form className="declaration" onSubmit={(event) => void submit(event)} onKeyDown={holdEnter} noValidate aria-describedby="check-summary">
        <ChecksContext.Provider value={checks}>
          <DeclarationFields form={form} update={setForm} accountTypes={(ledgerTypes.data ?? EMPTY_TYPES).types} conditions={(ledgerTypes.data ?? EMPTY_TYPES).conditions} />
        </ChecksContext.Provider>
        <div className="submit-bar card" ref={summary} tabIndex={-1}>
          <CheckSummary validation={validation} errors={errors} showAll={showAll} onShowAll={() => setShowAll(true)} />
          {actionError !== undefined && <ProblemPanel error={actionError.error} context={actionError.what} hideFieldErrors={actionError.error.status === 422} />}
          {/* Said in the layout's status region (useAnnounce); shown here. */}
          {saved && <p className="notice success">{t('declaration.saved')}</p>}
          <div className="actions">
            <TextField id="draft-title" label={t('declaration.draftName')} value={draftTitle} onValue={setDraftTitle} className="inline" maxLength={200} />
            {/* aria-disabled, not disabled, while busy: a disabled button drops the keyboard's focus to <body>. */}
            <button type="button" className="button secondary" onClick={() => void saveDraft()} aria-disabled={busy !== undefined}>
              {busy === 'saving' ? t('declaration.saving') : t('declaration.saveDraft')}
            </button>
            <button type="submit" className="button primary" aria-disabled={busy !== undefined}>
              {busy === 'submitting' ? t('declaration.submitting') : t('declaration.submit')}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
