/**
 * Enter a document of any type whose form the portal does not tailor: the form comes from the type's published
 * schema (GET /api/v1/doctypes/{id}), validated by the API as you type, saved as a draft, submitted with an
 * idempotency key, exactly as the goods declaration is (declaration.page.tsx, which opens this editor for a
 * draft or a new document of another type).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import { docTypeTitle, useDocType, useDocTypes } from '../api/doctypes';
import { drafts } from '../api/drafts';
import { declarationNumber, type CreatedSubmission, type DocType, type FieldProblem } from '../api/types';
import { asApiError } from '../api/use-resource';
import { holdEnter, SelectField, TextField } from '../components/field';
import { useAnnounce } from '../components/layout';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { CheckSummary } from '../declaration/check-summary';
import { ChecksContext, type Checks } from '../declaration/checks';
import { related } from '../declaration/declaration.model';
import { useValidation } from '../declaration/use-validation';
import { DocumentForm } from '../document/document-form';
import { documentTree, emptyForm, fromDocument, pathLabel, toDocument, type FormValue } from '../document/schema-form';
import { useI18n } from '../i18n/i18n';
import { Link, navigate, useLocation } from '../router/router';

/** An idempotency key; getRandomValues works on plain-HTTP development hosts too, unlike randomUUID. */
const randomKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

export interface DraftState {
  readonly id: string;
  readonly etag: string | undefined;
  readonly savedAt: string;
}

/** Offers every published type for a new document; shown while more than one is published. */
export function DocTypeChooser({ current }: { readonly current: string }) {
  const { t, language } = useI18n();
  const types = useDocTypes();
  if (types.state === 'failed') return <ProblemPanel error={types.error} context={t('document.typesFailed')} onRetry={types.reload} />;
  const list = types.data?.doctypes ?? [];
  if (list.length < 2) return null;
  return (
    <div className="filters card">
      <SelectField
        id="new-doctype"
        label={t('document.type')}
        value={current}
        onValue={(id) => navigate(`/declarations/new?type=${encodeURIComponent(id)}`, { replace: true })}
        options={list.map((type) => ({ value: type.id, label: type.title[language] }))}
      />
    </div>
  );
}

interface DocumentEditorProps {
  readonly docType: string;
  /** The stored document of the draft opened, or undefined for a new one. */
  readonly data: unknown;
  readonly draftTitle: string;
  readonly setDraftTitle: (title: string) => void;
  readonly draft: DraftState | undefined;
  readonly setDraft: (draft: DraftState) => void;
}

/** Loads the type's definition, then edits a document of it. */
export function DocumentEditorPage(props: DocumentEditorProps) {
  const { t, language } = useI18n();
  const definition = useDocType(props.docType);
  const types = useDocTypes();
  const typeName = definition.data?.title[language] ?? docTypeTitle(types.data?.doctypes, props.docType, language);
  const title = props.draft === undefined ? t('document.newTitle', { type: typeName }) : t('document.draftTitle', { type: typeName });
  if (definition.data === undefined)
    return (
      <Page title={title}>
        {props.draft === undefined && <DocTypeChooser current={props.docType} />}
        {definition.state === 'failed' ? <ProblemPanel error={definition.error} context={t('document.loadFailed')} onRetry={definition.reload} /> : <Loading />}
      </Page>
    );
  return <DocumentEditor {...props} title={title} definition={definition.data} />;
}

function DocumentEditor({ docType, data, draftTitle, setDraftTitle, draft, setDraft, title, definition }: DocumentEditorProps & { readonly title: string; readonly definition: DocType }) {
  const { t, count, dateTime, language } = useI18n();
  const announce = useAnnounce();
  const copiedFrom = useLocation().query.get('copiedFrom');
  const tree = useMemo(() => documentTree(definition.schema), [definition]);
  const [form, setForm] = useState<FormValue>(() => (data === undefined ? emptyForm(tree) : fromDocument(tree, data)));
  const document = useMemo(() => toDocument(tree, form), [tree, form]);
  const validation = useValidation(docType, document);
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
  const labelOf = useCallback(
    (path: string) =>
      pathLabel(tree, path, language, {
        within: (group, field) => t('label.in', { group, field }),
        row: (group, number) => t('document.row', { group, number }),
        document: t('document.whole'),
      }),
    [tree, language, t],
  );

  const saveDraft = async () => {
    if (busy !== undefined) return;
    setBusy('saving');
    setActionError(undefined);
    try {
      const answer = draft === undefined ? await drafts.create(document, draftTitle.trim(), docType) : await drafts.update(draft.id, document, draftTitle.trim(), draft.etag);
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
      const created = await api.post<CreatedSubmission>('/submissions', { docType, data: document }, { 'idempotency-key': idempotencyKey.current });
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

  return (
    <Page
      title={title}
      lead={<p>{t('document.lead')}</p>}
      actions={draft !== undefined ? <span className="muted">{t('declaration.savedAt', { time: dateTime(draft.savedAt) })}</span> : undefined}
    >
      {draft === undefined && <DocTypeChooser current={docType} />}
      {copiedFrom !== null && (
        <p className="notice" role="status" id="copied-from">
          {t('copy.notice')} <Link to={`/submissions/${encodeURIComponent(copiedFrom)}`}>{t('copy.original')}</Link>
        </p>
      )}
      <form className="declaration" data-doctype={docType} onSubmit={(event) => void submit(event)} onKeyDown={holdEnter} noValidate aria-describedby="check-summary">
        <ChecksContext.Provider value={checks}>
          <DocumentForm root={tree} value={form} update={setForm} />
        </ChecksContext.Provider>
        <div className="submit-bar card" ref={summary} tabIndex={-1}>
          <CheckSummary validation={validation} errors={errors} showAll={showAll} onShowAll={() => setShowAll(true)} labelOf={labelOf} />
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
              {busy === 'submitting' ? t('declaration.submitting') : t('document.submit')}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
