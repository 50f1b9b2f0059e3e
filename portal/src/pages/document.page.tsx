/**
 * Enter a document of any type whose form the portal does not tailor: the form comes from the type's published
 * schema (GET /api/v1/doctypes/{id}), validated by the API as you type, saved as a draft, submitted with an
 * idempotency key, exactly as the goods declaration is (declaration.page.tsx, which opens this editor for a
 * draft or a new document of another type).
 */
import { useCallback, useMemo, useState } from 'react';
import { docTypeTitle, useDocType, useDocTypes } from '../api/doctypes';
import type { AttachedFile, DocType } from '../api/types';
import { holdEnter, SelectField, TextField } from '../components/field';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { CheckSummary } from '../declaration/check-summary';
import { ChecksContext } from '../declaration/checks';
import { useFiling, type DraftState } from '../declaration/use-filing';
import { AttachmentsField } from '../document/attachments-field';
import { DocumentForm } from '../document/document-form';
import { documentTree, emptyForm, fromDocument, pathLabel, toDocument, type FormValue } from '../document/schema-form';
import { useI18n } from '../i18n/i18n';
import { Link, navigate, useLocation } from '../router/router';

export type { DraftState } from '../declaration/use-filing';

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
  const { t, dateTime, language } = useI18n();
  const copiedFrom = useLocation().query.get('copiedFrom');
  const tree = useMemo(() => documentTree(definition.schema), [definition]);
  const [form, setForm] = useState<FormValue>(() => (data === undefined ? emptyForm(tree) : fromDocument(tree, data)));
  const [files, setFiles] = useState<readonly AttachedFile[]>(() => draft?.files ?? []);
  const document = useMemo(() => toDocument(tree, form), [tree, form]);
  const { validation, errors, checks, showAll, setShowAll, actionError, busy, saved, summary, saveDraft, submit, amends, reason, setReason } = useFiling({ docType, document, files, draftTitle, draft, setDraft });
  const labelOf = useCallback(
    (path: string) =>
      path.startsWith('$.attachments')
        ? t('attachments.title')
        : pathLabel(tree, path, language, {
            within: (group, field) => t('label.in', { group, field }),
            row: (group, number) => t('document.row', { group, number }),
            document: t('document.whole'),
          }),
    [tree, language, t],
  );

  return (
    <Page
      title={title}
      lead={<p>{t('document.lead')}</p>}
      actions={draft !== undefined ? <span className="muted">{t('declaration.savedAt', { time: dateTime(draft.savedAt) })}</span> : undefined}
    >
      {draft === undefined && <DocTypeChooser current={docType} />}
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
      <form className="declaration" data-doctype={docType} onSubmit={(event) => void submit(event)} onKeyDown={holdEnter} noValidate aria-describedby="check-summary">
        <ChecksContext.Provider value={checks}>
          <DocumentForm root={tree} value={form} update={setForm} />
          <AttachmentsField kinds={definition.attachments} files={files} onFiles={setFiles} />
        </ChecksContext.Provider>
        <div className="submit-bar card" ref={summary} tabIndex={-1}>
          <CheckSummary validation={validation} errors={errors} showAll={showAll} onShowAll={() => setShowAll(true)} labelOf={labelOf} />
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
              {busy === 'submitting' ? t('declaration.submitting') : amends !== undefined ? t('amendment.submit') : t('document.submit')}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
