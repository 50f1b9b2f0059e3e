/**
 * Lists of declarations of every document type: an enterprise's (and an operator's) newest first, and an agency
 * officer's worklist of the parts routed to the agency, oldest first (the longest waiting on top). The status and
 * document-type filters are in the address.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, queryString } from '../api/client';
import { docTypeTitle, useDocTypes } from '../api/doctypes';
import { declarationNumber, PART_STATUSES, type DocTypeSummary, SUBMISSION_STATUSES, type SubmissionList, type SubmissionStatus, type SubmissionSummary } from '../api/types';
import { mergedRows, OPEN_PART_STATUSES, type Order, type Stream } from '../api/worklist';
import { asApiError, useResource } from '../api/use-resource';
import { SelectField, TextField } from '../components/field';
import { Loading, Page } from '../components/page';
import { ProblemPanel } from '../components/problem-panel';
import { StatusBadge } from '../components/status-badge';
import { CodeName } from '../components/code-name';
import { useI18n, type Translate } from '../i18n/i18n';
import { Link, navigate, useLocation } from '../router/router';


/** The worklist's filter value for every part, finished ones included (the empty value is the open ones). */
const ALL = 'all';

interface Filter {
  readonly status: string;
  /** A declaration number prefix, or the exact credit code of the declarant or trader. */
  readonly q: string;
  /** A document type's id; empty for every type. */
  readonly type: string;
}

interface Loaded {
  readonly streams: readonly Stream<SubmissionSummary>[];
  /** The server has no `order` yet: the page was sorted here, not across pages. */
  readonly sortedHere: boolean;
}

const orderUnsupported = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 400 && (error.problem.errors ?? []).some((problem) => problem.path === 'querystring:$.order');

/** One page of one status; on a server without `order`, the newest-first page sorted oldest first. */
async function loadPage(order: Order, status: string | undefined, filter: Filter, cursor: string | undefined, signal?: AbortSignal): Promise<SubmissionList & { sortedHere: boolean }> {
  const query = { status, q: filter.q, cursor, limit: 50, ...(filter.type === '' ? {} : { docType: filter.type }) };
  try {
    const page = await api.get<SubmissionList>('/submissions', { ...query, ...(order === 'oldest' ? { order } : {}) }, signal);
    return { ...page, sortedHere: false };
  } catch (error) {
    if (order !== 'oldest' || !orderUnsupported(error)) throw error;
    const page = await api.get<SubmissionList>('/submissions', query, signal);
    return { submissions: [...page.submissions].sort((a, b) => a.createdAt.localeCompare(b.createdAt)), next: page.next, sortedHere: true };
  }
}

/**
 * The next page of every stream that has one (the first page of each when `loaded` is undefined). The API filters
 * on one status at a time, so "waiting for us" is one stream per open status, merged here.
 */
async function loadStreams(order: Order, statuses: readonly (string | undefined)[], filter: Filter, loaded: Loaded | undefined, signal?: AbortSignal): Promise<Loaded> {
  const before: readonly Stream<SubmissionSummary>[] = loaded?.streams ?? statuses.map((status) => ({ status, rows: [], next: '' }));
  const pages = await Promise.all(
    before.map(async (stream) => {
      if (stream.next === null) return { stream, sortedHere: false };
      const page = await loadPage(order, stream.status, filter, stream.next === '' ? undefined : stream.next, signal);
      return { stream: { status: stream.status, rows: [...stream.rows, ...page.submissions], next: page.next }, sortedHere: page.sortedHere };
    }),
  );
  return { streams: pages.map((page) => page.stream), sortedHere: (loaded?.sortedHere ?? false) || pages.some((page) => page.sortedHere) };
}

