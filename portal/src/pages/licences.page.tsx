/**
 * The electronic ledger as a person sees it: licences and certificates held (enterprise), issued (agency) or
 * verified (customs), with what is left of each line; one account with its history of uses.
 */
import { api, segment } from '../api/client';
import type { AccountType, LedgerAccount, LedgerAccountList, LedgerEntry, LedgerLine, LedgerTypes } from '../api/types';
import { useResource } from '../api/use-resource';
import { CodeName } from '../components/code-name';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { AccountStatusBadge } from '../components/status-badge';
import { agencyName } from '../i18n/agencies';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { abilitiesOf, useSession } from '../session/session';

/** The account types of the ledger, once per page; names in both languages. */
export function useAccountTypes() {
  return useResource((signal) => api.get<LedgerTypes>('/ledger/types', undefined, signal), 'ledger-types');
}

export function typeLabel(types: readonly AccountType[] | undefined, id: string, language: 'en' | 'zh'): string {
  const type = types?.find((candidate) => candidate.id === id);
  return type === undefined ? id : language === 'zh' ? type.zh : type.en;
}

function Balance({ line }: { readonly line: LedgerLine }) {
  const { t, number } = useI18n();
  const ceiling = Number(line.ceiling);
  const remaining = Number(line.remaining);
  return (
    <span className="balance">
      <meter min={0} max={ceiling > 0 ? ceiling : 1} value={Math.max(0, remaining)} low={ceiling * 0.1} optimum={ceiling} aria-hidden="true" />
      <span>{t('licence.remainingOf', { remaining: number(line.remaining), ceiling: number(line.ceiling), unit: line.unit })}</span>
    </span>
  );
}

