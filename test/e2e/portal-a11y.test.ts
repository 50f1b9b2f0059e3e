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
import { axeViolations, browserAvailability, launchChromium, newPage, pageProblems, PASSWORD, PHONE, screenshot, sideScroll, signIn, startStage, zoomed, type Stage } from './support.js';

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
  /** The unified number the portal names each filed declaration by. */
  const numbers = new Map<string, string>();
  let draftId = '';

  const fileDeclaration = async (key: string, withLicence: boolean): Promise<string> => {
    const lines = [{ ...LAPTOPS, quantity: 10, ...(withLicence ? { documents: [{ type: 'automatic-import-licence', number: LICENCE }] } : {}) }];
    const answer = await stage.t.request('POST', '/api/v1/submissions', { key, body: { docType: 'goods-declaration', data: importDeclaration({ declarant: IMPORTER, lines }) } });
    if (answer.statusCode !== 201) throw new Error(`filing: ${answer.statusCode} ${answer.body}`);
    const { id, number } = answer.json<{ id: string; number: string }>();
    numbers.set(id, number);
    return id;
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
    // A third declaration today: the dashboard's daily count reaches 3, an axis that old code split in quarters.
    await fileDeclaration(stage.keys.importer, false);
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
        await signIn(page, stage.people[role]);
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
          // A look-up with its suggestions open.
          await page.locator('#f-countryOfDispatch').fill('DE');
          await page.locator('#f-countryOfDispatch-options li').first().waitFor();
          found.push(...(await axeViolations(page)).map((line) => `importer look-up open: ${line}`));
        }
        if (role === 'customs') {
          // A rejection chosen: the reasons it needs are asked for.
          await open(page, `/submissions/${filed.shown}`);
          await page.locator('input[name="outcome"][value="rejected"]').check();
          await page.locator('#reason-0-message').waitFor();
          found.push(...(await axeViolations(page)).map((line) => `customs rejecting: ${line}`));
        }
      }
      expect(found).toEqual([]);
      await context.close();
    });
  }

  /** What scrolls sideways on a page: the page itself, and any element inside main wider than its box. */
  const sideways = (page: Page): Promise<string[]> =>
    page.evaluate<string[]>(`(() => {
      const wide = [];
      const root = document.scrollingElement || document.documentElement;
      if (root.scrollWidth > root.clientWidth) wide.push('the page (' + root.scrollWidth + ' > ' + root.clientWidth + ')');
      for (const element of document.querySelectorAll('header, nav, main *, footer')) {
        const style = getComputedStyle(element);
        if (!['auto', 'scroll'].includes(style.overflowX) || element.clientWidth === 0) continue;
        if (element.scrollWidth > element.clientWidth + 1) wide.push(element.tagName.toLowerCase() + '.' + element.className + ' (' + element.scrollWidth + ' > ' + element.clientWidth + ')');
      }
      return wide;
    })()`);

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
          await signIn(page, stage.people[role]);
          const who = page.locator('.who-name');
          if (!(await who.isVisible())) found.push(`${role}: the signed-in person is hidden`);
          for (const [label, path] of pagesOf()[role]) {
            await open(page, path);
            found.push(...(await sideways(page)).map((line) => `${role} ${label}: ${line}`));
          }
          if (role === 'importer') {
            // The traders' fieldsets side by side on a wide screen, one under the other here, each within the page.
            await open(page, '/declarations/new');
            const overflowing = await page.evaluate<string[]>(`['f-consignee', 'f-consignor'].filter((id) => { const box = document.getElementById(id); return box === null || box.scrollWidth > box.clientWidth || box.getBoundingClientRect().right > document.documentElement.clientWidth; })`);
            found.push(...overflowing.map((id) => `importer declaration form: #${id} is wider than the page`));
          }
        }
        expect(found).toEqual([]);
        await context.close();
      });
    }

  /** Presses Tab until the focused element matches `selector` (at most 80 times); fails when it never does. */
  const tabTo = async (page: Page, selector: string): Promise<void> => {
    for (let presses = 0; presses < 80; presses += 1) {
      if (await page.evaluate<boolean>(`document.activeElement !== null && document.activeElement.matches(${JSON.stringify(selector)})`)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  };
  /** What has the focus: `body`, or `tag#id: text`. */
  const focused = (page: Page): Promise<string> =>
    page.evaluate<string>(`(() => {
      const element = document.activeElement;
      return element === null || element === document.body ? 'body' : element.tagName.toLowerCase() + '#' + element.id + ': ' + (element.textContent || '').trim();
    })()`);
  const announced = (page: Page) => page.locator('#announcements[role="status"][aria-live="polite"]').textContent();
  const newDraft = async (title: string, data: Record<string, unknown> = importDeclaration({ declarant: IMPORTER })): Promise<string> => {
    const answer = await stage.t.request('POST', '/api/v1/drafts', { key: stage.keys.importer, body: { docType: 'goods-declaration', title, data } });
    return answer.json<{ id: string }>().id;
  };

  it('by keyboard only: the focus moves to each page’s heading, and stays on the page after a submit and a decision, each announced', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    // Signed in with Enter on a deep link: the page asked for has the focus, not <body>.
    await open(page, '/declarations/new');
    await page.locator('#sign-in-email').fill(stage.people.importer.email);
    await page.locator('#sign-in-password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New goods declaration' }).waitFor();
    await expect.poll(() => focused(page)).toBe('h1#page-title: New goods declaration');
    await open(page, '/submissions');
    // A link followed with Enter: the declaration's page, whose first version only says "loading", keeps the focus.
    await tabTo(page, `a[href="/submissions/${filed.shown}"]`);
    await page.keyboard.press('Enter');
    await settle(page);
    await expect.poll(() => focused(page)).toBe(`h1#page-title: Declaration ${numbers.get(filed.shown) ?? ''}`);

    // A draft submitted with Enter on the button: the declaration's heading has the focus, the result is announced.
    const draft = await newDraft('Submitted by keyboard');
    await open(page, `/drafts/${draft}`);
    await expect.poll(() => page.locator('.check-status').textContent()).toContain('No problems found');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/submissions\/sub_/);
    await settle(page);
    await expect.poll(() => focused(page)).toMatch(/^h1#page-title: Declaration \d{18}$/);
    await expect.poll(() => announced(page)).toMatch(/^Declaration \d{18} submitted, to 1 agency part\.$/);

    // Submitting what has problems: the focus goes to the checks, and how many is said.
    await open(page, '/declarations/new');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => announced(page)).toMatch(/^Not submitted: \d+ problems to correct\./);
    expect(await page.evaluate<boolean>("document.activeElement !== null && document.activeElement.classList.contains('submit-bar')")).toBe(true);

    // Customs decides by keyboard: choose with Space, confirm with Enter; the focus stays on the page.
    await page.context().clearCookies();
    await open(page, '/');
    await signIn(page, stage.people.customs);
    await open(page, `/submissions/${filed.decided}`);
    await tabTo(page, 'input[name="outcome"][value="accepted"]');
    await page.keyboard.press('Space');
    await tabTo(page, '.decide button[type="submit"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('table.parts tr[data-agency="CUS"]').textContent()).toContain('Accepted');
    await expect.poll(() => announced(page)).toBe('Decision recorded. Your part is now “Accepted”.');
    await expect.poll(() => focused(page)).toBe('h2#parts-heading: Declaration parts'.replace('Declaration parts', (await page.locator('#parts-heading').textContent()) ?? ''));
    await context.close();
  });

  it('requires to assistive technology every field it marks required, and its code look-ups follow the combobox pattern', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await open(page, '/');
    await signIn(page, stage.people.importer);
    await open(page, '/declarations/new');
    const marked = await page.evaluate<{ id: string; tag: string; role: string; required: boolean }[]>(`Array.from(document.querySelectorAll('label'))
      .filter((label) => label.querySelector('.required') !== null)
      .map((label) => {
        const control = document.getElementById(label.htmlFor);
        return { id: label.htmlFor, tag: control ? control.tagName.toLowerCase() : 'none', role: control ? control.getAttribute('role') || '' : '', required: control !== null && (control.getAttribute('aria-required') === 'true' || control.hasAttribute('required')) };
      })`);
    expect(marked.filter((field) => field.role === 'combobox' || field.tag === 'select').length).toBeGreaterThanOrEqual(8);
    expect(marked.filter((field) => !field.required)).toEqual([]);
    // And nothing required goes unmarked.
    const unmarked = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('main [aria-required="true"], main [required]')).filter((control) => document.querySelector('label[for="' + control.id + '"] .required') === null).map((control) => control.id)`);
    expect(unmarked).toEqual([]);

    // The combobox: named by its label, its list controlled and named, the active option the selected one.
    const box = page.getByRole('combobox', { name: /Country of dispatch/ });
    expect(await box.getAttribute('aria-autocomplete')).toBe('list');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    const listId = (await box.getAttribute('aria-controls')) ?? '';
    expect(await page.locator(`#${listId}`).getAttribute('role')).toBe('listbox');
    await box.fill('Germ');
    await page.getByRole('option', { name: /DE Germany/ }).waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await box.press('ArrowDown');
    const active = (await box.getAttribute('aria-activedescendant')) ?? '';
    expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`#${active}`).getAttribute('role')).toBe('option');
    await box.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });

  for (const { language, locale } of LANGUAGES)
    it(`checks a field once it is left, never while it is typed, counts problems in proper plurals and names them by their fields, in ${language}`, async () => {
      const { page, context } = await newPage(browser, stage, { locale });
      current = page;
      await open(page, '/');
      await signIn(page, stage.people.importer);
      await open(page, '/declarations/new');
      const status = page.locator('.check-status');
      await expect.poll(() => status.textContent()).toMatch(language === 'en' ? /^\d+ problems to correct before submitting\.$/ : /^申报前须更正 \d+ 个问题。$/);
      expect(await status.textContent()).not.toContain('(s)');

      // The first digits of an HS code: checked by the API, but not shown as wrong while the person types.
      const hs = page.locator('#f-lines-0-hsCode');
      const hsErrors = page.locator('#f-lines-0-hsCode-errors');
      await hs.pressSequentially('84');
      await page.waitForResponse((response) => response.url().endsWith('/api/v1/validate'));
      await page.waitForTimeout(300);
      expect(await hsErrors.count()).toBe(0);
      await page.keyboard.press('Tab');
      await expect.poll(() => hsErrors.textContent()).toContain('HS_FORMAT');
      // Once left, the field follows what is typed: corrected, its problem goes at once.
      await hs.fill('8471300000');
      await expect.poll(() => hsErrors.count()).toBe(0);

      // Submitted: every problem listed by its field's label, and the link takes the focus to the field.
      await page.locator('button[type="submit"]').click();
      const links = page.locator('.problem-list a');
      await links.first().waitFor();
      const texts = await links.allTextContents();
      expect(texts.filter((text) => text.startsWith('$'))).toEqual([]);
      const toDescription = page.locator('.problem-list a[data-path="$.lines[0].description"]');
      expect(await toDescription.textContent()).toBe(language === 'en' ? 'Item 1: Description of the goods' : '第 1 项：商品名称及规格');
      await toDescription.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate<string>("document.activeElement === null ? '' : document.activeElement.id")).toBe('f-lines-0-description');

      // One problem is one, in the singular.
      const draft = await newDraft('One problem', importDeclaration({ declarant: IMPORTER, lines: [{ ...LAPTOPS, description: undefined }] }));
      await open(page, `/drafts/${draft}`);
      await expect.poll(() => status.textContent()).toBe(language === 'en' ? '1 problem to correct before submitting.' : '申报前须更正 1 个问题。');
      await context.close();
    });

  it('counts on the dashboard’s axes are whole numbers', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await open(page, '/');
    await signIn(page, stage.people.operator);
    await open(page, '/dashboard');
    const volumes = page.locator('svg.chart-svg').first();
    const ticks = await volumes.locator('text.axis-label[text-anchor="end"]').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.filter((tick) => !/^\d+$/.test(tick))).toEqual([]);
    expect(Number(ticks.at(-1))).toBeGreaterThanOrEqual(3);
    await context.close();
  });

  it('marks text in the other language, and <html lang> follows the chosen one', async () => {
    const { page, context } = await newPage(browser, stage, { locale: 'zh-CN' });
    current = page;
    await open(page, '/');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('.brand-name [lang="en"]').textContent()).toBe('Kouan');
    await signIn(page, stage.people.importer);
    await open(page, '/declarations/new');
    // A port has only an English name: marked English; a country's Chinese name is not marked.
    await page.locator('#f-portOfEntry').fill('Shang');
    await page.getByRole('option', { name: /CNSHA/ }).waitFor();
    expect(await page.getByRole('option', { name: /CNSHA/ }).locator('[lang="en"]').textContent()).toBe('Shanghai');
    await page.locator('#f-countryOfDispatch').fill('DE');
    await page.getByRole('option', { name: /^DE/ }).first().waitFor();
    expect(await page.getByRole('option', { name: /^DE/ }).first().locator('[lang]').count()).toBe(0);
    // An API message the server had only in English.
    await page.route('**/api/v1/submissions?**', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'The store is unavailable', status: 503, code: 'STORE_UNAVAILABLE' }) }));
    await open(page, '/submissions');
    expect(await page.locator('.problem-title [lang="en"]').textContent()).toBe('The store is unavailable');
    await page.unroute('**/api/v1/submissions?**');

    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('.language [lang="zh-CN"]').textContent()).toBe('中文');
    expect(await page.locator('.brand-name [lang]').count()).toBeGreaterThanOrEqual(0);
    await context.close();
  });

  for (const [zone, answer, timeZone, offset] of [
    ['the platform’s time zone', { timeZone: 'Asia/Kolkata', utcOffset: '+05:30' }, 'Asia/Kolkata', 'UTC+05:30'],
    ['China Standard Time when the platform does not say', undefined, 'Asia/Shanghai', 'UTC+08:00'],
  ] as const)
    it(`shows times in ${zone}, with its offset`, async () => {
      for (const { locale } of LANGUAGES) {
        const { page, context } = await newPage(browser, stage, { locale });
        current = page;
        await page.route('**/api/v1/platform', (route) =>
          answer === undefined ? route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify({ title: 'No such endpoint', status: 404, code: 'ROUTE_NOT_FOUND' }) }) : route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }),
        );
        await open(page, '/');
        await signIn(page, stage.people.importer);
        await open(page, `/submissions/${filed.shown}`);
        // The browser runs in UTC: only the platform's zone gives these hours.
        const time = page.locator('.history time').first();
        const at = (await time.getAttribute('datetime')) ?? '';
        const expected = `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(at))} ${offset}`;
        await expect.poll(() => time.textContent()).toBe(expected);
        await context.close();
      }
    });

  it('folds the menu behind a button at 400 % zoom, and axe finds nothing with it open', async () => {
    const { page, context } = await newPage(browser, stage, zoomed(4));
    current = page;
    await open(page, '/');
    await signIn(page, stage.people.importer);
    await open(page, '/submissions');
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licences' }).isVisible()).toBe(false);
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    expect(await sideScroll(page)).toBe(0);
    await tabTo(page, 'a[href="/licences"]');
    await page.keyboard.press('Enter');
    await settle(page);
    await expect.poll(() => focused(page)).toMatch(/^h1#page-title: /);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('.who-name').isVisible()).toBe(true);

    // The drafts table as cards: each cell labelled with its column's header, shown before the value.
    await open(page, '/drafts');
    const cells = await page.evaluate<{ label: string | null; header: string; shown: string }[]>(`Array.from(document.querySelectorAll('main table tbody tr:first-child > *')).map((cell, index) => ({
      label: cell.getAttribute('data-label'),
      header: (cell.closest('table').querySelectorAll('thead th')[index].textContent || '').trim(),
      shown: getComputedStyle(cell, '::before').display,
    }))`);
    expect(cells.length).toBeGreaterThanOrEqual(3);
    expect(cells.filter((cell) => cell.label !== cell.header)).toEqual([]);
    expect(cells[0]?.shown).toBe('block');
    expect(await sideScroll(page)).toBe(0);
    await context.close();
  });

  it('had no script errors and no CSP violations on any page', () => {
    expect(pageProblems).toEqual([]);
  });
});
