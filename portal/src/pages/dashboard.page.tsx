/**
 * The operator's dashboard: declarations per day, and per agency the clearance time (median and 90th
 * percentile), the rejection rate and the queue. Every chart has its table.
 */
import { docTypeTitle, useDocTypes } from '../api/doctypes';
import { loadStats } from '../api/stats';
import type { AgencyStats, Stats } from '../api/types';
import { useResource } from '../api/use-resource';
import { CodeName } from '../components/code-name';
import { BarChart, ChartFigure, LineChart } from '../components/charts';
import { SelectField } from '../components/field';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../router/router';

const PERIODS = [7, 30, 90] as const;

/** rejectionRate is a fraction of the decided parts. */
const percent = (rate: number | null): number | null => (rate === null ? null : rate * 100);

export function DashboardPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const days = PERIODS.find((period) => String(period) === query.get('days')) ?? 30;
  const stats = useResource((signal) => loadStats(days, signal), String(days));

  return (
    <Page
      title={t('dashboard.title')}
      lead={<p>{t('dashboard.lead')}</p>}
      actions={
        <button type="button" className="button secondary small" onClick={stats.reload}>
          {t('action.refresh')}
        </button>
      }
    >
      <div className="filters card">
        <SelectField id="period" label={t('dashboard.period')} value={String(days)} onValue={(value) => navigate(`/dashboard?days=${value}`, { replace: true })} options={PERIODS.map((period) => ({ value: String(period), label: t('dashboard.days', { count: period }) }))} />
      </div>
      {stats.state === 'failed' && <ProblemPanel error={stats.error} context={t('dashboard.failed')} onRetry={stats.reload} />}
      {stats.state === 'loading' && stats.data === undefined && <Loading />}
      {stats.data?.estimated !== undefined && (
        <p className="notice" role="note">
          {t('dashboard.estimated', { count: stats.data.estimated.sample })}
          {!stats.data.estimated.complete && ` ${t('dashboard.partial')}`}
        </p>
      )}
      {stats.data !== undefined && <Figures stats={stats.data.stats} />}
    </Page>
  );
}

