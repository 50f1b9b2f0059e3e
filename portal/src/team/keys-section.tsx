/** A party's API keys: list, issue (the secret shown once), rotate, revoke. */
import { useState, type FormEvent } from 'react';
import { api, segment, type ApiError } from '../api/client';
import { KEY_SCOPES, type ApiKey, type KeyScope } from '../api/types';
import { asApiError, useResource } from '../api/use-resource';
import { TextField } from '../components/field';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';

export function KeysSection({ party, operator }: { readonly party: string; readonly operator: boolean }) {
  const { t, dateTime } = useI18n();
  const keys = useResource((signal) => api.get<{ keys: readonly ApiKey[] }>('/keys', operator ? { party } : undefined, signal), party);
  const [secret, setSecret] = useState<{ readonly id: string; readonly key: string } | undefined>(undefined);
  const [actionError, setActionError] = useState<ApiError | undefined>(undefined);

  const revoke = async (key: ApiKey) => {
    // Systems using the key stop working at once: ask first.
    if (!window.confirm(t('team.confirmRevoke', { id: key.id }))) return;
    setActionError(undefined);
    try {
      await api.post(`/keys/${segment(key.id)}/revoke`);
      keys.reload();
    } catch (error) {
      setActionError(asApiError(error));
    }
  };
  const rotate = async (key: ApiKey) => {
    setActionError(undefined);
    try {
      const answer = await api.post<{ key: string; apiKey: ApiKey }>(`/keys/${segment(key.id)}/rotate`);
      setSecret({ id: answer.apiKey.id, key: answer.key });
      keys.reload();
    } catch (error) {
      setActionError(asApiError(error));
    }
  };

  return (
    <section className="card" aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('team.keys', { party })}</h2>
      <p className="muted">{t('team.keysLead')}</p>
      {keys.state === 'failed' && <ProblemPanel error={keys.error} context={t('team.keysFailed')} onRetry={keys.reload} />}
      {actionError !== undefined && <ProblemPanel error={actionError} context={t('team.actionFailed')} />}
      {secret !== undefined && (
        <div className="notice secret" role="status">
          <p>
            <strong>{t('team.secretOnce', { id: secret.id })}</strong>
          </p>
          <TextField id="new-key-secret" label={t('team.secret')} value={secret.key} onValue={() => undefined} readOnly spellCheck={false} onFocus={(event) => event.currentTarget.select()} />
        </div>
      )}
      {keys.data !== undefined && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('team.keyId')}</th>
                <th scope="col">{t('team.label')}</th>
                <th scope="col">{t('team.scopes')}</th>
                <th scope="col">{t('team.created')}</th>
                <th scope="col">{t('team.expires')}</th>
                <th scope="col">{t('team.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('drafts.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((key) => {
                const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();
                const usable = key.revokedAt === null && !expired;
                return (
                  <tr key={key.id}>
                    <th scope="row" className="code">
                      {key.id}
                    </th>
                    <td>{key.label ?? '—'}</td>
                    <td>{key.scopes === null ? t('team.allScopes') : key.scopes.join(', ')}</td>
                    <td>{dateTime(key.createdAt)}</td>
                    <td>{key.expiresAt === null ? t('team.never') : dateTime(key.expiresAt)}</td>
                    <td>{key.revokedAt !== null ? t('team.revoked') : expired ? t('team.expired') : t('team.active')}</td>
                    <td className="row-actions">
                      {usable && (
                        <>
                          <button type="button" className="button link" onClick={() => void rotate(key)} aria-label={t('team.rotateNamed', { id: key.id })}>
                            {t('team.rotate')}
                          </button>
                          <button type="button" className="button link danger" onClick={() => void revoke(key)} aria-label={t('team.revokeNamed', { id: key.id })}>
                            {t('team.revoke')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <IssueKey party={party} operator={operator} onIssued={(issued) => { setSecret(issued); keys.reload(); }} />
    </section>
  );
}

function IssueKey({ party, operator, onIssued }: { readonly party: string; readonly operator: boolean; readonly onIssued: (secret: { readonly id: string; readonly key: string }) => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<readonly KeyScope[]>([]);
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = { ...(label.trim() === '' ? {} : { label: label.trim() }), ...(scopes.length === 0 ? {} : { scopes }), ...(expires === '' ? {} : { expiresAt: new Date(`${expires}T00:00:00Z`).toISOString() }), ...(operator ? { party } : {}) };
      const answer = await api.post<{ key: string; apiKey: ApiKey }>('/keys', body);
      onIssued({ id: answer.apiKey.id, key: answer.key });
      setLabel('');
      setScopes([]);
      setExpires('');
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <details className="add">
      <summary>{t('team.issueKey')}</summary>
      <form onSubmit={(event) => void issue(event)} noValidate>
        <div className="grid">
          <TextField id="key-label" label={t('team.label')} value={label} onValue={setLabel} maxLength={255} />
          <TextField id="key-expires" label={t('team.expires')} hint={t('team.expiresHint')} type="date" value={expires} onValue={setExpires} />
        </div>
        <fieldset className="checkboxes">
          <legend>{t('team.scopes')}</legend>
          <p className="hint">{t('team.scopesHint')}</p>
          {KEY_SCOPES.map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => setScopes((current) => (event.target.checked ? [...current, scope] : current.filter((item) => item !== scope)))} />
              <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        {error !== undefined && <ProblemPanel error={error} context={t('team.issueFailed')} />}
        <div className="actions">
          <button type="submit" className="button primary">
            {t('team.issueKey')}
          </button>
        </div>
      </form>
    </details>
  );
}
