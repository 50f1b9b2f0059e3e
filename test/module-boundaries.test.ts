/**
 * The kernel's boundaries, read off the source: every table is declared by one module (its `*.tables.ts`) and
 * queried only from that module's folder, and no module outside `src/doctypes/` names a document type. A
 * change that reaches into another module's table, or teaches the platform about one document type, fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocTypeRegistry } from '../src/doctypes/index.js';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sources(SRC).map((path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

/** The tables each module declares: the members of the `*Tables` interfaces of its `*.tables.ts` files. */
function declaredTables(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files.filter((candidate) => /^src\/modules\/[^/]+\/[^/]+\.tables\.ts$/.test(candidate.path))) {
    const module = file.path.split('/')[2] ?? '';
    for (const block of file.text.matchAll(/export interface \w+Tables \{([^}]*)\}/g)) {
      for (const member of (block[1] ?? '').matchAll(/^\s+(\w+): \w+;$/gm)) {
        const table = member[1] ?? '';
        expect(owners.get(table), `table ${table} is declared twice`).toBeUndefined();
        owners.set(table, module);
      }
    }
  }
  return owners;
}

/** Every table a query builder names in a file: selectFrom('t'), insertInto('t as x'), innerJoin('t', ...), sql.table('t'). */
function queriedTables(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|table)\(\s*'([a-z_]+)(?: as \w+)?'/g)) found.add(match[1] ?? '');
  return found;
}

describe('module boundaries', () => {
  const owners = declaredTables();

  it('every table of the store is declared by exactly one module', () => {
    const schema = readFileSync(join(SRC, 'store/schema.ts'), 'utf8');
    // The store's Database is made of the modules' declarations only.
    expect(schema).not.toMatch(/^export interface (?!Database\b)\w+/m);
    expect(owners.size).toBeGreaterThan(40);
    for (const table of ['submissions', 'parts', 'ledger_accounts', 'domain_events', 'deliveries', 'tracking_events', 'api_keys']) expect(owners.has(table), table).toBe(true);
  });

  it("only a table's own module queries it", () => {
    const trespasses: string[] = [];
    for (const file of files) {
      if (file.path.startsWith('src/store/')) continue; // migrations see the tables as they were, untyped
      const module = /^src\/modules\/([^/]+)\//.exec(file.path)?.[1];
      for (const table of queriedTables(file.text)) {
        const owner = owners.get(table);
        if (owner === undefined) trespasses.push(`${file.path}: ${table} is no module's table`);
        else if (owner !== module) trespasses.push(`${file.path}: ${table} belongs to ${owner}`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('the check finds a trespass where there is one', () => {
    expect([...queriedTables(`db.selectFrom('parts').innerJoin('submissions as s', 's.id', 'parts.submission_id')`)]).toEqual(['parts', 'submissions']);
    expect([...queriedTables("sql`select 1 from ${sql.table('domain_events')}`")]).toEqual(['domain_events']);
  });

  it('no module outside src/doctypes names a document type', () => {
    const ids = createDocTypeRegistry().ids();
    expect(ids).toContain('exhibition-filing');
    const named = files
      .filter((file) => !file.path.startsWith('src/doctypes/'))
      .flatMap((file) => ids.filter((id) => file.text.includes(`'${id}'`) || file.text.includes(`"${id}"`)).map((id) => `${file.path}: ${id}`));
    expect(named).toEqual([]);
  });
});