function Totals({ stats }: { readonly stats: Stats }) {
  const { t, number } = useI18n();
  const sum = (field: 'submitted' | 'released' | 'approved' | 'rejected' | 'refused' | 'cancelled') => stats.days.reduce((total, day) => total + day[field], 0);
  const open = stats.agencies.reduce((total, agency) => total + agency.open.submitted + agency.open.delivered + agency.open.accepted + agency.open.inspection, 0);
  const cards = [
    { key: 'submitted', label: t('dashboard.submitted'), value: sum('submitted') },
    { key: 'released', label: t('dashboard.released'), value: sum('released') },
    { key: 'approved', label: t('status.approved'), value: sum('approved') },
    { key: 'rejected', label: t('dashboard.rejected'), value: sum('rejected') },
    { key: 'refused', label: t('status.refused'), value: sum('refused') },
    { key: 'cancelled', label: t('dashboard.cancelled'), value: sum('cancelled') },
    { key: 'open', label: t('dashboard.openParts'), value: open },
  ];
  return (
    <dl className="totals">
      {cards.map((card) => (
        <div key={card.key} className="total card" data-total={card.key}>
          <dt>{card.label}</dt>
          <dd>{number(card.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Submissions of each document type in the window: goods declarations beside filings and closures. */
function ByDocType({ stats }: { readonly stats: Stats }) {
  const { t, number, language } = useI18n();
  const types = useDocTypes();
  if (stats.docTypes.length === 0) return null;
  return (
    <div className="table-wrap card">
      <table data-table="doctypes">
        <caption>{t('dashboard.byDocType')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('document.type')}</th>
            <th scope="col" className="number">
              {t('dashboard.submitted')}
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.docTypes.map((entry) => (
            <tr key={entry.docType} data-doctype={entry.docType}>
              <th scope="row">{docTypeTitle(types.data?.doctypes, entry.docType, language)}</th>
              <td className="number">{number(entry.submitted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Figures({ stats }: { readonly stats: Stats }) {
  const { t, date, number } = useI18n();
  const agencies: readonly AgencyStats[] = stats.agencies;
  const volumeNames = [t('dashboard.submitted'), t('dashboard.released'), t('dashboard.rejected'), t('status.refused'), t('dashboard.cancelled')];
  const fields = ['submitted', 'released', 'rejected', 'refused', 'cancelled'] as const;
  const minutes = (value: number | null) => (value === null ? '—' : number(value, 1));
  const queueNames = [t('status.submitted'), t('status.delivered'), t('status.accepted'), t('status.inspection')];

  return (
    <>
      <p className="muted">{t('dashboard.range', { from: date(stats.from), to: date(stats.to) })}</p>
      <Totals stats={stats} />
      <ByDocType stats={stats} />
      <div className="charts">
        <ChartFigure
          title={t('dashboard.volumes')}
          summary={t('dashboard.volumesSummary')}
          legend={volumeNames}
          tableLabel={t('dashboard.showTable')}
          table={
            <table data-table="volumes">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.date')}</th>
                  {volumeNames.map((name) => (
                    <th scope="col" className="number" key={name}>
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.days.map((day) => (
                  <tr key={day.date}>
                    <th scope="row">{date(day.date)}</th>
                    {fields.map((field) => (
                      <td className="number" key={field}>
                        {day[field]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          }
        >
          {(ids) => <LineChart ids={ids} labels={stats.days.map((day) => day.date.slice(5))} series={fields.map((field, index) => ({ name: volumeNames[index] ?? field, values: stats.days.map((day) => day[field]) }))} />}
        </ChartFigure>

        <ChartFigure
          title={t('dashboard.clearance')}
          summary={t('dashboard.clearanceSummary')}
          legend={[t('dashboard.median'), t('dashboard.p90')]}
          tableLabel={t('dashboard.showTable')}
          table={
            <AgencyTable
              name="clearance"
              agencies={agencies}
              columns={[
                { label: t('dashboard.clearedParts'), value: (agency) => number(agency.clearanceMinutes.count) },
                { label: t('dashboard.medianMinutes'), value: (agency) => minutes(agency.clearanceMinutes.median) },
                { label: t('dashboard.p90Minutes'), value: (agency) => minutes(agency.clearanceMinutes.p90) },
              ]}
            />
          }
        >
          {(ids) => <BarChart ids={ids} seriesCount={2} rows={agencies.map((agency) => ({ label: agency.agency, values: [agency.clearanceMinutes.median, agency.clearanceMinutes.p90] }))} />}
        </ChartFigure>

        <ChartFigure
          title={t('dashboard.rejections')}
          summary={t('dashboard.rejectionsSummary')}
          tableLabel={t('dashboard.showTable')}
          table={
            <AgencyTable
              name="rejections"
              agencies={agencies}
              columns={[
                { label: t('dashboard.parts'), value: (agency) => number(agency.parts) },
                { label: t('dashboard.released'), value: (agency) => number(agency.released) },
                { label: t('status.approved'), value: (agency) => number(agency.approved) },
                { label: t('dashboard.rejected'), value: (agency) => number(agency.rejected) },
                { label: t('status.refused'), value: (agency) => number(agency.refused) },
                { label: t('dashboard.rejectionRate'), value: (agency) => (agency.rejectionRate === null ? '—' : `${number(percent(agency.rejectionRate), 1)}%`) },
              ]}
            />
          }
        >
          {(ids) => <BarChart ids={ids} seriesCount={1} format={(value) => `${short1(value)}%`} rows={agencies.map((agency) => ({ label: agency.agency, values: [percent(agency.rejectionRate)] }))} />}
        </ChartFigure>

        <ChartFigure
          title={t('dashboard.queues')}
          summary={t('dashboard.queuesSummary')}
          legend={queueNames}
          tableLabel={t('dashboard.showTable')}
          table={
            <AgencyTable
              name="queues"
              agencies={agencies}
              columns={[
                ...(['submitted', 'delivered', 'accepted', 'inspection'] as const).map((status) => ({ label: t(`status.${status}`), value: (agency: AgencyStats) => number(agency.open[status]) })),
                { label: t('dashboard.inboxPending'), value: (agency) => (agency.inboxPending === null ? '—' : number(agency.inboxPending)) },
              ]}
            />
          }
        >
          {(ids) => <BarChart ids={ids} seriesCount={4} stacked rows={agencies.map((agency) => ({ label: agency.agency, values: [agency.open.submitted, agency.open.delivered, agency.open.accepted, agency.open.inspection] }))} />}
        </ChartFigure>
      </div>
    </>
  );
}

const short1 = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

interface Column {
  readonly label: string;
  readonly value: (agency: AgencyStats) => string;
}

function AgencyTable({ name, agencies, columns }: { readonly name: string; readonly agencies: readonly AgencyStats[]; readonly columns: readonly Column[] }) {
  const { t } = useI18n();
  if (agencies.length === 0) return <p className="empty">{t('dashboard.noAgencies')}</p>;
  return (
    <table data-table={name}>
      <thead>
        <tr>
          <th scope="col">{t('submission.agency')}</th>
          {columns.map((column) => (
            <th scope="col" className="number" key={column.label}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {agencies.map((agency) => (
          <tr key={agency.agency} data-agency={agency.agency}>
            <th scope="row">
              <CodeName list="agency" code={agency.agency} />
            </th>
            {columns.map((column) => (
              <td className="number" key={column.label}>
                {column.value(agency)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
