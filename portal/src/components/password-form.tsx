/**
 * Choose a new password: the current one, the new one twice, with the rules the server applies shown before the
 * person types (at least 12 characters, not the email address, not the current one). The server's problems
 * appear beside the field their path names.
 */
import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { FieldProblem, User } from '../api/types';
import { asApiError } from '../api/use-resource';
import { TextField } from './field';
import { ProblemPanel } from './problem-panel';
import { useI18n } from '../i18n/i18n';

/** The server's minimum (PASSWORD_MIN_CHARACTERS), counted in characters as it counts them. */
const MIN_CHARACTERS = 12;

export function PasswordForm({ onChanged }: { readonly onChanged: (user: User) => void | Promise<void> }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [mismatch, setMismatch] = useState(false);

  const fieldErrors = (path: string): FieldProblem[] => (error?.problem.errors ?? []).filter((problem) => problem.path === path);
  const repeatErrors: FieldProblem[] = mismatch ? [{ path: '$.repeat', code: 'PASSWORDS_DIFFER', message: t('password.differ') }] : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    // Said here, before asking the server: it never sees the second copy.
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      const user = await api.post<User>('/users/me/password', { currentPassword: current, password: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      await onChanged(user);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="password-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="notice" id="password-rules">
        <p>{t('password.rules')}</p>
        <ul>
          <li>{t('password.ruleLength', { min: MIN_CHARACTERS })}</li>
          <li>{t('password.ruleEmail')}</li>
          <li>{t('password.ruleCurrent')}</li>
        </ul>
      </div>
      <TextField id="password-current" label={t('password.current')} type="password" autoComplete="current-password" required value={current} onValue={setCurrent} errors={fieldErrors('$.currentPassword')} />
      <TextField
        id="password-new"
        label={t('password.new')}
        hint={t('password.newHint', { count: [...next].length, min: MIN_CHARACTERS })}
        type="password"
        autoComplete="new-password"
        required
        value={next}
        onValue={setNext}
        errors={fieldErrors('$.password')}
      />
      <TextField id="password-repeat" label={t('password.repeat')} type="password" autoComplete="new-password" required value={repeat} onValue={setRepeat} errors={repeatErrors} />
      {error !== undefined && <ProblemPanel error={error} context={t('password.failed')} hideFieldErrors />}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || current === '' || next === '' || repeat === ''}>
          {busy ? t('password.busy') : t('password.submit')}
        </button>
      </div>
    </form>
  );
}
