import { useState } from 'react';
import type { ApiError } from '../api/client';
import { docTypeTitle, useDocTypes } from '../api/doctypes';
import { drafts } from '../api/drafts';
import { asApiError, useResource } from '../api/use-resource';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';

/** The documents (of any type) saved but not yet submitted, to reopen or throw away. */
export function DraftsPage() {
  const { t, dateTime, language } = useI18n();
  const list = useResource((signal) => drafts.list(signal), 'drafts');
  const types = useDocTypes();
  const [removeError, setRemoveError] = useState<ApiError | undefined>(undefined);

  const remove = async (id: string, name: string) => {
    if (!window.confirm(t('drafts.confirmRemove', { name }))) return;
    setRemoveError(undefined);
    try {
      await drafts.remove(id);
      list.reload();
    } catch (error) {
      setRemoveError(asApiError(error));
    }
  };

  return (
    <Page
      title={t('drafts.title')}
      lead={<p>{t('drafts.lead')}</p>}
      actions={
        <Link className="button primary small" to="/declarations/new">
          {t('nav.newDeclaration')}
        </Link>
      }
    >
      {list.state === 'failed' && <ProblemPanel error={list.error} context={t('drafts.loadFailed')} onRetry={list.reload} />}
      {removeError !== undefined && <ProblemPanel error={removeError} context={t('drafts.removeFailed')} />}
      {list.state === 'loading' && list.data === undefined && <Loading />}
      {list.data !== undefined &&
        (list.data.drafts.length === 0 ? (
          <p className="empty">{t('drafts.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('drafts.name')}</th>
                  <th scope="col">{t('document.type')}</th>
                  <th scope="col">{t('drafts.updated')}</th>
                  <th scope="col">{t('drafts.savedBy')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('drafts.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.drafts.map((draft) => {
                  const name = draft.title !== null && draft.title !== '' ? draft.title : t('drafts.untitled', { id: draft.id });
                  return (
                    <tr key={draft.id}>
                      <th scope="row">
                        <Link to={`/drafts/${encodeURIComponent(draft.id)}`}>{name}</Link>
                      </th>
                      <td data-doctype={draft.docType}>{docTypeTitle(types.data?.doctypes, draft.docType, language)}</td>
                      <td>{dateTime(draft.updatedAt)}</td>
                      <td className="code">{draft.updatedBy}</td>
                      <td>
                        <button type="button" className="button link danger" onClick={() => void remove(draft.id, name)} aria-label={t('drafts.removeNamed', { name })}>
                          {t('drafts.remove')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </Page>
  );
}
