/**
 * Selects, updates and deletes on the hot path, compiled by Kysely once and only bound after that. A query is
 * written once with the query builder, its varying values named: `build` gets the values as stand-ins, and the
 * first call compiles it with them; the compiled parameters that are stand-ins become slots, filled from each
 * later call's values, the others (a constant written in the query) stay as compiled. Building and compiling a
 * query takes tens of microseconds, on every call, for SQL that is the same each time; a submission and a
 * write-off each run several.
 *
 * A query whose shape depends on its values (a list of `in`, a condition added when a value is given) names
 * that shape in its key: each key is compiled once. Values must be scalars (strings, numbers, bigints, booleans,
 * null): a stand-in used where Kysely would look into the value (an array for `in`, an object for a JSON value)
 * is not a parameter, so the first call refuses it rather than keep SQL that would be wrong.
 *
 * One instance per repository, so per store: the SQL is the dialect's.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The keys kept per instance; beyond it the oldest is compiled again when it comes back. */
const KEYS = 512;

export type Scalar = string | number | bigint | boolean | null;

/** What a value's stand-in is, in the compiled parameters. */
class StandIn {
  constructor(readonly name: string) {}
}

interface Kept {
  sql: string;
  /** Per compiled parameter: the name of the value that fills it, or a constant to send as it is. */
  slots: readonly ({ name: string } | { constant: unknown })[];
}

export class PreparedQueries {
  readonly #kept = new Map<string, Kept>();

  /** Runs the query `build` writes, with `values` in its named places; `key` names the query (and its shape). */
  async run<V extends Record<string, Scalar>, R>(db: Kysely<Database> | Transaction<Database>, key: string, values: V, build: (values: V) => Compilable<R>): Promise<QueryResult<R>> {
    let kept = this.#kept.get(key);
    if (kept === undefined) {
      kept = compile(key, values, build);
      if (this.#kept.size >= KEYS) this.#kept.delete(this.#kept.keys().next().value ?? '');
      this.#kept.set(key, kept);
    }
    const parameters = kept.slots.map((slot) => ('name' in slot ? values[slot.name] : slot.constant));
    return db.executeQuery<R>(CompiledQuery.raw(kept.sql, parameters));
  }

  /** The rows of a select. */
  async rows<V extends Record<string, Scalar>, R>(db: Kysely<Database> | Transaction<Database>, key: string, values: V, build: (values: V) => Compilable<R>): Promise<R[]> {
    return (await this.run(db, key, values, build)).rows;
  }

  /** The rows an update or delete changed. */
  async affected<V extends Record<string, Scalar>>(db: Kysely<Database> | Transaction<Database>, key: string, values: V, build: (values: V) => Compilable<unknown>): Promise<bigint> {
    return (await this.run(db, key, values, build)).numAffectedRows ?? 0n;
  }
}

function compile<V extends Record<string, Scalar>, R>(key: string, values: V, build: (values: V) => Compilable<R>): Kept {
  const standIns = Object.fromEntries(Object.keys(values).map((name) => [name, new StandIn(name)])) as unknown as V;
  const compiled = build(standIns).compile();
  const used = new Set<string>();
  const slots = compiled.parameters.map((parameter) => {
    if (!(parameter instanceof StandIn)) return { constant: parameter };
    used.add(parameter.name);
    return { name: parameter.name };
  });
  // A value Kysely did not send as a parameter was looked into or written into the SQL: not this kind's query.
  const missing = Object.keys(values).filter((name) => !used.has(name));
  if (missing.length > 0 || compiled.sql.includes('[object Object]')) throw new Error(`prepared query ${key}: ${missing.join(', ') || 'a value'} is not a plain parameter`);
  return { sql: compiled.sql, slots };
}

/**
 * A list's values as named values for a prepared `in`: `${prefix}0`, `${prefix}1`, ... (its length belongs in the
 * query's key). `listed` gives the build the same list back, its stand-ins in the list's order.
 */
export function named<T extends Scalar>(prefix: string, list: readonly T[]): Record<string, T> {
  return Object.fromEntries(list.map((value, index) => [`${prefix}${index}`, value]));
}

export function listed<T extends Scalar>(given: Readonly<Record<string, T>>, prefix: string, count: number): T[] {
  return Array.from({ length: count }, (_, index) => given[`${prefix}${index}`] as T);
}
