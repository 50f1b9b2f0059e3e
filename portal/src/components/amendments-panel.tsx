/**
 * Amendment and withdrawal after acceptance (修改/撤销申请) on a submission's page: the requests and every
 * agency's decision; for the declarant, asking to withdraw (with a reason) or to amend (the document copied
 * into the editor, which then asks instead of filing); for an agency a request went to, approving or rejecting
 * it with a reason.
 */
import { useState, type FormEvent } from 'react';
import { api, segment, type ApiError } from '../api/client';
import { drafts } from '../api/drafts';
import { declarationNumber, type Amendment, type Submission } from '../api/types';
import { asApiError } from '../api/use-resource';
import { agencyName } from '../i18n/agencies';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router/router';
import { ProblemPanel } from './problem-panel';

interface AmendmentsPanelProps {
  readonly submission: Submission;
  /** The lifecycle's part states whose agency decides a request (GET /doctypes/{id}: lifecycle.amendable). */
  readonly amendable: readonly string[] | undefined;
  /** The signed-in party declared it, or is the agency whose decision a request waits for. */
  readonly declarant: boolean;
  readonly agency: string | undefined;
  readonly onChange: () => void;
}

const CLOSED = new Set(['rejected', 'refused', 'cancelled']);

export function AmendmentsPanel({ submission, amendable, declarant, agency, onChange }: AmendmentsPanelProps) {
  const { t, dateTime, language } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const pending = submission.amendments.find((request) => request.status === 'pending');
  const takenIn = amendable !== undefined && submission.parts.some((part) => amendable.includes(part.status));
  const mayAsk = declarant && pending === undefined && takenIn && !CLOSED.has(submission.status);
  const waitsForMe = agency !== undefined && pending?.decisions.some((entry) => entry.agency === agency && entry.outcome === 'pending') === true;
  if (submission.amendments.length === 0 && !mayAsk) return null;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      setReason('');
      onChange();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const withdraw = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api.post(`/submissions/${segment(submission.id)}/amendments`, { action: 'withdraw', reasons: [{ message: reason.trim() }] }));
  };
  const amend = () =>
    void act(async () => {
      const { draft } = await drafts.create(submission.data, t('amendment.draftTitle', { number: declarationNumber(submission) }), submission.docType);
      navigate(`/drafts/${encodeURIComponent(draft.id)}?amends=${encodeURIComponent(submission.id)}`);
    });
  const decide = (request: Amendment, outcome: 'approved' | 'rejected') =>
    void act(() => api.post(`/submissions/${segment(submission.id)}/amendments/${segment(request.id)}/decisions`, { outcome, ...(reason.trim() === '' ? {} : { reasons: [{ message: reason.trim() }] }) }));

  return (
    <section className="card" aria-labelledby="amendments-heading">
      <h2 id="amendments-heading">{t('amendment.heading')}</h2>
      {submission.amendments.length > 0 && (
        <ol className="history amendments">
          {submission.amendments.map((request) => (
            <li key={request.id} data-amendment={request.id}>
              <time dateTime={request.requestedAt}>{dateTime(request.requestedAt)}</time> <strong>{t(`amendment.${request.action}`)}</strong>
              {request.version !== null && <> ({t('amendment.version', { version: request.version })})</>}: <span className={`badge amendment-${request.status}`}>{t(`amendment.status.${request.status}`)}</span>
              <ul className="reasons-list">
                {request.reasons.map((entry, index) => (
                  <li key={index}>{entry.message}</li>
                ))}
              </ul>
              <ul className="decisions">
                {request.decisions.map((entry) => (
                  <li key={entry.agency}>
                    {agencyName(entry.agency, language)}: {t(`amendment.outcome.${entry.outcome}`)}
                    {entry.reasons.length > 0 && ` (${entry.reasons.map((item) => item.message).join('; ')})`}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {(mayAsk || (waitsForMe && pending !== undefined)) && (
        <form onSubmit={withdraw} className="amendment-form">
          <div className="field">
            <label htmlFor="amendment-reason">{mayAsk ? t('amendment.reason') : t('amendment.decisionReason')}</label>
            <textarea id="amendment-reason" value={reason} onChange={(event) => setReason(event.currentTarget.value)} maxLength={2000} rows={2} />
          </div>
          <div className="actions">
            {mayAsk ? (
              <>
                <button type="submit" className="button secondary" aria-disabled={busy || reason.trim() === ''} disabled={busy || reason.trim() === ''}>
                  {t('amendment.askWithdraw')}
                </button>
                <button type="button" className="button secondary" onClick={amend} disabled={busy}>
                  {t('amendment.askAmend')}
                </button>
              </>
            ) : (
              pending !== undefined && (
                <>
                  <button type="button" className="button primary" onClick={() => decide(pending, 'approved')} disabled={busy}>
                    {t('amendment.approve')}
                  </button>
                  <button type="button" className="button secondary" onClick={() => decide(pending, 'rejected')} disabled={busy || reason.trim() === ''}>
                    {t('amendment.reject')}
                  </button>
                </>
              )
            )}
          </div>
        </form>
      )}
      {error !== undefined && <ProblemPanel error={error} context={t('amendment.failed')} />}
    </section>
  );
}
