/**
 * Enter a goods declaration once: validated by the API as you type, saved as a draft on the server, submitted
 * with an idempotency key (a double click or a retry after a lost answer files it once). A draft or a new
 * document of any other type opens the form rendered from its schema (document.page.tsx) in the same place.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, type ApiError } from '../api/client';
import { DOC_TYPE, drafts } from '../api/drafts';
import { useDocType } from '../api/doctypes';
import type { AttachedFile, LedgerTypes } from '../api/types';
import { asApiError, useResource } from '../api/use-resource';
import { holdEnter, TextField } from '../components/field';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { ChecksContext } from '../declaration/checks';
import { DeclarationFields } from '../declaration/declaration-fields';
import { emptyDeclaration, fromDocument, toDocument, type DeclarationForm } from '../declaration/declaration.model';
import { CheckSummary } from '../declaration/check-summary';
import { useFiling } from '../declaration/use-filing';
import { AttachmentsField } from '../document/attachments-field';
import { useI18n } from '../i18n/i18n';
import { Link, useLocation } from '../router/router';
import { useSession } from '../session/session';
import { DocTypeChooser, DocumentEditorPage, type DraftState } from './document.page';

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
        setDraft({ id: loaded.id, etag, savedAt: loaded.updatedAt, files: loaded.attachments });
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
  const { t, dateTime } = useI18n();
  const copiedFrom = useLocation().query.get('copiedFrom');
  const document = useMemo(() => toDocument(form), [form]);
  // The editor mounts afresh for each draft opened (its key), with the files the draft was saved with.
  const [files, setFiles] = useState<readonly AttachedFile[]>(() => draft?.files ?? []);
  const ledgerTypes = useResource((signal) => api.get<LedgerTypes>('/ledger/types', undefined, signal), 'ledger-types');
  const definition = useDocType(DOC_TYPE);
  const { validation, errors, checks, showAll, setShowAll, actionError, busy, saved, summary, saveDraft, submit, amends, reason, setReason } = useFiling({ docType: DOC_TYPE, document, files, draftTitle, draft, setDraft });

  return (
    <Page
      title={title}
      lead={<p>{t('declaration.lead')}</p>}
      actions={draft !== undefined ? <span className="muted">{t('declaration.savedAt', { time: dateTime(draft.savedAt) })}</span> : undefined}
    >
      {draft === undefined && <DocTypeChooser current={DOC_TYPE} />}
      {amends !== undefined && (
        <p className="notice" role="status" id="amending">
          {t('amendment.notice')} <Link to={`/submissions/${encodeURIComponent(amends)}`}>{t('copy.original')}</Link>
        </p>
      )}
      {copiedFrom !== null && (
        <p className="notice" role="status" id="copied-from">
          {t('copy.notice')} <Link to={`/submissions/${encodeURIComponent(copiedFrom)}`}>{t('copy.original')}</Link>
        </p>
      )}
      <form className="declaration" onSubmit={(event) => void submit(event)} onKeyDown={holdEnter} noValidate aria-describedby="check-summary">
        <ChecksContext.Provider value={checks}>
          <DeclarationFields form={form} update={setForm} accountTypes={(ledgerTypes.data ?? EMPTY_TYPES).types} conditions={(ledgerTypes.data ?? EMPTY_TYPES).conditions} />
          <AttachmentsField kinds={definition.data?.attachments ?? []} files={files} onFiles={setFiles} />
        </ChecksContext.Provider>
        <div className="submit-bar card" ref={summary} tabIndex={-1}>
          <CheckSummary validation={validation} errors={errors} showAll={showAll} onShowAll={() => setShowAll(true)} />
          {actionError !== undefined && <ProblemPanel error={actionError.error} context={actionError.what} hideFieldErrors={actionError.error.status === 422} />}
          {/* Said in the layout's status region (useAnnounce); shown here. */}
          {saved && <p className="notice success">{t('declaration.saved')}</p>}
          <div className="actions">
            {amends !== undefined && <TextField id="amendment-reason" label={t('amendment.reason')} value={reason} onValue={setReason} className="inline" maxLength={2000} required />}
            <TextField id="draft-title" label={t('declaration.draftName')} value={draftTitle} onValue={setDraftTitle} className="inline" maxLength={200} />
            {/* aria-disabled, not disabled, while busy: a disabled button drops the keyboard's focus to <body>. */}
            <button type="button" className="button secondary" onClick={() => void saveDraft()} aria-disabled={busy !== undefined}>
              {busy === 'saving' ? t('declaration.saving') : t('declaration.saveDraft')}
            </button>
            <button type="submit" className="button primary" aria-disabled={busy !== undefined}>
              {busy === 'submitting' ? t('declaration.submitting') : amends !== undefined ? t('amendment.submit') : t('declaration.submit')}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
