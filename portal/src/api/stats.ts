/**
 * The operator's figures: GET /api/v1/stats. On a server that does not offer it yet, the same figures are
 * worked out here from the submissions the operator may list (the inbox backlog cannot be, and stays empty).
 */
import { api, ApiError } from './client';
import type { AgencyStats, ApiStats, DayStats, QuantileSummary, Stats, SubmissionList, SubmissionSummary } from './types';

export interface LoadedStats {
  readonly stats: Stats;
  /** Worked out in the browser from at most `sample` submissions, because the server has no /stats. */
  readonly estimated: { readonly sample: number; readonly complete: boolean } | undefined;
}

const DAY_MS = 86_400_000;
const MAX_PAGES = 10;

export async function loadStats(days: number, signal?: AbortSignal): Promise<LoadedStats> {
  try {
    return { stats: await api.get<ApiStats>('/stats', { days }, signal), estimated: undefined };
  } catch (error) {
    if (!(error instanceof ApiError) || !error.missingEndpoint) throw error;
  }
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) - (days - 1) * DAY_MS);
  const submissions: SubmissionSummary[] = [];
  let cursor: string | undefined;
  let complete = false;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer: SubmissionList = await api.get<SubmissionList>('/submissions', { limit: 200, cursor }, signal);
    submissions.push(...answer.submissions);
    const oldest = answer.submissions.at(-1);
    if (answer.next === null || (oldest !== undefined && Date.parse(oldest.createdAt) < from.getTime())) {
      complete = true;
      break;
    }
    cursor = answer.next;
  }
  return { stats: statsFrom(submissions, from, to), estimated: { sample: submissions.length, complete } };
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)] ?? 0;
  const above = sorted[Math.ceil(position)] ?? below;
  return below + (above - below) * (position - Math.floor(position));
}

function summary(values: number[]): QuantileSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

const dayOf = (iso: string): string => iso.slice(0, 10);

/** The dashboard's figures from a list of submissions: per day by creation and closing, per agency by part. */
export function statsFrom(submissions: readonly SubmissionSummary[], from: Date, to: Date): Stats {
  const days = new Map<string, { submitted: number; released: number; approved: number; rejected: number; refused: number; cancelled: number }>();
  for (let time = from.getTime(); time <= to.getTime(); time += DAY_MS) days.set(new Date(time).toISOString().slice(0, 10), { submitted: 0, released: 0, approved: 0, rejected: 0, refused: 0, cancelled: 0 });
  const docTypes = new Map<string, number>();
  const agencies = new Map<string, { parts: number; released: number; approved: number; rejected: number; refused: number; minutes: number[]; open: { submitted: number; delivered: number; accepted: number; inspection: number } }>();
  for (const submission of submissions) {
    const created = days.get(dayOf(submission.createdAt));
    if (created !== undefined) {
      created.submitted += 1;
      docTypes.set(submission.docType, (docTypes.get(submission.docType) ?? 0) + 1);
    }
    const closed = days.get(dayOf(submission.updatedAt));
    if (closed !== undefined && (submission.status === 'released' || submission.status === 'approved' || submission.status === 'rejected' || submission.status === 'refused' || submission.status === 'cancelled')) closed[submission.status] += 1;
    for (const part of submission.parts) {
      const open = part.status === 'submitted' || part.status === 'delivered' || part.status === 'accepted' || part.status === 'inspection';
      const inWindow = Date.parse(submission.createdAt) >= from.getTime();
      if (!inWindow && !open) continue;
      const agency = agencies.get(part.agency) ?? { parts: 0, released: 0, approved: 0, rejected: 0, refused: 0, minutes: [], open: { submitted: 0, delivered: 0, accepted: 0, inspection: 0 } };
      agencies.set(part.agency, agency);
      if (open) agency.open[part.status] += 1;
      if (!inWindow) continue;
      agency.parts += 1;
      if (part.status === 'released' || part.status === 'approved') {
        agency[part.status] += 1;
        agency.minutes.push((Date.parse(part.updatedAt) - Date.parse(submission.createdAt)) / 60_000);
      }
      if (part.status === 'rejected') agency.rejected += 1;
      if (part.status === 'refused') agency.refused += 1;
    }
  }
  const dayList: DayStats[] = [...days.entries()].map(([date, counts]) => ({ date, ...counts }));
  const agencyList: AgencyStats[] = [...agencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agency, counts]) => {
      const decided = counts.released + counts.approved + counts.rejected + counts.refused;
      return {
        agency,
        parts: counts.parts,
        released: counts.released,
        approved: counts.approved,
        rejected: counts.rejected,
        refused: counts.refused,
        rejectionRate: decided === 0 ? null : (counts.rejected + counts.refused) / decided,
        clearanceMinutes: summary(counts.minutes),
        open: counts.open,
        inboxPending: null,
      };
    });
  const docTypeList = [...docTypes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([docType, submitted]) => ({ docType, submitted }));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), days: dayList, agencies: agencyList, docTypes: docTypeList };
}
