/**
 * The contract every document type keeps, looped over every registered definition: its schema compiles and
 * labels every field in both languages, every code its rules report is registered, every code list it names
 * exists, its examples pass its rules, its projections match its parts' schemas, and the published definition
 * matches docs/doctypes/<id>.json.
 */
import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPublishedDocTypes } from '../../scripts/doctypes-doc.js';
import { startTestKouan, type TestKouan } from '../../test/support/kouan.js';
import { definitionProblems, unlabelled, validateDocument } from '../modules/doctypes/index.js';
import { assertCodeListsRegistered } from '../modules/doctypes/validation.js';
import { FIELD_PROBLEMS, NOTICES } from '../shared/errors.js';
import { createDocTypeRegistry } from './index.js';

const registry = createDocTypeRegistry();
const definitions = registry.all();

describe.each(definitions.map((definition) => [definition.id, definition] as const))('document type %s', (id, definition) => {
  let t: TestKouan;
  beforeAll(async () => {
    t = await startTestKouan('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is sound as data: lifecycle, options, reactions, parts', () => {
    expect(definitionProblems(definition)).toEqual([]);
    expect(definition.examples.length).toBeGreaterThan(0);
  });

  it('has a schema that compiles and labels every field in Chinese and English, and so does each part', () => {
    for (const schema of [definition.schema, ...definition.parts.map((part) => part.schema)] as TSchema[]) {
      expect(() => Compile(schema)).not.toThrow();
      expect(unlabelled(schema)).toEqual([]);
    }
  });

  it('reports only registered codes and names only registered code lists', () => {
    for (const rule of definition.rules) for (const code of rule.codes) expect(Object.hasOwn(FIELD_PROBLEMS, code), `${rule.id}: ${code}`).toBe(true);
    for (const advisory of definition.advisories ?? []) for (const code of advisory.notices) expect(Object.hasOwn(NOTICES, code), `${advisory.id}: ${code}`).toBe(true);
    for (const schema of [definition.schema, ...definition.parts.map((part) => part.schema)]) expect(() => assertCodeListsRegistered(schema, t.kouan.services.codes.registry)).not.toThrow();
  });

  it('passes each of its examples, and each projection matches its part schema', async () => {
    for (const example of definition.examples) {
      const declarant = (example.document as Record<string, unknown>)[definition.parties.declarant];
      const result = await validateDocument(definition, example.document, { partyId: String(declarant), roles: ['declarant'] }, t.kouan.services.codes);
      expect(result.errors, example.title.en).toEqual([]);
      const parts = definition.parts.filter((part) => part.applies(result.document));
      expect(parts.length, example.title.en).toBeGreaterThan(0);
      for (const part of parts) expect(Compile(part.schema).Check(part.project(result.document)), `${example.title.en}: ${part.docType}`).toBe(true);
    }
  });

  it('opens, from each example, an account the ledger accepts, of the type it publishes (or opens none)', async () => {
    const { ledger, store } = t.kouan.services;
    const opening = definition.reactions.some((reaction) => reaction.step === 'ledger.issue');
    expect(definition.ledger?.issues !== undefined && definition.ledger.opens !== undefined).toBe(opening);
    if (!opening) return;
    await ledger.preparePlatformKey();
    const holders = new Set<string>();
    for (const [index, example] of definition.examples.entries()) {
      const issue = definition.ledger?.issues?.(example.document as Record<string, unknown>, { approvedOn: '2026-12-01' });
      expect(issue?.type, example.title.en).toBe(definition.ledger?.opens);
      if (issue !== undefined && !holders.has(issue.holder)) await t.enterprise(issue.holder);
      holders.add(issue?.holder ?? '');
      const rolledBack = new Error('roll back');
      const opened = store.db.transaction().execute(async (trx) => {
        await ledger.issueOnApproval(trx, { ...(issue as NonNullable<typeof issue>), number: `CONTRACT-${index}`, tenant: t.kouan.config.tenant });
        throw rolledBack;
      });
      await expect(opened, example.title.en).rejects.toBe(rolledBack);
    }
  });

  it('is published as docs/doctypes/<id>.json says (run `npm run openapi` after changing a definition)', () => {
    const published = renderPublishedDocTypes().find((file) => file.file.pathname.endsWith(`/${id}.json`));
    expect(published).toBeDefined();
    expect(readFileSync(published?.file ?? '', 'utf8')).toBe(published?.content);
  });
});

describe('the kernel refuses a definition that contradicts itself', () => {
  it('names each problem', () => {
    const [goods] = definitions;
    if (goods === undefined) throw new Error('no document type registered');
    const broken = { ...goods, reactions: [...goods.reactions, { id: 'odd', on: { outcomes: ['approved'] }, step: 'ledger.void' as const }], options: { schema: goods.options?.schema ?? ({}), values: { country: 'China' } } };
    expect(definitionProblems(broken)).toEqual(['its options do not match their schema', 'reaction odd: no outcome approved']);
    const opening = { ...goods, reactions: [{ id: 'open', on: { outcomes: ['released'] }, step: 'ledger.issue' as const }], ledger: { opens: 'import-licence' } };
    expect(definitionProblems(opening)).toEqual([
      'ledger.opens: account type import-licence is unknown or not issued by the platform',
      'reaction open: the document type opens no ledger account (ledger.issues and ledger.opens)',
      "reaction open: an account is opened or closed when the whole document reaches a status, not on one part's outcome",
    ]);
    // Attachment kinds and formats are data the registry checks too.
    const photo = goods.attachments?.find((kind) => kind.id === 'photo');
    if (photo === undefined) throw new Error('the goods declaration has no photo kind');
    const filing = {
      ...goods,
      schema: { ...goods.schema, properties: { ...(goods.schema as { properties: object }).properties, attachments: {} } },
      attachments: [photo, { ...photo, agencies: ['MSA'], maxCount: 0 }, { ...photo, id: 'Scan', mediaTypes: ['text/html' as 'image/png'] }],
      formats: [...(goods.formats ?? []), ...(goods.formats ?? []).filter((format) => format.id === 'cusdec').map((format) => ({ ...format, mediaType: 'Application/EDIFACT' }))],
    };
    expect(definitionProblems(filing)).toEqual([
      'two formats have one id',
      'format cusdec: its media type is written in lower case',
      'the schema has a field "attachments", which is the path of the files a document carries',
      'two attachment kinds have one id',
      'attachment kind photo: maxCount must be a positive integer',
      'attachment kind photo: no part goes to MSA',
      'attachment kind Scan: an id is lower-case letters, digits and hyphens',
      'attachment kind Scan: media types must be some of application/pdf, application/ofd, image/jpeg, image/png, image/tiff',
    ]);
  });
});
