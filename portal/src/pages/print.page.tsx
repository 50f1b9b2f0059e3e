/**
 * Paper: a declaration as filed (every field, each agency's part and decision, the history, its number and what
 * proves it: the declarant's signature and Kouan's countersigned receipt), and, once released, the release notice
 * (放行通知书) the trader shows to collect the goods. Times are given in the platform's time zone where it says.
 */
import type { ReactNode } from 'react';
import { api, segment } from '../api/client';
import { declarationNumber, type Submission } from '../api/types';
import { useResource } from '../api/use-resource';
import { CodeName } from '../components/code-name';
import { Fact } from '../components/fact';
import { DeclarationView } from '../components/declaration-view';
import { DOC_TYPE } from '../api/drafts';
import { DocumentView } from '../document/document-view';
import { Loading, Page } from '../components/page';
import { Printable } from '../components/print-sheet';
import { ProblemPanel } from '../components/problem-panel';
import { StatusBadge } from '../components/status-badge';
import { agencyName } from '../i18n/agencies';
import { useI18n } from '../i18n/i18n';
import { usePlatformTimeZone } from '../i18n/time';
import { Link } from '../router/router';
import { abilitiesOf, useSession } from '../session/session';
import { PartsTable, Reasons, statusText } from './submission.page';

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** The readable parts of a compact JWS: its header and payload (the signature is checked by /ledger/verify-like tools, not here). */
export function jwsParts(jws: string | null | undefined): { readonly header: Json; readonly payload: Json } | undefined {
  const [header, payload] = (jws ?? '').split('.');
  if (header === undefined || payload === undefined || header === '' || payload === '') return undefined;
  try {
    const decode = (part: string) => {
      const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (character) => character.charCodeAt(0));
      return object(JSON.parse(new TextDecoder().decode(bytes)));
    };
    return { header: decode(header), payload: decode(payload) };
  } catch {
    return undefined;
  }
}

/** Times as the platform keeps them: its time zone, named, each time with that zone's offset (useI18n().dateTime). */
function usePlatformTime(): { readonly time: (iso: string | null | undefined) => string; readonly zone: string } {
  const { dateTime } = useI18n();
  return { time: dateTime, zone: usePlatformTimeZone() };
}

function useSubmission(id: string) {
  return useResource((signal) => api.get<Submission>(`/submissions/${segment(id)}`, undefined, signal), id);
}

function BackLink({ id }: { readonly id: string }) {
  const { t } = useI18n();
  return (
    <Link className="button secondary" to={`/submissions/${encodeURIComponent(id)}`}>
      {t('print.back')}
    </Link>
  );
}

function Loaded({ id, title, render }: { readonly id: string; readonly title: string; readonly render: (submission: Submission) => ReactNode }) {
  const { t } = useI18n();
  const resource = useSubmission(id);
  if (resource.state === 'failed')
    return (
      <Page title={title}>
        <ProblemPanel error={resource.error} context={t('submission.loadFailed')} onRetry={resource.reload} />
      </Page>
    );
  if (resource.data === undefined)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  return <>{render(resource.data)}</>;
}

export function PrintDeclarationPage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  return <Loaded id={id} title={t('print.title', { number: id })} render={(submission) => <PrintedDeclaration submission={submission} />} />;
}

