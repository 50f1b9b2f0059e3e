/**
 * One declaration: each agency's part with its status and reasons, the ledger references it holds, the
 * document, and the history. The declarant may cancel it; an agency officer decides on its own part here.
 */
import { useState } from 'react';
import { api, segment, type ApiError } from '../api/client';
import { docTypeTitle, useDocType, useDocTypes } from '../api/doctypes';
import { DOC_TYPE, drafts } from '../api/drafts';
import { declarationNumber, SUBMISSION_STATUSES, type LedgerUse, type Part, type Submission } from '../api/types';
import { asApiError, useResource } from '../api/use-resource';
import { DecisionPanel } from '../components/decision-panel';
import { Fact } from '../components/fact';
import { DeclarationView } from '../components/declaration-view';
import { AttachedFiles } from '../document/attachments-field';
import { DocumentView } from '../document/document-view';
import { AmendmentsPanel } from '../components/amendments-panel';
import { useAnnounce } from '../components/layout';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { StatusBadge } from '../components/status-badge';
import { agencyName } from '../i18n/agencies';
import { useI18n, type Translate } from '../i18n/i18n';
import { Link, navigate, useLocation } from '../router/router';
import { typeLabel, useAccountTypes } from './licences.page';
import { abilitiesOf, useSession } from '../session/session';

const CLOSED = new Set(['released', 'rejected', 'refused', 'cancelled']);
/** Ended without release: the declarant amends a copy and declares again. */
const ENDED_UNRELEASED = new Set(['rejected', 'refused', 'cancelled']);

export function SubmissionPage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const resource = useResource((signal) => api.get<Submission>(`/submissions/${segment(id)}`, undefined, signal), id);
  const [latest, setLatest] = useState<Submission | undefined>(undefined);
  const submission = latest?.id === id ? latest : resource.data;
  const title = t('submission.title', { id });

  if (resource.state === 'failed' && submission === undefined)
    return (
      <Page title={title}>
        <ProblemPanel error={resource.error} context={t('submission.loadFailed')} onRetry={resource.reload} />
      </Page>
    );
  if (submission === undefined)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  return <SubmissionDetail submission={submission} onChange={setLatest} reload={resource.reload} />;
}

/** After a decision or a cancellation the control used is gone: the focus goes to the parts, where the result shows. */
const focusParts = () => window.setTimeout(() => document.getElementById('parts-heading')?.focus(), 0);

