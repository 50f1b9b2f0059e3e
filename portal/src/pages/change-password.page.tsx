/**
 * The first page of a person whose password an admin set (the server answers every other call with 403
 * PASSWORD_CHANGE_REQUIRED until they choose their own): choose it, or sign out.
 */
import type { User } from '../api/types';
import { Page } from '../components/page';
import { PasswordForm } from '../components/password-form';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router/router';
import { useSessionState } from '../session/session';

export function ChangePasswordPage({ user }: { readonly user: User }) {
  const { t } = useI18n();
  const { passwordChanged, signOut } = useSessionState();
  const changed = async (updated: User) => {
    await passwordChanged(updated);
    // Start where this person's work starts.
    navigate('/', { replace: true });
  };
  return (
    <Page
      title={t('password.forcedTitle')}
      lead={<p>{t('password.forcedLead', { email: user.email })}</p>}
      actions={
        <button type="button" className="button secondary small" onClick={() => void signOut()}>
          {t('action.signOut')}
        </button>
      }
    >
      <section className="card narrow">
        <PasswordForm onChanged={changed} />
      </section>
    </Page>
  );
}