function PrintedDeclaration({ submission }: { readonly submission: Submission }) {
  const { t } = useI18n();
  const { time, zone } = usePlatformTime();
  const receipt = jwsParts(submission.proof?.receipt);
  const signature = submission.proof?.signature;
  return (
    <Page title={t('print.title', { number: declarationNumber(submission) })}>
      <Printable back={<BackLink id={submission.id} />}>
        <dl className="facts" id="print-facts">
          <Fact term={t('submission.number')} code>{declarationNumber(submission)}</Fact>
          {submission.number !== undefined && (
            <Fact term={t('print.id')} code>{submission.id}</Fact>
          )}
          <Fact term={t('submission.status')}><StatusBadge status={submission.status} /></Fact>
          <Fact term={t('submission.declarant')} code>{submission.declarant}</Fact>
          <Fact term={t('submission.trader')} code>{submission.trader ?? '—'}</Fact>
          <Fact term={t('submission.createdAt')}>{time(submission.createdAt)}</Fact>
          <Fact term={t('submission.updatedAt')}>{time(submission.updatedAt)}</Fact>
          <Fact term={t('print.zone')}>{zone}</Fact>
        </dl>

        <section className="card" aria-labelledby="print-document">
          <h2 id="print-document">{t('submission.document')}</h2>
          {submission.docType === DOC_TYPE ? <DeclarationView data={submission.data} /> : <DocumentView docType={submission.docType} data={submission.data} />}
        </section>

        <PartsTable parts={submission.parts} />

        <section className="card" aria-labelledby="print-history">
          <h2 id="print-history">{t('print.decisions')}</h2>
          <History submission={submission} time={time} />
        </section>

        {submission.proof !== undefined && (
          <section className="card" aria-labelledby="print-proof" id="print-proof">
            <h2 id="print-proof">{t('print.proof')}</h2>
            <dl className="facts">
              <Fact term={t('print.signature')} code>{signature === null || signature === undefined ? t('print.unsigned') : t('print.signedWith', { kid: signature.kid })}</Fact>
              <div>
                <dt>{t('print.receipt')}</dt>
                <dd className="code" id="print-receipt">
                  {receipt === undefined ? '—' : `${text(receipt.header.alg)} ${text(receipt.header.kid)}`}
                </dd>
              </div>
              {receipt !== undefined && (
                <>
                  <Fact term={t('print.receivedAt')}>{time(text(receipt.payload.receivedAt) || null)}</Fact>
                  <div>
                    <dt>{t('print.requestHash')}</dt>
                    <dd className="code break">{text(receipt.payload.requestSha256)}</dd>
                  </div>
                </>
              )}
              {submission.proof.receiptSm2 !== undefined && (
                <Fact term={t('print.receiptSm2')}>{t('yes')}</Fact>
              )}
            </dl>
          </section>
        )}
        <p className="muted">{t('print.printedAt', { time: time(new Date().toISOString()) })}</p>
      </Printable>
    </Page>
  );
}

