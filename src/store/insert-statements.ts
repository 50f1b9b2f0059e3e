/**
 * Inserts on the hot path, compiled by Kysely once per shape and only bound after that. Building and compiling an
 * insert with the query builder takes tens of microseconds, on every call, for SQL that is the same each time
 * for the same table, columns and row count; a submission runs several. Here the first call of a shape is built
 * by the caller's builder and compiled as usual; when its parameters are exactly the rows' values in column
 * order (no default left out, no value in a conflict clause), its SQL is kept and later calls of the shape send
 * that SQL with the rows' values. A shape whose parameters are anything else is always built.
 *
 * One instance per repository, so per store: the SQL is the dialect's.
 */
import { CompiledQuery, type Compilable, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The shapes kept per instance; beyond it the oldest is compiled again when it comes back. */
const SHAPES = 512;

export class InsertStatements {
  /** By shape: the SQL to bind, or null for a shape that must be built every time. */
  readonly #sql = new Map<string, string | null>();

  /**
   * Inserts `rows` as `build` would; `name` tells apart the
   * statements of one repository (a table with two conflict clauses has two names).
   */
  async run<R>(db: Kysely<Database> | Transaction<Database>, name: string, rows: readonly object[], build: () => Compilable<R>): Promise<R[]> {
    const values = boundValues(rows);
    const key = values === undefined ? undefined : `${name}\n${rows.length}\n${values.columns}`;
    const known = key === undefined ? null : this.#sql.get(key);
    if (typeof known === 'string' && values !== undefined) return (await db.executeQuery<R>(CompiledQuery.raw(known, values.parameters))).rows;
    const compiled = build().compile();
    if (key !== undefined && values !== undefined && known === undefined) {
      if (this.#sql.size >= SHAPES) this.#sql.delete(this.#sql.keys().next().value ?? '');
      this.#sql.set(key, sameValues(compiled.parameters, values.parameters) ? compiled.sql : null);
    }
    return (await db.executeQuery<R>(compiled)).rows;
  }
}

/** The rows' values in the first row's column order, when every row has those columns and no others, all given. */
function boundValues(rows: readonly object[]): { columns: string; parameters: unknown[] } | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const columns = Object.keys(first);
  const parameters: unknown[] = [];
  for (const row of rows as readonly Record<string, unknown>[]) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length) return undefined;
    // As many keys, each of the first row's given: the same columns (Kysely reads each row's values by name).
    for (const column of columns) {
      const value = row[column];
      // Kysely leaves an undefined value out (the column's default), so the SQL would not be this shape's.
      if (value === undefined) return undefined;
      parameters.push(value);
    }
  }
  return { columns: columns.join(','), parameters };
}

function sameValues(compiled: readonly unknown[], bound: readonly unknown[]): boolean {
  return compiled.length === bound.length && compiled.every((value, index) => value === bound[index]);
}
