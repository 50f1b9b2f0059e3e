/**
 * The portal in a real browser against a real Kouan: each role's daily work, end to end. Commerce issues a
 * licence; the importer declares (look-ups, errors that appear and clear, a draft, the licence cited) and
 * submits; customs finds the part in its worklist and decides; the importer sees the answer, the licence
 * written off and its container's timeline; the operator's dashboard counts what happened; the portal speaks
 * Chinese, works on a phone, sends an expired session back to sign-in and says so when the network is down.
 * Screenshots of each main page go to test/e2e/screenshots/.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../src/modules/users/index.js';
import { IMPORTER } from '../support/fixtures.js';
import { browserAvailability, launchChromium, newPage, pageProblems, PHONE, screenshot, signIn, startStage, type Stage } from './support.js';

const availability = browserAvailability();
const CONTAINER = 'MSKU1234565';
const LICENCE = 'AIL-E2E-000001';

describe.skipIf(!availability.run)('the portal in Chromium', () => {
  let stage: Stage;
  let browser: Browser;
  let importer: Page;
  let submissionId = '';
  // The portal names a declaration by its unified number (GET /submissions/{id} gives it); the id stays in its address.
  let submissionNumber = '';
  /** What the server offers of the APIs being added alongside the portal (drafts, stats). */
  const offers = { drafts: false, stats: false };

  beforeAll(async () => {
    [stage, browser] = await Promise.all([startStage(), launchChromium()]);
    for (const [name, url] of [['drafts', '/api/v1/drafts'], ['stats', '/api/v1/stats']] as const) {
      const answer = await stage.t.request('GET', url, { key: name === 'stats' ? undefined : stage.keys.importer });
      offers[name] = !(answer.statusCode === 404 && answer.json<{ code: string }>().code === 'ROUTE_NOT_FOUND');
    }
  });

  /** The page a test is on, photographed when the test fails. */
  let current: Page | undefined;
  beforeEach((context) => {
    current = undefined;
    context.onTestFailed(async () => {
      if (current !== undefined) await screenshot(current, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stage?.close();
  });

  it('commerce issues an automatic import licence to the importer', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.commerce);
    await expect.poll(() => page.url()).toMatch(/\/worklist$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licences' }).click();
    await page.getByRole('link', { name: 'Issue a licence' }).click();
    await page.locator('#f-type').selectOption('automatic-import-licence');
    await page.locator('#f-number').fill(LICENCE);
    await page.locator('#f-holder').fill(IMPORTER);
    await page.locator('#f-ports').fill('CNSHA');
    await page.getByRole('combobox', { name: 'HS code of line 1' }).fill('8471300000');
    await page.locator('#f-lines-0-quantity').fill('1000');
    await page.locator('#f-lines-0-unit').fill('PCE');
    await screenshot(page, 'agency-issue-licence');
    await page.getByRole('button', { name: 'Issue', exact: true }).click();
    await page.getByRole('heading', { name: `Licence ${LICENCE}` }).waitFor();
    await expect.poll(() => page.locator('main table').first().textContent()).toContain('1,000');
    await context.close();
  });

  it('the importer fills a declaration with look-ups, sees problems appear and clear, saves a draft and submits', async () => {
    ({ page: importer } = await newPage(browser, stage));
    const page = importer;
    current = page;
    await signIn(page, stage.people.importer);
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await page.getByText('No declarations yet.').waitFor();
    await page.getByRole('link', { name: 'New declaration' }).click();
    await page.getByRole('heading', { name: 'New goods declaration' }).waitFor();

    // Look-ups as you type, chosen with the keyboard.
    const pick = async (selector: string, typed: string, option: RegExp, chosen: string) => {
      await page.locator(selector).fill(typed);
      await page.getByRole('option', { name: option }).waitFor();
      await page.locator(selector).press('ArrowDown');
      await page.locator(selector).press('Enter');
      await expect.poll(() => page.locator(selector).inputValue()).toBe(chosen);
    };
    await page.locator('#f-customsOffice').fill('2201');
    await pick('#f-portOfEntry', 'Shang', /CNSHA Shanghai/, 'CNSHA');
    await pick('#f-countryOfDispatch', 'Germ', /DE Germany/, 'DE');
    await pick('#f-currency', 'EUR', /^EUR/, 'EUR');
    await page.locator('#f-incoterm').fill('CIF');
    await page.locator('#f-consignee-name').fill('Shanghai Example Trading Co., Ltd.');
    await page.locator('#f-consignee-id').fill(IMPORTER);
    await page.locator('#f-consignor-name').fill('Example Maschinen GmbH');
    await pick('#f-consignor-country', 'DE', /DE Germany/, 'DE');
    await page.locator('#f-transport-vesselImo').fill('9321483');
    await page.locator('#f-transport-voyage').fill('012E');
    await page.locator('#f-transport-billOfLading').fill('MEDUDE123456');
    // An HS subheading becomes a ten-digit tariff line.
    await pick('#f-lines-0-hsCode', 'portable', /847130/, '8471300000');
    await page.locator('#f-lines-0-description').fill('Portable computers');
    await page.locator('#f-lines-0-quantity').fill('200');
    await pick('#f-lines-0-unit', 'PCE', /^PCE/, 'PCE');
    await page.locator('#f-lines-0-grossWeightKg').fill('820.5');
    await page.locator('#f-lines-0-value').fill('120000');
    await pick('#f-lines-0-originCountry', '德国', /DE Germany/, 'DE');

    // Problems appear beside their field with the API's code and message, and clear once corrected.
    const containerErrors = page.locator('#f-transport-containers-errors');
    await page.locator('#f-transport-containers').fill('MSKU1234566');
    await page.locator('#f-transport-containers').blur();
    await expect.poll(() => containerErrors.textContent()).toContain('CONTAINER_CHECK_DIGIT');
    await page.locator('#f-lines-0-netWeightKg').fill('900');
    // A field is checked once it is left.
    await page.locator('#f-lines-0-netWeightKg').blur();
    await expect.poll(() => page.locator('#f-lines-0-netWeightKg-errors').textContent()).toContain('NET_WEIGHT_ABOVE_GROSS');
    await screenshot(page, 'enterprise-declaration-errors');
    await page.locator('#f-transport-containers').fill(CONTAINER);
    await page.locator('#f-lines-0-netWeightKg').fill('700');
    await expect.poll(() => containerErrors.count()).toBe(0);
    await expect.poll(() => page.locator('#f-lines-0-netWeightKg-errors').count()).toBe(0);

    // The licence commerce issued, attached to the line.
    await page.getByRole('button', { name: 'Add a licence or certificate' }).click();
    await page.locator('#f-lines-0-documents-0-type').selectOption('automatic-import-licence');
    await page.locator('#f-lines-0-documents-0-number').fill(LICENCE);
    await expect.poll(() => page.locator('.check-status').textContent(), { timeout: 10_000 }).toContain('No problems found');
    expect(await page.locator('.check-summary').textContent()).toContain('It will be declared to: CUS');
    await screenshot(page, 'enterprise-declaration');

    await page.getByLabel('Draft name').fill('Laptops from Hamburg');
    await page.getByRole('button', { name: 'Save draft' }).click();
    if (offers.drafts) {
      await expect.poll(() => page.url()).toMatch(/\/drafts\/[^/]+$/);
      await page.getByText('Draft saved.').waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drafts' }).click();
      await page.getByRole('link', { name: 'Laptops from Hamburg' }).click();
      await expect.poll(() => page.locator('#f-lines-0-hsCode').inputValue()).toBe('8471300000');
      await expect.poll(() => page.locator('#f-transport-containers').inputValue()).toBe(CONTAINER);
    } else {
      // A server without the drafts API: the portal says so, and the declaration is still there to submit.
      await page.getByText('does not offer this feature yet').waitFor();
      expect(await page.locator('.problem').textContent()).toContain('ROUTE_NOT_FOUND');
    }

    await page.getByRole('button', { name: 'Submit declaration' }).click();
    await page.getByText('Declaration submitted.').waitFor();
    submissionId = decodeURIComponent(/\/submissions\/([^/?]+)/.exec(page.url())?.[1] ?? '');
    expect(submissionId).toMatch(/^sub_/);
    submissionNumber = await page.evaluate(async (id) => ((await (await fetch(`/api/v1/submissions/${id}`)).json()) as { number: string }).number, submissionId);
    expect(submissionNumber).toMatch(/^\d{18}$/);
    const customsRow = page.locator('table.parts tr[data-agency="CUS"]');
    expect(await customsRow.textContent()).toContain('Submitted');
    await page.getByRole('heading', { name: 'Licences and certificates used' }).waitFor();
    await screenshot(page, 'enterprise-submission');
    if (offers.drafts) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drafts' }).click();
      await page.getByText('No drafts.').waitFor();
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declarations' }).click();
    await page.getByRole('link', { name: submissionNumber }).waitFor();
    await page.getByLabel('Status').selectOption('released');
    await page.getByText('No declarations with the status').waitFor();
    await page.getByLabel('Status').selectOption('submitted');
    await page.getByRole('link', { name: submissionNumber }).waitFor();
    await screenshot(page, 'enterprise-submissions');
  });

  it('customs finds the part in its worklist, is told what a rejection needs, accepts and releases it', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.customs);
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    await page.getByRole('link', { name: submissionNumber }).click();
    await page.getByRole('heading', { name: 'Your agency’s part of the declaration' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Portable computers');
    await screenshot(page, 'agency-worklist-part');

    // A rejection without reasons: the API refuses it, and the portal shows its problem as it is.
    await page.getByLabel('Reject').check();
    await page.getByRole('button', { name: 'Confirm: Reject' }).click();
    await page.locator('.decide .problem').waitFor();
    expect(await page.locator('.decide .problem').textContent()).toContain('DECISION_INVALID');

    await page.getByLabel('Accept').check();
    await page.getByRole('button', { name: 'Confirm: Accept' }).click();
    await expect.poll(() => page.locator('table.parts tr[data-agency="CUS"]').textContent()).toContain('Accepted');
    await page.getByLabel('Release').check();
    await page.getByRole('button', { name: 'Confirm: Release' }).click();
    await expect.poll(() => page.locator('table.parts tr[data-agency="CUS"]').textContent()).toContain('Released');
    await page.getByText('there is nothing more to decide').waitFor();
    await screenshot(page, 'agency-decided');

    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.getByLabel('Status of your part').selectOption('submitted');
    await page.getByText('No declarations with the status').waitFor();
    await screenshot(page, 'agency-worklist');
    await context.close();
  });

  it('the importer sees the release, the licence written off and the container timeline', async () => {
    const page = importer;
    current = page;
    await page.goto(`/submissions/${submissionId}`);
    await expect.poll(() => page.locator('table.parts tr[data-agency="CUS"]').textContent()).toContain('Released');
    expect(await page.locator('.facts').first().textContent()).toContain('Released');
    expect(await page.locator('.history').textContent()).toContain('Accepted → Released');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licences' }).click();
    await page.getByRole('link', { name: LICENCE }).waitFor();
    expect(await page.locator('table.licences').textContent()).toContain('800 of 1,000 PCE left');
    await screenshot(page, 'enterprise-licences');

    // A carrier reports the container discharged at Shanghai.
    const published = await stage.t.request('POST', '/api/v1/events', {
      key: stage.keys.carrier,
      body: { events: [{ eventId: 'e2e-disc-1', eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: new Date(Date.now() - 3_600_000).toISOString(), location: 'CNSHA', facility: 'Yangshan Phase IV', references: { container: CONTAINER } }] },
    });
    expect(published.json()).toMatchObject({ stored: 1 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracking' }).click();
    await page.getByLabel('Reference').fill(CONTAINER.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Timeline of ${CONTAINER}` }).waitFor();
    const timeline = page.locator('.timeline');
    await expect.poll(() => timeline.textContent()).toContain('Discharged');
    expect(await timeline.textContent()).toContain('Released');
    expect(await page.locator('.current-state').textContent()).toMatch(/discharged at CNSHA.*customs released/);
    await screenshot(page, 'enterprise-tracking');
  });

  it('the operator’s dashboard counts what happened, and shows the parties’ people and keys', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.operator);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const total = (name: string) => page.locator(`[data-total="${name}"] dd`).textContent();
    await expect.poll(() => total('submitted')).toBe('1');
    expect(await total('released')).toBe('1');
    expect(await total('rejected')).toBe('0');
    expect(await total('open')).toBe('0');
    const clearance = page.locator('table[data-table="clearance"] tr[data-agency="CUS"] td');
    expect(await clearance.nth(0).textContent()).toBe('1');
    expect(Number(await clearance.nth(1).textContent())).toBeGreaterThanOrEqual(0);
    const rejections = page.locator('table[data-table="rejections"] tr[data-agency="CUS"] td');
    // parts, released, approved (filings), rejected, refused, rejection rate
    expect(await rejections.nth(2).textContent()).toBe('0');
    expect(await rejections.nth(5).textContent()).toBe('0%');
    expect(await page.locator('svg[role="img"]').count()).toBe(4);
    // Submissions by document type, named in the reader's language.
    await expect.poll(() => page.locator('table[data-table="doctypes"] tr[data-doctype="goods-declaration"]').textContent()).toBe('Goods declaration1');
    if (!offers.stats) await page.getByText('no statistics endpoint yet').waitFor();
    await screenshot(page, 'operator-dashboard');

    await page.getByRole('link', { name: 'Parties: users and keys' }).click();
    // The directory of the tenant's parties, filtered as the operator types; a party's id opens its people.
    await page.getByLabel('Find a party').fill(IMPORTER.slice(0, 12));
    await page.getByRole('link', { name: 'CUS', exact: true }).waitFor({ state: 'detached' });
    expect(await page.getByRole('table').first().getByRole('link').allTextContents()).toEqual([IMPORTER]);
    await page.getByRole('link', { name: IMPORTER, exact: true }).click();
    expect(await page.getByLabel('Party', { exact: true }).inputValue()).toBe(IMPORTER);
    await page.getByRole('cell', { name: stage.people.importer.email }).waitFor();
    await screenshot(page, 'operator-parties');
    await context.close();
  });

  it('switches to Chinese: page, language attribute and the API’s messages, remembered on reload', async () => {
    const page = importer;
    current = page;
    await page.goto('/declarations/new');
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await page.getByRole('heading', { name: '新建进出口货物报关单' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('#f-transport-containers').fill('MSKU1234566');
    await page.locator('#f-transport-containers').blur();
    // The API's own message for the code, in Chinese.
    await expect.poll(() => page.locator('#f-transport-containers-errors').textContent()).toMatch(/CONTAINER_CHECK_DIGIT.*[\u4e00-\u9fff]/);
    await screenshot(page, 'zh-declaration');
    await page.goto(`/submissions/${submissionId}`);
    await page.getByRole('heading', { name: `报关单 ${submissionNumber}` }).waitFor();
    expect(await page.locator('table.parts').textContent()).toContain('已放行');
    await screenshot(page, 'zh-submission');
    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    await page.getByRole('heading', { name: `Declaration ${submissionNumber}` }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('works on a phone', async () => {
    const { page, context } = await newPage(browser, stage, { viewport: PHONE, locale: 'zh-CN' });
    current = page;
    // A browser set to Chinese gets the portal in Chinese from the start.
    await page.goto('/');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await signIn(page, stage.people.importer);
    await page.goto(`/submissions/${submissionId}`);
    await page.getByRole('heading', { name: `报关单 ${submissionNumber}` }).waitFor();
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-submission');
    await page.goto('/declarations/new');
    await page.getByRole('heading', { name: '新建进出口货物报关单' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-declaration');
    await context.close();
  });

  it('asks for the one-time code of an account with a second factor', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    const person = stage.people.secondFactor;
    await signIn(page, person, () => totpCode(person.totpSecret, Date.now() + 30_000));
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await context.close();
  });

  it('sends an ended session back to sign-in, and says so when Kouan cannot be reached', async () => {
    const page = importer;
    current = page;
    await page.goto('/licences');
    await page.getByRole('link', { name: LICENCE }).waitFor();
    await page.context().clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declarations' }).click();
    await page.getByText('Your session has ended.').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await signIn(page, stage.people.importer);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracking' }).click();
    await page.route('**/api/v1/submissions**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declarations' }).click();
    await page.getByText('Kouan cannot be reached').waitFor();
    expect(await page.locator('.problem').textContent()).toContain('NETWORK');
    await screenshot(page, 'network-down');
    await page.unroute('**/api/v1/submissions**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('link', { name: submissionNumber }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
  });

  it('degrades gracefully on a server without the drafts, stats and worklist-order APIs', async () => {
    const missing = { status: 404, contentType: 'application/problem+json', body: JSON.stringify({ type: '/api/v1/errors#ROUTE_NOT_FOUND', title: 'No such endpoint', status: 404, code: 'ROUTE_NOT_FOUND' }) };

    const page = importer;
    current = page;
    await page.route('**/api/v1/drafts**', (route) => route.fulfill(missing));
    await page.goto('/declarations/new');
    // Signed out at the end of the previous test: signing in again lands on the page asked for.
    await signIn(page, stage.people.importer);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('does not offer this feature yet').waitFor();
    expect(await page.locator('.problem').textContent()).toContain('ROUTE_NOT_FOUND');
    await page.unroute('**/api/v1/drafts**');

    // Without `order`, the worklist sorts what it got oldest first, and says it did.
    const customs = await newPage(browser, stage);
    current = customs.page;
    await customs.page.route('**/api/v1/submissions?**', (route) =>
      route.request().url().includes('order=oldest')
        ? route.fulfill({ status: 400, contentType: 'application/problem+json', body: JSON.stringify({ title: 'The request does not match the API contract', status: 400, code: 'REQUEST_INVALID', errors: [{ path: 'querystring:$.order', code: 'FIELD_UNKNOWN', message: 'Unknown field "order"' }] }) })
        : route.continue(),
    );
    await signIn(customs.page, stage.people.customs);
    await customs.page.getByText('this page is shown oldest first').waitFor();
    // The worklist opens on open parts; the released one is under "All".
    await customs.page.getByLabel('Status of your part').selectOption('all');
    await customs.page.getByRole('link', { name: submissionNumber }).waitFor();
    await customs.context.close();

    // Without /stats, the dashboard works the same figures out from the declarations.
    const operator = await newPage(browser, stage);
    current = operator.page;
    await operator.page.route('**/api/v1/stats**', (route) => route.fulfill(missing));
    await signIn(operator.page, stage.people.operator);
    await operator.page.getByText('no statistics endpoint yet').waitFor();
    expect(await operator.page.locator('[data-total="submitted"] dd').textContent()).toBe('1');
    expect(await operator.page.locator('[data-total="released"] dd').textContent()).toBe('1');
    expect(await operator.page.locator('table[data-table="clearance"] tr[data-agency="CUS"] td').nth(0).textContent()).toBe('1');
    await screenshot(operator.page, 'operator-dashboard-estimated');
    await operator.context.close();
  });

  it('had no script errors and no CSP violations on any page', () => {
    expect(pageProblems).toEqual([]);
  });
});
