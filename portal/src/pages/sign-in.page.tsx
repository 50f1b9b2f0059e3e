import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { asApiError } from '../api/use-resource';
import { TextField } from '../components/field';
import { Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { useSessionState } from '../session/session';

/** Sign in with an email and a password, and the one-time code when the account has a second factor. */
export function SignInPage({ ended }: { readonly ended: boolean }) {
  const { t } = useI18n();
  const { signIn } = useSessionState();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn({ email: email.trim(), password, ...(askTotp && totp !== '' ? { totp: totp.trim() } : {}) });
    } catch (caught) {
      const problem = asApiError(caught);
      if (problem.code === 'TOTP_REQUIRED') {
        setAskTotp(true);
        // Asking for the code is the next step, not a failure.
        setError(undefined);
        window.setTimeout(() => document.getElementById('sign-in-totp')?.focus(), 0);
      } else {
        setError(problem);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signIn.title')} lead={<p>{t('signIn.lead')}</p>}>
      {ended && (
        <p className="notice" role="status">
          {t('signIn.ended')}
        </p>
      )}
      <form className="card narrow" onSubmit={(event) => void submit(event)} noValidate>
        <TextField id="sign-in-email" label={t('signIn.email')} type="email" autoComplete="username" required value={email} onValue={setEmail} />
        <TextField id="sign-in-password" label={t('signIn.password')} type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
        {askTotp && (
          <TextField
            id="sign-in-totp"
            label={t('signIn.totp')}
            hint={t('signIn.totpHint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={8}
            required
            value={totp}
            onValue={setTotp}
          />
        )}
        {error !== undefined && <ProblemPanel error={error} context={t('signIn.failed')} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy || email === '' || password === ''}>
            {busy ? t('signIn.busy') : t('action.signIn')}
          </button>
        </div>
      </form>
    </Page>
  );
}
