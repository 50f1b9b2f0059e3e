/**
 * The stage for the browser tests: a real Kouan on a free port (real store, real modules, the built portal),
 * the people who use it (with passwords, as an operator creates them), small HS and UN/LOCODE lists, and
 * Debian's Chromium driven by playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_CALLER, totpCode } from '../../src/modules/users/index.js';
import { IMPORTER, OTHER_ENTERPRISE } from '../support/fixtures.js';
import { startTestKouan, type TestKouan } from '../support/kouan.js';

// ---- Accessibility checks (axe-core in the page, sideways scrolling, zoom) ----
const AXE_SCRIPT = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
/** The WCAG 2.1 A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/** The page's WCAG 2.1 A/AA violations as axe-core finds them, one line per rule and element (empty when none). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the portal's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(readFileSync(AXE_SCRIPT, 'utf8'));
  // In-page code is given as text: the project's compiler has no DOM types outside the portal.
  return page.evaluate<string[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] });
    return result.violations.flatMap((rule) => rule.nodes.map((node) => rule.id + ' (' + rule.help + ') at ' + node.target.join(' ') + ': ' + (node.failureSummary || '').replace(/\\s+/g, ' ')));
  })()`);
}

/** How far the page scrolls sideways (0 when it fits its viewport). */
export function sideScroll(page: Page): Promise<number> {
  return page.evaluate<number>('(document.scrollingElement || document.documentElement).scrollWidth - (document.scrollingElement || document.documentElement).clientWidth');
}

/** A 1280 x 900 window zoomed by `factor` (200 % is 2): a CSS viewport `factor` times smaller, pixels that much denser. */
export function zoomed(factor: number): { readonly viewport: { readonly width: number; readonly height: number }; readonly deviceScaleFactor: number } {
  return { viewport: { width: Math.round(DESKTOP.width / factor), height: Math.round(DESKTOP.height / factor) }, deviceScaleFactor: factor };
}
// ---- end of the accessibility checks ----

