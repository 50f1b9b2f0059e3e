/** The people of a party: who they are, their roles and state; disable, unlock, add one. */
import { useState, type FormEvent } from 'react';
import { api, segment, type ApiError } from '../api/client';
import type { User, UserRole } from '../api/types';
import { asApiError, useResource } from '../api/use-resource';
import { FieldErrors, fieldId, TextField } from '../components/field';
import { Loading } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';

const ROLES: readonly UserRole[] = ['admin', 'declarant', 'broker', 'agency', 'operator'];

export function UsersSection({ party, operator }: { readonly party: string; readonly operator: boolean }) {
  const { t, dateTime } = useI18n();
  const { user: self } = useSession();
  const users = useResource((signal) => api.get<{ users: readonly User[] }>('/users', operator ? { party } : undefined, signal), party);
  const [actionError, setActionError] = useState<ApiError | undefined>(undefined);

  const act = async (user: User, action: 'disable' | 'unlock') => {
    // Disabling is for good: ask first.
    if (action === 'disable' && !window.confirm(t('team.confirmDisable', { name: user.name }))) return;
    setActionError(undefined);
    try {
      await api.post(`/users/${segment(user.id)}/${action}`);
      users.reload();
    } catch (error) {
      setActionError(asApiError(error));
    }
  };

  return (
    <section className="card" aria-labelledby="users-heading">
      <h2 id="users-heading">{t('team.users', { party })}</h2>
      {users.state === 'failed' && <ProblemPanel error={users.error} context={t('team.usersFailed')} onRetry={users.reload} />}
      {actionError !== undefined && <ProblemPanel error={actionError} context={t('team.actionFailed')} />}
      {users.state === 'loading' && users.data === undefined && <Loading />}
      {users.data !== undefined && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('team.email')}</th>
                <th scope="col">{t('team.roles')}</th>
                <th scope="col">{t('team.totp')}</th>
                <th scope="col">{t('team.lastLogin')}</th>
                <th scope="col">{t('team.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('drafts.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((user) => {
                const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();
                return (
                  <tr key={user.id}>
                    <th scope="row">{user.name}</th>
                    <td>{user.email}</td>
                    <td>{user.roles.map((role) => t(`role.${role}`)).join(', ')}</td>
                    <td>{user.totp ? t('yes') : t('no')}</td>
                    <td>{dateTime(user.lastLoginAt)}</td>
                    <td>{user.disabledAt !== null ? t('team.disabled') : locked ? t('team.locked') : user.mustChangePassword === true ? t('team.mustChangePassword') : t('team.active')}</td>
                    <td className="row-actions">
                      {locked && user.disabledAt === null && (
                        <button type="button" className="button link" onClick={() => void act(user, 'unlock')}>
                          {t('team.unlock')}
                        </button>
                      )}
                      {user.disabledAt === null && user.id !== self.id && (
                        <button type="button" className="button link danger" onClick={() => void act(user, 'disable')} aria-label={t('team.disableNamed', { name: user.name })}>
                          {t('team.disable')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <AddUser party={party} operator={operator} onAdded={users.reload} />
    </section>
  );
}

function AddUser({ party, operator, onAdded }: { readonly party: string; readonly operator: boolean; readonly onAdded: () => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<readonly UserRole[]>([]);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [added, setAdded] = useState<User | undefined>(undefined);
  const errors = error?.problem.errors ?? [];
  const at = (path: string) => errors.filter((problem) => problem.path === path || problem.path === `body:${path}`);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setAdded(undefined);
    try {
      const user = await api.post<User>('/users', { email: email.trim(), name: name.trim(), roles, password, ...(operator ? { party } : {}) });
      setAdded(user);
      setEmail('');
      setName('');
      setPassword('');
      setRoles([]);
      onAdded();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <details className="add">
      <summary>{t('team.addUser')}</summary>
      <form onSubmit={(event) => void add(event)} noValidate>
        <div className="grid">
          <TextField id={fieldId('$.email')} label={t('team.email')} type="email" autoComplete="off" required value={email} onValue={setEmail} errors={at('$.email')} />
          <TextField id={fieldId('$.name')} label={t('team.name')} required value={name} onValue={setName} errors={at('$.name')} />
          <TextField id={fieldId('$.password')} label={t('team.password')} hint={t('team.passwordHint')} type="password" autoComplete="new-password" required value={password} onValue={setPassword} errors={at('$.password')} />
        </div>
        <fieldset className="checkboxes">
          <legend>{t('team.roles')}</legend>
          {ROLES.map((role) => (
            <label key={role} className="checkbox">
              <input type="checkbox" checked={roles.includes(role)} onChange={(event) => setRoles((current) => (event.target.checked ? [...current, role] : current.filter((item) => item !== role)))} />
              {t(`role.${role}`)}
            </label>
          ))}
          <FieldErrors id={fieldId('$.roles')} errors={errors.filter((problem) => problem.path.includes('$.roles'))} />
        </fieldset>
        {error !== undefined && <ProblemPanel error={error} context={t('team.addFailed')} hideFieldErrors={errors.every((problem) => ['$.email', '$.name', '$.password'].includes(problem.path.replace(/^body:/, '')) || problem.path.includes('$.roles'))} />}
        {added !== undefined && (
          <p className="notice success" role="status">
            {t('team.added', { email: added.email })}
            {added.mustChangePassword === true && ` ${t('team.addedTemporary')}`}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary">
            {t('team.addUser')}
          </button>
        </div>
      </form>
    </details>
  );
}

