/**
 * The open registry of code lists: a list is a definition (data), not a branch in the code. Modules register
 * theirs at start-up (the codes module the ones Kouan ships, a document type its own); `GET /api/v1/codes`
 * lists them, `GET /api/v1/codes/{list}` searches any of them, and a schema's `x-code-list` may name any of them.
 *
 * Three kinds of source:
 *   built-in  the entries are compiled into Kouan (small, stable lists: ISO 3166, UN/ECE Rec 19 ...)
 *   store     an operator imports the entries (`kouan codes import <list> FILE`) into code_list_entries
 *   special   the list keeps its own tables and checks (hs, locode, tariff, customs-offices)
 */
import type { FieldCode } from '../../shared/errors.js';

/** A code's names in English and Chinese. */
export interface CodeName {
  readonly en: string;
  readonly zh: string;
}

/** Where a list's entries come from. */
export type CodeListSource =
  | { readonly kind: 'built-in'; readonly entries: ReadonlyMap<string, CodeName> }
  | {
      readonly kind: 'store';
      /** What every code of the list looks like (a regular expression); a file with another code is refused at import. */
      readonly codePattern: string;
      /** The file's columns holding the names when they are not `en`/`name_en` and `zh`/`name_zh`. */
      readonly columns?: { readonly en?: string; readonly zh?: string };
      /** Where the public data to import is found, for the operator (documentation only). */
      readonly file?: string;
    }
  | { readonly kind: 'special' };

/** The lists with tables and checks of their own; a special list has one of these ids (its code is in the codes module). */
export const SPECIAL_LISTS = ['hs', 'locode', 'tariff', 'customs-offices'] as const;
export type SpecialList = (typeof SPECIAL_LISTS)[number];

export function isSpecialList(id: string): id is SpecialList {
  return (SPECIAL_LISTS as readonly string[]).includes(id);
}

export type CodeListKind = CodeListSource['kind'];

/** One code list. */
export interface CodeListDefinition {
  /** The list's id in URLs, in `x-code-list` and on the command line. */
  readonly id: string;
  readonly title: CodeName;
  /** The field code of a value not in the list. */
  readonly errorCode: FieldCode;
  readonly source: CodeListSource;
}

/** A store-backed list's definition, narrowed. */
export type StoredCodeList = CodeListDefinition & { readonly source: Extract<CodeListSource, { kind: 'store' }> };

// Short enough for the route's `{list}` parameter, and safe in a URL and on a command line as typed.
const ID = /^[a-z][a-z0-9-]{1,31}$/;

/** The code lists a deployment knows, in the order they were registered. */
export class CodeListRegistry {
  private readonly lists = new Map<string, CodeListDefinition>();

  /** Adds lists; a second list with an id already registered, or a malformed definition, is refused (a start-up error). */
  register(...definitions: readonly CodeListDefinition[]): this {
    for (const definition of definitions) {
      const problem = definitionProblem(definition);
      if (problem !== undefined) throw new Error(`code list "${definition.id}": ${problem}`);
      if (this.lists.has(definition.id)) throw new Error(`code list "${definition.id}" is registered twice`);
      this.lists.set(definition.id, definition);
    }
    return this;
  }

  get(id: string): CodeListDefinition | undefined {
    return this.lists.get(id);
  }

  /** The store-backed list of this id, or undefined when there is none (unknown, built in or special). */
  stored(id: string): StoredCodeList | undefined {
    const definition = this.lists.get(id);
    return definition !== undefined && isStored(definition) ? definition : undefined;
  }

  all(): readonly CodeListDefinition[] {
    return [...this.lists.values()];
  }
}

export function isStored(definition: CodeListDefinition): definition is StoredCodeList {
  return definition.source.kind === 'store';
}

function definitionProblem(definition: CodeListDefinition): string | undefined {
  if (!ID.test(definition.id)) return `the id must match ${ID.source}`;
  if (definition.title.en.trim() === '' || definition.title.zh.trim() === '') return 'the title needs English and Chinese';
  const { source } = definition;
  switch (source.kind) {
    case 'built-in':
      return source.entries.size === 0 ? 'a built-in list needs entries' : undefined;
    case 'store':
      try {
        new RegExp(source.codePattern, 'u');
        return undefined;
      } catch {
        return `the code pattern ${source.codePattern} is not a regular expression`;
      }
    case 'special':
      return isSpecialList(definition.id) ? undefined : `a special list is one of ${SPECIAL_LISTS.join(', ')}: its checks are code; register a built-in or store-backed list`;
  }
}