export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'a long enough portal passphrase';
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Whether the browser tests can run here: they need Debian's chromium (CI installs it and must run them). */
export function browserAvailability(): { readonly run: boolean; readonly reason?: string } {
  if (existsSync(CHROMIUM)) return { run: true };
  const reason = `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk) to run the browser tests`;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(reason);
  process.stderr.write(`\n!!! SKIPPING THE BROWSER TESTS: ${reason} !!!\n\n`);
  return { run: false, reason };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Person {
  readonly email: string;
  readonly name: string;
}

export interface Stage {
  readonly t: TestKouan;
  readonly baseUrl: string;
  readonly people: {
    readonly importer: Person;
    readonly customs: Person;
    readonly commerce: Person;
    readonly operator: Person;
    /** An importer clerk with a second factor; `totpSecret` makes its codes. */
    readonly secondFactor: Person & { readonly totpSecret: string };
  };
  /** API keys for setting the scene (a carrier publishing container events). */
  readonly keys: { readonly carrier: string; readonly importer: string };
  close(): Promise<void>;
}

// Enough of the HS nomenclature and UN/LOCODE for the look-ups the tests type.
const HS_CSV = [
  'section,hscode,description,parent,level',
  'XVI,84,"Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof",TOTAL,2',
  'XVI,8471,"Automatic data processing machines and units thereof",84,4',
  'XVI,847130,"Automatic data processing machines; portable, weighing not more than 10kg",8471,6',
  'XVI,847141,"Automatic data processing machines; other, comprising in the same housing a CPU and an input and output unit",8471,6',
  'II,08,"Edible fruit and nuts; peel of citrus fruit or melons",TOTAL,2',
  'II,0808,"Apples, pears and quinces; fresh",08,4',
  'II,080810,"Fruit, edible; apples, fresh",0808,6',
].join('\n');
const LOCODE_CSV = [
  'country,location,name,nameWoDiacritics,subdivision,status,function,iata,lat,lon,geocoded',
  'CN,SHA,Shanghai,Shanghai,SH,AI,12345---,SHA,31.23,121.47,true',
  'CN,NGB,Ningbo,Ningbo,ZJ,AI,1-3-----,NGB,29.87,121.55,true',
  'DE,HAM,Hamburg,Hamburg,HH,AI,12345---,HAM,53.55,10.0,true',
].join('\n');

async function person(t: TestKouan, party: string, roles: string[], label: string): Promise<Person> {
  const email = `${label}@e2e.example.cn`;
  const name = `${label.replace(/^\w/, (first) => first.toUpperCase())} Person`;
  // People past their first sign-in: they chose their password (portal-features.test.ts tests the forced change).
  await t.kouan.services.users.createUser(CONSOLE_CALLER, { partyId: party, email, name, roles, password: PASSWORD, mustChangePassword: false });
  return { email, name };
}

/** Turns on the second factor for a person, as they would from the portal's API; answers the secret. */
async function enrolSecondFactor(t: TestKouan, email: string): Promise<string> {
  const login = await t.request('POST', '/api/v1/session', { body: { email, password: PASSWORD } });
  const cookie = /kouan_session=[^;]+/.exec(String(login.headers['set-cookie']))?.[0] ?? '';
  const headers = { cookie, 'x-csrf-token': String(login.json<{ csrfToken: string }>().csrfToken) };
  const { secret } = (await t.request('POST', '/api/v1/users/me/totp', { headers, body: {} })).json<{ secret: string }>();
  const confirmed = await t.request('POST', '/api/v1/users/me/totp/confirm', { headers, body: { code: totpCode(secret, Date.now()) } });
  if (confirmed.statusCode !== 200) throw new Error(`enrolling TOTP: ${confirmed.statusCode} ${confirmed.body}`);
  return secret;
}

export async function startStage(): Promise<Stage> {
  // Plain HTTP on 127.0.0.1, as in development: the session cookie cannot be Secure there.
  const t = await startTestKouan('sqlite', { KOUAN_COOKIE_SECURE: 'false' });
  const { parties, codes } = t.kouan.services;
  const lists = mkdtempSync(join(tmpdir(), 'kouan-e2e-'));
  writeFileSync(join(lists, 'hs.csv'), HS_CSV);
  writeFileSync(join(lists, 'locode.csv'), LOCODE_CSV);
  await codes.importHs(join(lists, 'hs.csv'));
  await codes.importLocode(join(lists, 'locode.csv'));
  rmSync(lists, { recursive: true, force: true });

  const importerKey = await t.enterprise(IMPORTER, ['declarant']);
  const carrier = await t.enterprise(OTHER_ENTERPRISE, ['declarant', 'terminal'], ['CNSHA']);
  await parties.createParty({ id: 'ops', kind: 'operator', name: 'Central operations' });
  const people = {
    importer: await person(t, IMPORTER, ['admin', 'declarant'], 'importer'),
    customs: await person(t, 'CUS', ['agency'], 'customs'),
    commerce: await person(t, 'MOC', ['agency'], 'commerce'),
    operator: await person(t, 'ops', ['admin', 'operator'], 'operator'),
  };
  const clerk = await person(t, IMPORTER, ['declarant'], 'clerk');
  const totpSecret = await enrolSecondFactor(t, clerk.email);

  await t.kouan.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.kouan.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('Kouan is not listening on a port');
  return {
    t,
    baseUrl: `http://127.0.0.1:${address.port}`,
    people: { ...people, secondFactor: { ...clerk, totpSecret } },
    keys: { carrier, importer: importerKey },
    close: () => t.close(),
  };
}

/**
 * What went wrong inside the pages: uncaught errors and console errors (a CSP violation is one). Failed API
 * answers are logged by Chromium as "Failed to load resource"; the tests provoke some on purpose.
 */
export const pageProblems: string[] = [];

export async function newPage(browser: Browser, stage: Stage, options: { viewport?: { width: number; height: number }; locale?: string; deviceScaleFactor?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: stage.baseUrl, viewport: options.viewport ?? DESKTOP, locale: options.locale ?? 'en-GB', timezoneId: 'UTC', deviceScaleFactor: options.deviceScaleFactor ?? 1 });
  // Fail in seconds, not the default half minute, when something does not show.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${message.text()}`);
  });
  return { context, page };
}

/** Signs in from the sign-in page, in whichever language the page speaks. */
export async function signIn(page: Page, who: Person, totp?: () => string): Promise<void> {
  if (!page.url().startsWith('http')) await page.goto('/');
  await page.locator('#sign-in-email').fill(who.email);
  await page.locator('#sign-in-password').fill(PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  if (totp !== undefined) {
    await page.locator('#sign-in-totp').fill(totp());
    await page.locator('main form button[type="submit"]').click();
  }
  await page.locator('.site-nav').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
