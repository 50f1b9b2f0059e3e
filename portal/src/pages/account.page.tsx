/**
 * My account: who I am, my password (the current one, the new one twice) and my second factor (TOTP): set it up
 * with the secret as text and as an otpauth:// URI, confirm with a code, or turn it off with a current code.
 */
import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { TotpEnrolment, User } from '../api/types';
import { asApiError } from '../api/use-resource';
import { TextField } from '../components/field';
import { Page } from '../components/page';
import { PasswordForm } from '../components/password-form';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { useSession, useSessionState } from '../session/session';

/** The secret in groups of four, as authenticator apps show it and people type it. */
const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function AccountPage() {
  const { t, dateTime } = useI18n();
  const { user, me } = useSession();
  const { userChanged } = useSessionState();
  const [changed, setChanged] = useState(false);

  return (
    <Page title={t('account.title')} lead={<p>{t('account.lead')}</p>}>
      <section className="card" aria-labelledby="account-who">
        <h2 id="account-who">{t('account.who')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('team.name')}</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>{t('team.email')}</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>{t('account.party')}</dt>
            <dd className="code">{me.party}</dd>
          </div>
          <div>
            <dt>{t('team.roles')}</dt>
            <dd>{user.roles.join(', ')}</dd>
          </div>
          <div>
            <dt>{t('team.lastLogin')}</dt>
            <dd>{dateTime(user.lastLoginAt)}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">{t('account.password')}</h2>
        {changed && (
          <p className="notice success" role="status">
            {t('account.passwordChanged')}
          </p>
        )}
        <PasswordForm
          onChanged={(updated) => {
            userChanged(updated);
            setChanged(true);
          }}
        />
      </section>

      <TotpSection user={user} onChange={userChanged} />
    </Page>
  );
}

function TotpSection({ user, onChange }: { readonly user: User; readonly onChange: (user: User) => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>(undefined);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [done, setDone] = useState<'on' | 'off' | undefined>(undefined);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    run(async () => {
      setDone(undefined);
      setEnrolment(await api.post<TotpEnrolment>('/users/me/totp'));
      setCode('');
    });
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      onChange(await api.post<User>('/users/me/totp/confirm', { code: code.replace(/\s/g, '') }));
      setEnrolment(undefined);
      setCode('');
      setDone('on');
    });
  };
  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      onChange(await api.post<User>('/users/me/totp/disable', { code: code.replace(/\s/g, '') }));
      setCode('');
      setDone('off');
    });
  };
  const codeErrors = (error?.problem.errors ?? []).filter((problem) => problem.path === '$.code');

  return (
    <section className="card" aria-labelledby="account-totp">
      <h2 id="account-totp">{t('account.totp')}</h2>
      <p data-totp={user.totp ? 'on' : 'off'}>
        <strong>{user.totp ? t('account.totpOn') : t('account.totpOff')}</strong>
      </p>
      {done !== undefined && (
        <p className="notice success" role="status">
          {done === 'on' ? t('account.totpEnabled') : t('account.totpDisabled')}
        </p>
      )}
      {error !== undefined && <ProblemPanel error={error} context={t('account.totpFailed')} hideFieldErrors={codeErrors.length > 0} />}
      {user.totp ? (
        <form onSubmit={turnOff} noValidate>
          <p>{t('account.totpOffExplain')}</p>
          <TextField id="totp-off-code" label={t('signIn.totp')} inputMode="numeric" autoComplete="one-time-code" maxLength={8} required value={code} onValue={setCode} errors={codeErrors} />
          <div className="actions">
            <button type="submit" className="button secondary" disabled={busy || code.trim() === ''}>
              {t('account.totpTurnOff')}
            </button>
          </div>
        </form>
      ) : enrolment === undefined ? (
        <>
          <p>{t('account.totpExplain')}</p>
          <button type="button" className="button primary" onClick={() => void start()} disabled={busy}>
            {t('account.totpStart')}
          </button>
        </>
      ) : (
        <form onSubmit={confirm} noValidate>
          <ol>
            <li>
              {t('account.totpStep1')}
              <dl className="facts">
                <div>
                  <dt>{t('account.totpSecret')}</dt>
                  <dd>
                    <code id="totp-secret" data-secret={enrolment.secret}>
                      {grouped(enrolment.secret)}
                    </code>
                  </dd>
                </div>
                <div>
                  <dt>{t('account.totpUri')}</dt>
                  <dd>
                    <code id="totp-uri" className="break">
                      {enrolment.otpauthUrl}
                    </code>
                  </dd>
                </div>
              </dl>
            </li>
            <li>{t('account.totpStep2')}</li>
          </ol>
          <TextField id="totp-code" label={t('signIn.totp')} inputMode="numeric" autoComplete="one-time-code" maxLength={8} required value={code} onValue={setCode} errors={codeErrors} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={busy || code.trim() === ''}>
              {t('account.totpConfirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setEnrolment(undefined)}>
              {t('account.totpCancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