export function SubmissionsPage({ worklist }: { readonly worklist: boolean }) {
  const { t, language } = useI18n();
  const { query, path } = useLocation();
  const filter: Filter = { status: query.get('status') ?? '', q: query.get('q') ?? '', type: query.get('type') ?? '' };
  const docTypes = useDocTypes();
  const types = docTypes.data?.doctypes;
  const order: Order = worklist ? 'oldest' : 'newest';
  const streams: readonly (string | undefined)[] = worklist && filter.status === '' ? OPEN_PART_STATUSES : [filter.status === '' || filter.status === ALL ? undefined : filter.status];
  const key = `${order}:${filter.status}:${filter.q}:${filter.type}`;
  const first = useResource((signal) => loadStreams(order, streams, filter, undefined, signal), key);
  const [search, setSearch] = useState(filter.q);
  const [more, setMore] = useState<{ readonly key: string; readonly loaded: Loaded } | undefined>(undefined);
  const [moreError, setMoreError] = useState<ApiError | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const loaded = more?.key === key ? more.loaded : first.data;
  const rows = loaded === undefined ? [] : mergedRows(loaded.streams, order);
  const hasMore = loaded?.streams.some((stream) => stream.next !== null) ?? false;

  const statuses: readonly SubmissionStatus[] = worklist ? PART_STATUSES : SUBMISSION_STATUSES;
  const statusName = statuses.find((candidate) => candidate === filter.status);
  const show = (next: Filter) => navigate(`${path}${queryString({ status: next.status, q: next.q, type: next.type })}`, { replace: true });
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    show({ ...filter, q: search.trim() });
  };

  const loadMore = async () => {
    if (loaded === undefined || !hasMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      setMore({ key, loaded: await loadStreams(order, streams, filter, loaded) });
    } catch (error) {
      setMoreError(asApiError(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const options = worklist
    ? [{ value: '', label: t('worklist.open') }, { value: ALL, label: t('worklist.all') }, ...statuses.map((value) => ({ value, label: t(`status.${value}`) }))]
    : [{ value: '', label: t('filter.all') }, ...statuses.map((value) => ({ value, label: t(`status.${value}`) }))];
  const empty = statusName !== undefined ? t('submissions.noneWithStatus', { status: t(`status.${statusName}`) }) : filter.q !== '' ? t('submissions.noneFound') : worklist && filter.status === '' ? t('worklist.noneOpen') : t('submissions.none');

  return (
    <Page
      title={worklist ? t('worklist.title') : t('submissions.title')}
      lead={<p>{worklist ? t('worklist.lead') : t('submissions.lead')}</p>}
      actions={
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            setMore(undefined);
            first.reload();
          }}
        >
          {t('action.refresh')}
        </button>
      }
    >
      <form className="filters card" role="search" onSubmit={onSearch}>
        <SelectField id="status-filter" label={worklist ? t('worklist.filter') : t('submissions.filter')} value={filter.status} onValue={(status) => show({ ...filter, status })} options={options} />
        <SelectField
          id="doctype-filter"
          label={t('document.type')}
          value={filter.type}
          onValue={(type) => show({ ...filter, type })}
          options={[
            { value: '', label: t('document.allTypes') },
            ...(types ?? []).map((type) => ({ value: type.id, label: type.title[language] })),
            // A type in the address that the list does not (yet) have stays chosen.
            ...(filter.type === '' || (types ?? []).some((type) => type.id === filter.type) ? [] : [{ value: filter.type, label: filter.type }]),
          ]}
        />
        <TextField id="submission-search" label={t('submissions.search')} hint={t('submissions.searchHint')} value={search} onValue={setSearch} spellCheck={false} autoComplete="off" />
        <div className="actions">
          <button type="submit" className="button secondary">
            {t('tracking.search')}
          </button>
        </div>
      </form>
      {docTypes.state === 'failed' && <ProblemPanel error={docTypes.error} context={t('document.typesFailed')} onRetry={docTypes.reload} />}
      {first.state === 'failed' && <ProblemPanel error={first.error} context={t('submissions.loadFailed')} onRetry={first.reload} />}
      {first.state === 'loading' && first.data === undefined && <Loading />}
      {loaded?.sortedHere === true && <p className="notice">{t('worklist.sortedHere')}</p>}
      {loaded !== undefined && (rows.length === 0 && !hasMore ? <p className="empty">{empty}</p> : worklist ? <WorklistTable rows={rows} types={types} /> : <SubmissionTable rows={rows} types={types} />)}
      {moreError !== undefined && <ProblemPanel error={moreError} context={t('submissions.loadFailed')} />}
      {hasMore && (
        <button type="button" className="button secondary" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? t('loading') : t('submissions.more')}
        </button>
      )}
    </Page>
  );
}

interface TableProps {
  readonly rows: readonly SubmissionSummary[];
  readonly types: readonly DocTypeSummary[] | undefined;
}

function SubmissionTable({ rows, types }: TableProps) {
  const { t, dateTime, language } = useI18n();
  return (
    <div className="table-wrap">
      <table className="submissions">
        <caption className="visually-hidden">{t('submissions.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('submissions.id')}</th>
            <th scope="col">{t('document.type')}</th>
            <th scope="col">{t('submission.createdAt')}</th>
            <th scope="col">{t('submission.status')}</th>
            <th scope="col">{t('submission.trader')}</th>
            <th scope="col">{t('submission.parts')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <Link to={`/submissions/${encodeURIComponent(row.id)}`} className="code">
                  {declarationNumber(row)}
                </Link>
              </th>
              <td data-doctype={row.docType}>{docTypeTitle(types, row.docType, language)}</td>
              <td>{dateTime(row.createdAt)}</td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td className="code">{row.trader ?? '—'}</td>
              <td>
                <ul className="inline-list">
                  {row.parts.map((part) => (
                    <li key={part.agency}>
                      <CodeName list="agency" code={part.agency} /> <StatusBadge status={part.status} />
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How long a part has waited, in the largest whole unit. */
function waited(since: string, t: Translate): string {
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60_000));
  if (minutes < 60) return t('age.minutes', { count: minutes });
  if (minutes < 48 * 60) return t('age.hours', { count: Math.floor(minutes / 60) });
  return t('age.days', { count: Math.floor(minutes / 1440) });
}

function WorklistTable({ rows, types }: TableProps) {
  const { t, dateTime, language } = useI18n();
  return (
    <div className="table-wrap">
      <table className="worklist">
        <caption className="visually-hidden">{t('worklist.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('submissions.id')}</th>
            <th scope="col">{t('document.type')}</th>
            <th scope="col">{t('worklist.received')}</th>
            <th scope="col">{t('worklist.waiting')}</th>
            <th scope="col">{t('worklist.partStatus')}</th>
            <th scope="col">{t('submission.declarant')}</th>
            <th scope="col">{t('submission.trader')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <Link to={`/submissions/${encodeURIComponent(row.id)}`} className="code">
                  {declarationNumber(row)}
                </Link>
              </th>
              <td data-doctype={row.docType}>{docTypeTitle(types, row.docType, language)}</td>
              <td>{dateTime(row.createdAt)}</td>
              <td>{waited(row.createdAt, t)}</td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td className="code">{row.declarant}</td>
              <td className="code">{row.trader ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
