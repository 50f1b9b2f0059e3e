import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_FILE, renderAuthorizationDoc } from '../scripts/authorization-doc.js';
import { ERRORS_FILE, renderErrorsDoc } from '../scripts/errors-doc.js';
import { generateOpenApi, OPENAPI_FILE } from '../scripts/openapi.js';
import { FIELD_PROBLEMS, NOTICES, PROBLEMS } from '../src/shared/errors.js';

describe('published contract', () => {
  it('docs/openapi.json matches the routes (run `npm run openapi` after changing the API)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(await generateOpenApi());
  });

  it('docs/authorization.md matches the policies and the route table (run `npm run openapi`)', () => {
    const openapi = readFileSync(OPENAPI_FILE, 'utf8');
    const doc = readFileSync(AUTHORIZATION_FILE, 'utf8');
    expect(doc).toBe(renderAuthorizationDoc(openapi));
    // Every action is taken by some route: an action no route names is a policy nobody asks.
    expect(doc).not.toContain('| none |');
  });

  it('docs/errors.md matches the error registry (run `npm run docs:errors`)', () => {
    const doc = readFileSync(ERRORS_FILE, 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    for (const code of [...Object.keys(PROBLEMS), ...Object.keys(FIELD_PROBLEMS), ...Object.keys(NOTICES)]) expect(doc).toContain(`| \`${code}\` |`);
  });

  it('every message has both languages and the same placeholders in each', () => {
    for (const [code, spec] of Object.entries({ ...PROBLEMS, ...FIELD_PROBLEMS, ...NOTICES })) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(spec.zh, code).toMatch(/\p{Script=Han}/u);
      expect(names(spec.zh), code).toEqual(names(spec.en));
    }
  });
});
