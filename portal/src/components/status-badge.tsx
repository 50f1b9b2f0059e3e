import type { AccountStatus, PartStatus, SubmissionStatus } from '../api/types';
import { useI18n } from '../i18n/i18n';

/** A status in words with a colour that says whether it is open, good or bad (the words carry the meaning). */
export function StatusBadge({ status }: { readonly status: SubmissionStatus | PartStatus }) {
  const { t } = useI18n();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function AccountStatusBadge({ status }: { readonly status: AccountStatus }) {
  const { t } = useI18n();
  return <span className={`badge account-${status}`}>{t(`account.status.${status}`)}</span>;
}