function History({ submission, time }: { readonly submission: Submission; readonly time: (iso: string) => string }) {
  const { t, language } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('print.when')}</th>
            <th scope="col">{t('submission.agency')}</th>
            <th scope="col">{t('submission.status')}</th>
            <th scope="col">{t('print.actor')}</th>
            <th scope="col">{t('submission.reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {submission.history.map((entry, index) => (
            <tr key={index}>
              <td>{time(entry.at)}</td>
              <td>{entry.agency === null ? t('submission.whole') : agencyName(entry.agency, language)}</td>
              <td>
                {entry.from === null ? '' : `${statusText(entry.from, t)} → `}
                {statusText(entry.to, t)}
              </td>
              <td className="code">{entry.actor}</td>
              <td>{entry.reasons.length === 0 ? '—' : <Reasons reasons={entry.reasons} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReleaseNoticePage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  return <Loaded id={id} title={t('release.title')} render={(submission) => <ReleaseNotice submission={submission} />} />;
}

/** When the declaration as a whole was released: its history says, else the last part to be released. */
function releasedAt(submission: Submission): string | null {
  const whole = submission.history.filter((entry) => entry.agency === null && entry.to === 'released').at(-1);
  if (whole !== undefined) return whole.at;
  const times = submission.parts.filter((part) => part.status === 'released').map((part) => part.updatedAt);
  return times.sort().at(-1) ?? null;
}

function ReleaseNotice({ submission }: { readonly submission: Submission }) {
  const { t, number } = useI18n();
  const { time, zone } = usePlatformTime();
  // An agency (who decides parts) is shown its own part's status: "released" there says nothing of the other agencies.
  if (abilitiesOf(useSession()).decide)
    return (
      <Page title={t('release.title')}>
        <p className="notice" role="status" id="release-not-yet">
          {t('release.forTrader')}
        </p>
        <BackLink id={submission.id} />
      </Page>
    );
  if (submission.status !== 'released')
    return (
      <Page title={t('release.title')}>
        <p className="notice" role="status" id="release-not-yet">
          {t('release.notYet', { number: declarationNumber(submission), status: t(`status.${submission.status}`) })}
        </p>
        <BackLink id={submission.id} />
      </Page>
    );
  const document = object(submission.data);
  const transport = object(document.transport);
  const direction = text(document.direction);
  const port = direction === 'export' ? text(document.portOfExit) : text(document.portOfEntry);
  const lines = (Array.isArray(document.lines) ? (document.lines as unknown[]) : []).map(object);
  const receipt = jwsParts(submission.proof?.receipt);
  return (
    <Page title={t('release.title')}>
      <Printable back={<BackLink id={submission.id} />}>
        <p className="lead">{t('release.text', { number: declarationNumber(submission) })}</p>
        <dl className="facts" id="release-facts">
          <Fact term={t('submission.number')} code>{declarationNumber(submission)}</Fact>
          <Fact term={t('release.releasedAt')}>{time(releasedAt(submission))}</Fact>
          <Fact term={t('print.zone')}>{zone}</Fact>
          <Fact term={t('submission.declarant')} code>{submission.declarant}</Fact>
          <Fact term={t('submission.trader')} code>{submission.trader ?? '—'}</Fact>
          {direction !== '' && (
            <Fact term={t('form.direction')}>{direction === 'import' || direction === 'export' ? t(`direction.${direction}`) : direction}</Fact>
          )}
          {port !== '' && (
            <Fact term={direction === 'export' ? t('form.portOfExit') : t('form.portOfEntry')}><CodeName list="locode" code={port} /></Fact>
          )}
          {text(document.customsOffice) !== '' && (
            <Fact term={t('form.customsOffice')} code>{text(document.customsOffice)}</Fact>
          )}
          {text(transport.billOfLading) !== '' && (
            <Fact term={t('release.billOfLading')} code>{text(transport.billOfLading)}</Fact>
          )}
          {text(transport.vesselImo) !== '' && (
            <Fact term={t('release.vessel')} code>IMO {text(transport.vesselImo)} {text(transport.voyage)}</Fact>
          )}
          {Array.isArray(transport.containers) && transport.containers.length > 0 && (
            <Fact term={t('form.containers')} code>{(transport.containers as unknown[]).map(text).join(', ')}</Fact>
          )}
          {receipt !== undefined && (
            <Fact term={t('print.receipt')} code>{`${text(receipt.header.alg)} ${text(receipt.header.kid)}`}</Fact>
          )}
        </dl>
        <section className="card" aria-labelledby="release-goods">
          <h2 id="release-goods">{t('release.goods')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('view.lineNo')}</th>
                  <th scope="col">{t('form.hsCode')}</th>
                  <th scope="col">{t('form.description')}</th>
                  <th scope="col" className="number">
                    {t('form.quantity')}
                  </th>
                  <th scope="col">{t('form.originCountry')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line, index) => (
                  <tr key={index}>
                    <td>{index + 1}</td>
                    <td className="code">{text(line.hsCode)}</td>
                    <td>{text(line.description)}</td>
                    <td className="number">
                      {number(text(line.quantity))} {text(line.unit)}
                    </td>
                    <td>{text(line.originCountry) === '' ? '—' : <CodeName list="country" code={text(line.originCountry)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="release-agencies">
          <h2 id="release-agencies">{t('release.agencies')}</h2>
          <ul id="release-parts">
            {submission.parts.map((part) => (
              <li key={part.agency}>
                <CodeName list="agency" code={part.agency} /> — {t(`status.${part.status}`)} {time(part.updatedAt)}
              </li>
            ))}
          </ul>
        </section>
        <p className="muted">{t('print.printedAt', { time: time(new Date().toISOString()) })}</p>
      </Printable>
    </Page>
  );
}
