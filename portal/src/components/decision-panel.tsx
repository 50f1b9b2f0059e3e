/**
 * An agency officer decides on the agency's part. Only the outcomes the document type's lifecycle allows from
 * the part's status are offered, as GET /api/v1/doctypes/{id} publishes it (docs/doctypes.md); the API checks
 * again and its answer is shown as it is.
 */
import { useState, type FormEvent } from 'react';
import { api, segment, type ApiError } from '../api/client';
import { useDocType } from '../api/doctypes';
import type { DocType, Outcome, Part, Reason, Submission } from '../api/types';
import { asApiError } from '../api/use-resource';
import { useI18n } from '../i18n/i18n';
import { newKey } from '../declaration/declaration.model';
import { holdEnter, TextField } from './field';
import { ProblemPanel } from './problem-panel';

type OutcomeSpec = DocType['lifecycle']['outcomes'][number];

/** The lifecycle's decisions a part in this status can take, in the lifecycle's order. */
export const outcomesFrom = (lifecycle: DocType['lifecycle'], status: string): readonly OutcomeSpec[] => lifecycle.outcomes.filter((outcome) => outcome.from.includes(status));

interface ReasonRow {
  readonly key: string;
  readonly code: string;
  readonly message: string;
  readonly path: string;
}

const emptyReason = (): ReasonRow => ({ key: newKey(), code: '', message: '', path: '' });

export function DecisionPanel({ submission, part, onDecided }: { readonly submission: Submission; readonly part: Part; readonly onDecided: (submission: Submission) => void }) {
  const { t } = useI18n();
  const docType = useDocType(submission.docType);
  const lifecycle = docType.data?.lifecycle;
  const outcomes = lifecycle === undefined ? [] : outcomesFrom(lifecycle, part.status);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [reasons, setReasons] = useState<readonly ReasonRow[]>([emptyReason()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);

  if (lifecycle === undefined)
    return (
      <section className="card" aria-labelledby="decide-heading">
        <h2 id="decide-heading">{t('decide.heading')}</h2>
        {docType.error === undefined ? <p>{t('loading')}</p> : <ProblemPanel error={docType.error} context={t('decide.failed')} />}
      </section>
    );
  if (outcomes.length === 0)
    return (
      <section className="card" aria-labelledby="decide-heading">
        <h2 id="decide-heading">{t('decide.heading')}</h2>
        <p>{t('decide.closed', { status: t(`status.${part.status}`) })}</p>
      </section>
    );

  const setReason = (key: string, field: 'code' | 'message' | 'path', value: string) => setReasons((rows) => rows.map((row) => (row.key === key ? { ...row, [field]: value } : row)));

  const decide = async (event: FormEvent) => {
    event.preventDefault();
    if (outcome === undefined) return;
    setBusy(true);
    setError(undefined);
    const given: Reason[] = reasons
      .filter((row) => row.message.trim() !== '' || row.code.trim() !== '')
      .map((row) => ({ message: row.message.trim(), ...(row.code.trim() === '' ? {} : { code: row.code.trim() }), ...(row.path.trim() === '' ? {} : { path: row.path.trim() }) }));
    try {
      const answer = await api.post<Submission>(`/submissions/${segment(submission.id)}/decisions`, { outcome, ...(given.length > 0 ? { reasons: given } : {}) });
      setOutcome(undefined);
      setReasons([emptyReason()]);
      onDecided(answer);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const chosen = outcomes.find((candidate) => candidate.id === outcome);
  const needsReasons = chosen?.needsReasons === true;
  return (
    <section className="card decide" aria-labelledby="decide-heading">
      <h2 id="decide-heading">{t('decide.heading')}</h2>
      <form onSubmit={(event) => void decide(event)} onKeyDown={holdEnter}>
        <fieldset className="radio-group">
          <legend>{t('decide.outcome', { status: t(`status.${part.status}`) })}</legend>
          {outcomes.map((candidate) => (
            <label key={candidate.id} className="radio">
              <input type="radio" name="outcome" value={candidate.id} checked={outcome === candidate.id} onChange={() => setOutcome(candidate.id as Outcome)} />
              {t(`outcome.${candidate.id as Outcome}`)}
            </label>
          ))}
        </fieldset>
        {outcome !== undefined && (
          <fieldset className="reasons">
            <legend>{needsReasons ? t('decide.reasonsRequired') : t('decide.reasonsOptional')}</legend>
            {reasons.map((row, index) => (
              <div className="reason-row" key={row.key}>
                <TextField id={`reason-${index}-message`} label={t('decide.reasonMessage', { number: index + 1 })} value={row.message} onValue={(value) => setReason(row.key, 'message', value)} required={needsReasons && index === 0} className="wide" maxLength={2000} />
                <TextField id={`reason-${index}-code`} label={t('decide.reasonCode')} value={row.code} onValue={(value) => setReason(row.key, 'code', value)} maxLength={64} spellCheck={false} />
                <TextField id={`reason-${index}-path`} label={t('decide.reasonPath')} hint={t('decide.reasonPathHint')} value={row.path} onValue={(value) => setReason(row.key, 'path', value)} maxLength={200} spellCheck={false} />
              </div>
            ))}
            <button type="button" className="button secondary small" onClick={() => setReasons((rows) => [...rows, emptyReason()])} disabled={reasons.length >= 50}>
              {t('decide.addReason')}
            </button>
          </fieldset>
        )}
        {error !== undefined && <ProblemPanel error={error} context={t('decide.failed')} />}
        <div className="actions">
          <button type="submit" className={`button ${chosen?.closesOthers === true ? 'danger' : 'primary'}`} disabled={busy || outcome === undefined}>
            {outcome === undefined ? t('decide.choose') : t('decide.confirm', { outcome: t(`outcome.${outcome}`) })}
          </button>
        </div>
      </form>
    </section>
  );
}
