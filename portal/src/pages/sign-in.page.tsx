import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import type { Problem } from '../api/types';
import { asApiError } from '../api/use-resource';
import { TextField } from '../components/field';
import { Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n, type I18n } from '../i18n/i18n';
import { useSessionState } from '../session/session';

/**
 * Why a session was lost, in words: an expired session says it ended; one ended elsewhere (signed out, password
 * changed, account disabled) says so; a code the portal does not know yet is said in the server's own words.
 */
export function lostSessionText(reason: Problem | undefined, t: I18n['t']): string {
  if (reason === undefined) return t('signIn.ended');
  switch (reason.code) {
    case 'AUTH_REQUIRED':
    case 'SESSION_UNKNOWN':
      return t('signIn.ended');
    case 'SESSION_EXPIRED':
      return t('signIn.expired');
    case 'SESSION_ENDED':
      return t('signIn.endedElsewhere');
    default:
      return `${reason.title} ${t('signIn.again')}`;
  }
}

/**
 * What went wrong with a sign-in, exactly: the password or the address, the one-time code, a lockout with the
 * time to try again. Anything else (network, server) is the ordinary problem panel.
 */
function SignInProblem({ error }: { readonly error: ApiError }) {
  const i18n = useI18n();
  const { t } = i18n;
  const message = signInMessage(error, i18n);
  if (message === undefined) return <ProblemPanel error={error} context={t('signIn.failed')} />;
  return (
    <div className="problem" role="alert" data-code={error.code}>
      <p className="problem-title">
        <strong>{message}</strong>
      </p>
      <p className="problem-meta">
        {t('problem.code')} <code>{error.code}</code>
      </p>
    </div>
  );
}

function signInMessage(error: ApiError, { t, language }: I18n): string | undefined {
  switch (error.code) {
    case 'LOGIN_FAILED':
      return t('signIn.wrong');
    case 'TOTP_INVALID':
      return t('signIn.totpWrong');
    case 'LOGIN_LOCKED': {
      const seconds = error.problem.retryAfter ?? 15 * 60;
      const at = new Date(Date.now() + seconds * 1000);
      const time = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(at);
      return t('signIn.locked', { time, minutes: Math.max(1, Math.ceil(seconds / 60)) });
    }
    default:
      return undefined;
  }
}

/** Sign in with an email and a password, and the one-time code when the account has a second factor. */
export function SignInPage({ ended, reason }: { readonly ended: boolean; readonly reason?: Problem | undefined }) {
  const { t } = useI18n();
  const { signIn } = useSessionState();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  // Why the last session ended is news until the person tries again; after that only this attempt's answer counts.
  const [tried, setTried] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setTried(true);
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
      {ended && !tried && (
        <p className="notice" role="status" data-reason={reason?.code ?? ''}>
          {lostSessionText(reason, t)}
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
        {error !== undefined && <SignInProblem error={error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy || email === '' || password === ''}>
            {busy ? t('signIn.busy') : t('action.signIn')}
          </button>
        </div>
      </form>
    </Page>
  );
}