function SubmissionDetail({ submission, onChange, reload }: { readonly submission: Submission; readonly onChange: (submission: Submission) => void; readonly reload: () => void }) {
  const { t, count, dateTime, language } = useI18n();
  const announce = useAnnounce();
  const session = useSession();
  const { query } = useLocation();
  const can = abilitiesOf(session);
  const [cancelError, setCancelError] = useState<ApiError | undefined>(undefined);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const ownPart = can.decide ? submission.parts.find((part) => part.agency === session.me.party) : undefined;
  const cancellable = can.declare && submission.declarant === session.me.party && !CLOSED.has(submission.status) && !submission.parts.some((part) => part.status === 'released');
  const copyable = can.declare && submission.declarant === session.me.party && ENDED_UNRELEASED.has(submission.status);
  const number = declarationNumber(submission);
  const docTypes = useDocTypes();
  const definition = useDocType(submission.docType);

  const cancel = async () => {
    setCancelError(undefined);
    try {
      onChange(await api.post<Submission>(`/submissions/${segment(submission.id)}/cancel`));
      setConfirmCancel(false);
      announce(t('announce.cancelled'));
      focusParts();
    } catch (error) {
      setCancelError(asApiError(error));
    }
  };

  return (
    <Page
      title={t('submission.title', { id: number })}
      actions={
        <>
          <Link className="button secondary small" to={`/submissions/${encodeURIComponent(submission.id)}/print`}>
            {t('print.open')}
          </Link>
          {submission.status === 'released' && !can.decide && (
            <Link className="button secondary small" to={`/submissions/${encodeURIComponent(submission.id)}/release-notice`}>
              {t('release.open')}
            </Link>
          )}
          <Link className="button secondary small" to={`/tracking?submission=${encodeURIComponent(submission.id)}`}>
            {t('submission.track')}
          </Link>
          <button type="button" className="button secondary small" onClick={reload}>
            {t('action.refresh')}
          </button>
        </>
      }
    >
      {/* Said by the declaration page in the layout's status region as it came here; shown here. */}
      {query.get('filed') === '1' && <p className="notice success">{count('submission.filed', submission.parts.length)}</p>}
      <dl className="facts">
        {submission.number !== undefined && (
          <Fact term={t('submission.number')} code>{submission.number}</Fact>
        )}
        <Fact term={t('document.type')}>{docTypeTitle(docTypes.data?.doctypes, submission.docType, language)}</Fact>
        <Fact term={can.decide ? t('submission.partStatus') : t('submission.status')}><StatusBadge status={submission.status} /></Fact>
        <Fact term={t('submission.declarant')} code>{submission.declarant}</Fact>
        <Fact term={t('submission.trader')} code>{submission.trader ?? '—'}</Fact>
        <Fact term={t('submission.createdAt')}>{dateTime(submission.createdAt)}</Fact>
        <Fact term={t('submission.updatedAt')}>{dateTime(submission.updatedAt)}</Fact>
      </dl>

      <PartsTable parts={submission.parts} />

      {ownPart !== undefined && (
        <DecisionPanel
          submission={submission}
          part={ownPart}
          onDecided={(next) => {
            onChange(next);
            const part = next.parts.find((candidate) => candidate.agency === ownPart.agency);
            if (part !== undefined) announce(t('announce.decided', { status: t(`status.${part.status}`) }));
            focusParts();
          }}
        />
      )}

      {cancellable && (
        <section className="card" aria-labelledby="cancel-heading">
          <h2 id="cancel-heading">{t('cancel.heading')}</h2>
          <p>{t('cancel.explain')}</p>
          {confirmCancel ? (
            <div className="actions">
              <button type="button" className="button danger" onClick={() => void cancel()}>
                {t('cancel.confirm')}
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirmCancel(false)}>
                {t('action.keep')}
              </button>
            </div>
          ) : (
            <button type="button" className="button secondary" onClick={() => setConfirmCancel(true)}>
              {t('cancel.button')}
            </button>
          )}
          {cancelError !== undefined && <ProblemPanel error={cancelError} context={t('cancel.failed')} />}
        </section>
      )}

      {copyable && <CopySection submission={submission} />}

      <AmendmentsPanel
        submission={submission}
        amendable={definition.data?.lifecycle.amendable}
        declarant={can.declare && submission.declarant === session.me.party}
        agency={can.decide ? session.me.party : undefined}
        onChange={() => void api.get<Submission>(`/submissions/${segment(submission.id)}`).then(onChange, () => reload())}
      />

      <LedgerSection submission={submission} />

      <AttachedFiles submissionId={submission.id} files={submission.attachments} kinds={definition.data?.attachments} />

      <section className="card" aria-labelledby="document-heading">
        <h2 id="document-heading">{can.decide ? t('submission.projection') : t('submission.document')}</h2>
        {submission.docType === DOC_TYPE ? <DeclarationView data={submission.data} /> : <DocumentView docType={submission.docType} data={submission.data} />}
      </section>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('submission.history')}</h2>
        <ol className="history">
          {submission.history.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time>{' '}
              <strong>{entry.agency === null ? t('submission.whole') : agencyName(entry.agency, language)}</strong>{' '}
              {entry.from === null ? '' : `${statusText(entry.from, t)} → `}
              {statusText(entry.to, t)} <span className="muted">({entry.actor})</span>
              <Reasons reasons={entry.reasons} />
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}

/**
 * A declaration that ended without release, copied into a new draft (POST /drafts with its document) to amend and
 * declare again; the original stays as it was.
 */
