/**
 * The files a document carries (随附单证), per kind its type publishes: each chosen file is uploaded at once
 * (POST /api/v1/attachments, its type told by its bytes) and named in the submission by its hash. The API's
 * verdict on them (a kind required, a format refused, too many) shows here as for any field.
 */
import { useContext, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { AttachedFile, AttachmentKind, UploadedFile } from '../api/types';
import { asApiError } from '../api/use-resource';
import { FieldErrors, fieldId } from '../components/field';
import { ProblemPanel } from '../components/problem-panel';
import { ChecksContext } from '../declaration/checks';
import { useI18n } from '../i18n/i18n';

const PATH = '$.attachments';

interface AttachmentsFieldProps {
  readonly kinds: readonly AttachmentKind[];
  readonly files: readonly AttachedFile[];
  readonly onFiles: (files: readonly AttachedFile[]) => void;
}

export function AttachmentsField({ kinds, files, onFiles }: AttachmentsFieldProps) {
  const { t, language, number } = useI18n();
  const checks = useContext(ChecksContext);
  const [uploading, setUploading] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  if (kinds.length === 0) return null;
  const id = fieldId(PATH);

  const add = async (kind: string, chosen: FileList | null) => {
    if (chosen === null || chosen.length === 0) return;
    setUploading(kind);
    setFailure(undefined);
    try {
      const added: AttachedFile[] = [];
      for (const file of Array.from(chosen)) {
        const uploaded = await api.upload<UploadedFile>('/attachments', file);
        added.push({ kind, sha256: uploaded.sha256, name: file.name, mediaType: uploaded.mediaType, size: uploaded.size });
      }
      onFiles([...files, ...added]);
      checks.touch(PATH);
    } catch (error) {
      setFailure(asApiError(error));
    } finally {
      setUploading(undefined);
    }
  };

  return (
    <fieldset className="card attachments" aria-describedby={`${id}-errors`}>
      <legend>{t('attachments.title')}</legend>
      <p className="hint">{t('attachments.lead')}</p>
      <FieldErrors id={id} errors={checks.errorsAt(PATH, true)} />
      {kinds.map((kind) => {
        const inputId = `${id}-${kind.kind}`;
        const mine = files.filter((file) => file.kind === kind.kind);
        return (
          <div className="field attachment-kind" key={kind.kind} data-kind={kind.kind}>
            <label htmlFor={inputId}>
              {kind.label[language]}
              {kind.requiredWhen !== undefined && <span className="muted"> ({t('attachments.requiredWhen', { when: kind.requiredWhen[language] })})</span>}
            </label>
            <input
              id={inputId}
              type="file"
              multiple={kind.maxCount > 1}
              accept={kind.mediaTypes.join(',')}
              aria-disabled={uploading !== undefined}
              onChange={(event) => {
                void add(kind.kind, event.currentTarget.files);
                event.currentTarget.value = '';
              }}
            />
            <p className="hint">
              {kind.help === undefined ? '' : `${kind.help[language]} `}
              {t('attachments.formats', { formats: kind.mediaTypes.map((type) => type.split('/')[1]?.toUpperCase() ?? type).join(', '), max: kind.maxCount })}
            </p>
            {mine.length > 0 && (
              <ul className="attachment-files">
                {mine.map((file) => (
                  <li key={file.sha256}>
                    {file.name} <span className="muted">({number(Math.ceil(file.size / 1024))} KiB)</span>{' '}
                    <button type="button" className="button link" onClick={() => onFiles(files.filter((candidate) => candidate !== file))}>
                      {t('attachments.remove', { name: file.name })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {uploading === kind.kind && <p role="status">{t('attachments.uploading')}</p>}
          </div>
        );
      })}
      {failure !== undefined && <ProblemPanel error={failure} context={t('attachments.uploadFailed')} />}
    </fieldset>
  );
}

/** The files a submission carries, each a link that saves it (GET /api/v1/submissions/{id}/attachments/{sha256}). */
export function AttachedFiles({ submissionId, files, kinds }: { readonly submissionId: string; readonly files: readonly AttachedFile[]; readonly kinds: readonly AttachmentKind[] | undefined }) {
  const { t, language, number } = useI18n();
  if (files.length === 0) return null;
  return (
    <section className="card" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">{t('attachments.title')}</h2>
      <ul className="attachment-files">
        {files.map((file) => (
          <li key={`${file.kind}:${file.sha256}`}>
            <a href={`/api/v1/submissions/${encodeURIComponent(submissionId)}/attachments/${file.sha256}`} download={file.name}>
              {file.name}
            </a>{' '}
            <span className="muted">
              {kinds?.find((kind) => kind.kind === file.kind)?.label[language] ?? file.kind} · {number(Math.ceil(file.size / 1024))} KiB · SHA-256 <code>{file.sha256.slice(0, 12)}…</code>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
