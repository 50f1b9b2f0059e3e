/**
 * Lists merged from several status filters: the API filters on one status at a time, and an officer's worklist
 * opens on every status still waiting for the agency. Pure functions, so they are tested without a browser.
 */

/** What a merge needs of a listed declaration (it imports nothing, so the unit tests load it as it is). */
export interface Listed {
  readonly id: string;
  readonly createdAt: string;
}

export type Order = 'newest' | 'oldest';

/** An officer's parts still waiting for the agency: not yet decided for good. The worklist opens on these. */
export const OPEN_PART_STATUSES = ['submitted', 'delivered', 'accepted', 'inspection'] as const;

/** One status filter's run of pages, in the server's order; `next` null once it has no more. */
export interface Stream<Row extends Listed> {
  readonly status: string | undefined;
  readonly rows: readonly Row[];
  readonly next: string | null;
}

/**
 * What may be shown of merged streams, in order: every row up to the last one of the stream that stops earliest
 * (a stream with more pages may still hold rows that come before the others' later ones); the rest after "More".
 */
export function mergedRows<Row extends Listed>(streams: readonly Stream<Row>[], order: Order): readonly Row[] {
  if (streams.length === 1) return streams[0]?.rows ?? [];
  const before = (a: string, b: string) => (order === 'oldest' ? a.localeCompare(b) : b.localeCompare(a));
  const horizon = streams
    .filter((stream) => stream.next !== null && stream.rows.length > 0)
    .map((stream) => stream.rows.at(-1)?.createdAt ?? '')
    .sort(before)[0];
  return streams
    .flatMap((stream) => stream.rows)
    .filter((row) => horizon === undefined || before(row.createdAt, horizon) <= 0)
    .sort((a, b) => before(a.createdAt, b.createdAt) || before(a.id, b.id));
}