function CopySection({ submission }: { readonly submission: Submission }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const copy = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { draft } = await drafts.create(submission.data, t('copy.draftTitle', { number: declarationNumber(submission) }), submission.docType);
      navigate(`/drafts/${encodeURIComponent(draft.id)}?copiedFrom=${encodeURIComponent(submission.id)}`);
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="copy-heading">
      <h2 id="copy-heading">{t('copy.heading')}</h2>
      <p>{t('copy.explain', { status: t(`status.${submission.status}`) })}</p>
      <button type="button" className="button primary" onClick={() => void copy()} disabled={busy}>
        {busy ? t('loading') : t('copy.button')}
      </button>
      {error !== undefined && <ProblemPanel error={error} context={t('copy.failed')} />}
    </section>
  );
}

/** A status from the history, in words when the portal knows it. */
export function statusText(status: string, t: Translate): string {
  const match = SUBMISSION_STATUSES.find((candidate) => candidate === status);
  return match === undefined ? status : t(`status.${match}`);
}

export function Reasons({ reasons }: { readonly reasons: Part['reasons'] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons-list">
      {reasons.map((reason, index) => (
        <li key={index}>
          {reason.code !== undefined && <code>{reason.code}</code>} {reason.message}
          {reason.path !== undefined && (
            <>
              {' '}
              <code className="muted">{reason.path}</code>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function PartsTable({ parts }: { readonly parts: readonly Part[] }) {
  const { t, dateTime, language } = useI18n();
  return (
    <section className="card" aria-labelledby="parts-heading">
      <h2 id="parts-heading" tabIndex={-1}>
        {t('submission.parts')}
      </h2>
      <div className="table-wrap">
        <table className="parts">
          <thead>
            <tr>
              <th scope="col">{t('submission.agency')}</th>
              <th scope="col">{t('submission.status')}</th>
              <th scope="col">{t('submission.reasons')}</th>
              <th scope="col">{t('submission.updatedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((part) => (
              <tr key={part.agency} data-agency={part.agency}>
                <th scope="row">
                  {agencyName(part.agency, language)}
                  <span className="muted block">{part.docType}</span>
                </th>
                <td>
                  <StatusBadge status={part.status} />
                </td>
                <td>{part.reasons.length === 0 ? '—' : <Reasons reasons={part.reasons} />}</td>
                <td>{dateTime(part.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const citedReferences = (data: unknown): number => {
  const lines = (data as { lines?: unknown }).lines;
  if (!Array.isArray(lines)) return 0;
  return lines.reduce<number>((count, line) => count + (Array.isArray((line as { documents?: unknown }).documents) ? ((line as { documents: unknown[] }).documents.length) : 0), 0);
};

/** The licences and certificates the declaration draws on, and what it holds of each (reserved, written off, given back). */
function LedgerSection({ submission }: { readonly submission: Submission }) {
  const { t, number, language } = useI18n();
  const types = useAccountTypes();
  const uses: readonly LedgerUse[] | undefined = submission.ledger;
  const cited = typeof submission.data === 'object' && submission.data !== null ? citedReferences(submission.data) : 0;
  if (uses === undefined && cited === 0) return null;
  return (
    <section className="card" aria-labelledby="ledger-heading">
      <h2 id="ledger-heading">{t('submission.ledger')}</h2>
      <p>{t('submission.ledgerExplain')}</p>
      {uses === undefined ? (
        <p className="notice">{t('submission.ledgerUnavailable')}</p>
      ) : uses.length === 0 ? (
        <p>{t('submission.ledgerNone')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('licence.number')}</th>
                <th scope="col">{t('licence.type')}</th>
                <th scope="col">{t('licence.line')}</th>
                <th scope="col" className="number">{t('licence.quantity')}</th>
                <th scope="col">{t('licence.state')}</th>
              </tr>
            </thead>
            <tbody>
              {uses.map((use) => (
                <tr key={`${use.account}:${use.line}`}>
                  <td>
                    <Link to={`/licences/${encodeURIComponent(use.account)}`}>{use.account}</Link>
                  </td>
                  <td>{typeLabel(types.data?.types, use.type, language)}</td>
                  <td>{use.line}</td>
                  <td className="number">
                    {number(use.quantity)} {use.unit}
                  </td>
                  <td>
                    <span className={`badge reservation-${use.state}`}>{t(`reservation.${use.state}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