export function LicencesPage() {
  const { t, date, language } = useI18n();
  const session = useSession();
  const { me } = session;
  const types = useAccountTypes();
  const accounts = useResource((signal) => api.get<LedgerAccountList>('/ledger/accounts', { limit: 200 }, signal), 'accounts');
  const issues = abilitiesOf(session).may('ledger.issue') && (types.data?.types ?? []).some((type) => type.issuers.includes(me.party));
  const lead = me.kind === 'enterprise' ? t('licences.leadEnterprise') : me.kind === 'agency' ? t('licences.leadAgency') : t('licences.leadOperator');

  return (
    <Page
      title={t('licences.title')}
      lead={<p>{lead}</p>}
      actions={
        issues ? (
          <Link className="button primary small" to="/licences/new">
            {t('issue.title')}
          </Link>
        ) : undefined
      }
    >
      {accounts.state === 'failed' && <ProblemPanel error={accounts.error} context={t('licences.loadFailed')} onRetry={accounts.reload} />}
      {accounts.state === 'loading' && accounts.data === undefined && <Loading />}
      {accounts.data !== undefined &&
        (accounts.data.accounts.length === 0 ? (
          <p className="empty">{t('licences.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="licences">
              <thead>
                <tr>
                  <th scope="col">{t('licence.number')}</th>
                  <th scope="col">{t('licence.type')}</th>
                  <th scope="col">{me.kind === 'enterprise' ? t('licence.issuer') : t('licence.holder')}</th>
                  <th scope="col">{t('licence.status')}</th>
                  <th scope="col">{t('licence.validity')}</th>
                  <th scope="col">{t('licence.balances')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.data.accounts.map((account) => (
                  <tr key={account.number}>
                    <th scope="row">
                      <Link to={`/licences/${encodeURIComponent(account.number)}`} className="code">
                        {account.number}
                      </Link>
                    </th>
                    <td>{typeLabel(types.data?.types, account.type, language)}</td>
                    {me.kind === 'enterprise' ? <td>{agencyName(account.issuer, language)}</td> : <td className="code">{account.holder}</td>}
                    <td>
                      <AccountStatusBadge status={account.status} />
                    </td>
                    <td>
                      {date(account.validFrom)} – {date(account.validTo)}
                    </td>
                    <td>
                      <ul className="plain">
                        {account.lines.map((line) => (
                          <li key={line.lineNo}>
                            <span className="code">{line.hsCode}</span> <Balance line={line} />
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </Page>
  );
}

export function LicencePage({ number: accountNumber }: { readonly number: string }) {
  const { t, date, dateTime, number, language } = useI18n();
  const types = useAccountTypes();
  const account = useResource((signal) => api.get<LedgerAccount>(`/ledger/accounts/${segment(accountNumber)}`, undefined, signal), accountNumber);
  const entries = useResource((signal) => api.get<{ entries: readonly LedgerEntry[] }>(`/ledger/accounts/${segment(accountNumber)}/entries`, { limit: 500 }, signal), accountNumber);
  const title = t('licence.title', { number: accountNumber });
  if (account.state === 'failed')
    return (
      <Page title={title}>
        <ProblemPanel error={account.error} context={t('licences.loadFailed')} onRetry={account.reload} />
      </Page>
    );
  if (account.data === undefined)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    );
  const data = account.data;
  return (
    <Page title={title}>
      <dl className="facts">
        <div>
          <dt>{t('licence.type')}</dt>
          <dd>{typeLabel(types.data?.types, data.type, language)}</dd>
        </div>
        <div>
          <dt>{t('licence.status')}</dt>
          <dd>
            <AccountStatusBadge status={data.status} />
          </dd>
        </div>
        <div>
          <dt>{t('licence.issuer')}</dt>
          <dd>{agencyName(data.issuer, language)}</dd>
        </div>
        <div>
          <dt>{t('licence.holder')}</dt>
          <dd className="code">{data.holder}</dd>
        </div>
        <div>
          <dt>{t('form.direction')}</dt>
          <dd>{data.direction === 'import' || data.direction === 'export' ? t(`direction.${data.direction}`) : data.direction}</dd>
        </div>
        <div>
          <dt>{t('licence.validity')}</dt>
          <dd>
            {date(data.validFrom)} – {date(data.validTo)}
          </dd>
        </div>
        {data.deadline !== undefined && (
          <div>
            <dt>{t('licence.deadline')}</dt>
            <dd data-fact="deadline">
              {date(data.deadline)}{' '}
              <span className="muted">
                {data.enteredOn === null || data.enteredOn === undefined ? t('licence.notEntered') : t('licence.enteredOn', { date: date(data.enteredOn) })}
                {(data.extensions ?? 0) > 0 && ` · ${t('licence.extensions', { count: data.extensions ?? 0 })}`}
              </span>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('licence.ports')}</dt>
          <dd>
            {data.ports.length === 0
              ? t('licence.anyPort')
              : data.ports.map((port, index) => (
                  <span key={port}>
                    {index > 0 && ', '}
                    <CodeName list="locode" code={port} />
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>{t('licence.uses')}</dt>
          <dd>{data.maxUses === null ? number(data.uses) : t('licence.usesOf', { uses: data.uses, max: data.maxUses })}</dd>
        </div>
      </dl>
      <section className="card" aria-labelledby="lines-heading">
        <h2 id="lines-heading">{t('licence.lines')}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('licence.line')}</th>
                <th scope="col">{t('form.hsCode')}</th>
                <th scope="col" className="number">{t('licence.granted')}</th>
                <th scope="col" className="number">{t('licence.ceiling')}</th>
                <th scope="col" className="number">{t('licence.reserved')}</th>
                <th scope="col" className="number">{t('licence.posted')}</th>
                <th scope="col" className="number">{t('licence.remaining')}</th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((line) => (
                <tr key={line.lineNo}>
                  <td>{line.lineNo}</td>
                  <td className="code">{line.hsCode}</td>
                  <td className="number">{number(line.quantity)} {line.unit}</td>
                  <td className="number">{number(line.ceiling)}</td>
                  <td className="number">{number(line.reserved)}</td>
                  <td className="number">{number(line.posted)}</td>
                  <td className="number">
                    <strong>{number(line.remaining)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="entries-heading">
        <h2 id="entries-heading">{t('licence.entries')}</h2>
        {entries.state === 'failed' && <ProblemPanel error={entries.error} context={t('licences.loadFailed')} onRetry={entries.reload} />}
        {entries.data !== undefined && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('licence.when')}</th>
                  <th scope="col">{t('licence.entry')}</th>
                  <th scope="col">{t('licence.line')}</th>
                  <th scope="col" className="number">{t('licence.quantity')}</th>
                  <th scope="col">{t('licence.submission')}</th>
                  <th scope="col">{t('licence.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.entries.map((entry) => (
                  <tr key={entry.seq}>
                    <td>{dateTime(entry.at)}</td>
                    <td>
                      {t(`entry.${entry.kind}`)}
                      {entry.reason !== null && <span className="muted block">{entry.reason}</span>}
                    </td>
                    <td>{entry.lineNo ?? '—'}</td>
                    <td className="number">{entry.quantity === null ? '—' : number(entry.quantity)}</td>
                    <td>{entry.submissionId === null ? '—' : <Link to={`/submissions/${encodeURIComponent(entry.submissionId)}`} className="code">{entry.submissionId}</Link>}</td>
                    <td className="code">{entry.actor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}
