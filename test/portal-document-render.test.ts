/**
 * The portal's DocumentForm (portal/src/document/document-form.tsx) rendered to HTML from a schema of the test's
 * own: every field under its label in the chosen language, required ones marked to assistive technology, choices
 * as selects, groups as fieldsets, rows numbered, and a problem the API reported shown on its field once left.
 * The components are loaded by URL, so the server's compiler (no JSX) does not read them; vitest transforms them.
 */
import { createElement, type ComponentType, type Context, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describe as describeSchema, fromDocument, type FormValue, type ObjectNode } from '../portal/src/document/schema-form.js';

type Problem = { path: string; code: string; message: string };
interface Modules {
  form: { DocumentForm: ComponentType<{ root: ObjectNode; value: FormValue; update: () => void }> };
  checks: { ChecksContext: Context<{ errorsAt: (path: string, nested?: boolean) => readonly Problem[]; touch: (path: string) => void }> };
  i18n: { I18nContext: Context<unknown>; translate: (language: 'en' | 'zh', key: string, params?: Record<string, string | number>) => string };
}
const load = async (file: string): Promise<unknown> => import(/* @vite-ignore */ new URL(`../portal/src/${file}`, import.meta.url).href);
const modules = async (): Promise<Modules> => ({
  form: (await load('document/document-form.tsx')) as Modules['form'],
  checks: (await load('declaration/checks.tsx')) as Modules['checks'],
  i18n: (await load('i18n/i18n.tsx')) as Modules['i18n'],
});

const SCHEMA = {
  type: 'object',
  required: ['vesselImo', 'direction', 'agent', 'crew'],
  properties: {
    vesselImo: { type: 'string', 'x-label': { en: 'IMO number', zh: 'IMO 编号' }, 'x-help': { en: 'Seven digits', zh: '七位数字' } },
    direction: { enum: ['arrival', 'departure'], 'x-label': { en: 'Arrival or departure', zh: '进港或出港' } },
    port: { type: 'string', 'x-code-list': 'locode', 'x-label': { en: 'Port', zh: '港口' } },
    dues: { anyOf: [{ type: 'number' }, { type: 'string' }], 'x-decimal': { integer: 12, scale: 2 }, title: 'Port dues' },
    agent: { type: 'object', required: ['name'], 'x-label': { en: 'Shipping agent', zh: '船舶代理' }, properties: { name: { type: 'string', 'x-label': { en: 'Name', zh: '名称' } } } },
    crew: {
      type: 'array',
      minItems: 1,
      'x-label': { en: 'Crew', zh: '船员' },
      items: { type: 'object', required: ['rank'], properties: { rank: { enum: ['master', 'rating'], 'x-label': { en: 'Rank', zh: '职务' } } } },
    },
  },
};

async function render(language: 'en' | 'zh', problems: readonly Problem[] = [], data: unknown = { crew: [{}, {}] }): Promise<string> {
  const { form, checks, i18n } = await modules();
  const root = describeSchema(SCHEMA) as ObjectNode;
  const value = fromDocument(root, data);
  const t = (key: string, params?: Record<string, string | number>) => i18n.translate(language, key, params);
  const words = { language, setLanguage: () => undefined, t, count: (key: string, n: number) => t(`${key}.other`, { count: n }), dateTime: String, date: String, number: String };
  const shown = { errorsAt: (path: string) => problems.filter((problem) => problem.path === path), touch: () => undefined };
  const tree: ReactNode = createElement(form.DocumentForm, { root, value, update: () => undefined });
  return renderToStaticMarkup(createElement(i18n.I18nContext.Provider, { value: words }, createElement(checks.ChecksContext.Provider, { value: shown }, tree)));
}

describe('DocumentForm', () => {
  it('labels every field in the chosen language, with its help', async () => {
    const zh = await render('zh');
    for (const label of ['IMO 编号', '七位数字', '进港或出港', '港口', '船舶代理', '名称', '船员 第 1 项', '船员 第 2 项', '职务']) expect(zh).toContain(label);
    // No Chinese words in the schema: its title rather than nothing.
    expect(zh).toContain('Port dues');
    const en = await render('en');
    for (const label of ['IMO number', 'Seven digits', 'Arrival or departure', 'Shipping agent', 'Crew 1', 'Crew 2', 'Rank']) expect(en).toContain(label);
    expect(en).not.toContain('IMO 编号');
  });

  it('renders each field as its schema calls for, at the id of its JSON path', async () => {
    const html = await render('en');
    expect(html).toMatch(/<input id="f-vesselImo"[^>]*aria-required="true"/);
    expect(html).toMatch(/<select id="f-direction"[^>]*aria-required="true"[^>]*>.*<option value="arrival">arrival<\/option><option value="departure">departure<\/option>/);
    expect(html).toMatch(/<input id="f-port"[^>]*role="combobox"/);
    expect(html).not.toMatch(/<input id="f-port"[^>]*aria-required/);
    expect(html).toMatch(/<input id="f-dues"[^>]*inputMode="decimal"|<input id="f-dues"[^>]*inputmode="decimal"/);
    expect(html).toMatch(/<fieldset class="card" id="f-agent"/);
    expect(html).toMatch(/<fieldset class="line" id="f-crew-1"/);
    expect(html).toMatch(/<select id="f-crew-1-rank"/);
    expect(html).toContain('Remove Crew 2');
    expect(html).toContain("Add to Crew");
  });

  it('keeps the fewest rows an array must have: no remove button on the last one', async () => {
    const html = await render('en', [], { crew: [{ rank: 'master' }] });
    expect(html).not.toContain('Remove Crew 1');
    expect(html).toMatch(/<option value="master" selected="">master<\/option>/);
  });

  it('shows a problem on the field its path names, described to assistive technology', async () => {
    const html = await render('en', [{ path: '$.crew[1].rank', code: 'REQUIRED', message: 'Rank is required' }]);
    expect(html).toMatch(/<select id="f-crew-1-rank"[^>]*aria-invalid="true"[^>]*aria-describedby="f-crew-1-rank-errors"/);
    expect(html).toMatch(/<ul class="field-errors" id="f-crew-1-rank-errors"><li><code>REQUIRED<\/code> Rank is required<\/li><\/ul>/);
    expect(html).not.toMatch(/<select id="f-crew-0-rank"[^>]*aria-invalid/);
  });
});
