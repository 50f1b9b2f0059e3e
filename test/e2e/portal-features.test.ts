/**
 * What a clerk, an officer and an operator need in their first hour, in Chromium against a real Kouan: a password
 * an admin set must be replaced first; sign-in says exactly what is wrong (wrong password, lockout with the time,
 * a session that ended); My account changes the password and sets up a second factor; the worklist opens on what
 * waits for the agency; a rejected declaration is copied into a draft and declared again; codes carry their
 * names; a declaration prints with its parts, decisions and receipt, and a released one has its release notice.
 * In English and in Chinese where the words matter.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_CALLER, totpCode } from '../../src/modules/users/index.js';
import { pdfOf } from '../support/files.js';
import { IMPORTER, importDeclaration } from '../support/fixtures.js';
import { browserAvailability, launchChromium, newPage, pageProblems, PASSWORD, screenshot, signIn, startStage, type Person, type Stage } from './support.js';

const availability = browserAvailability();
const GIVEN = 'a temporary passphrase from the admin';
const OWN = 'a passphrase only the clerk knows';

describe.skipIf(!availability.run)('the portal’s first-hour features in Chromium', () => {
  let stage: Stage;
  let browser: Browser;
  let customsKey = '';
  let sequence = 0;
  /** Declarations set up through the API: one waiting, one released, one rejected by customs. */
  const ids = { waiting: '', released: '', rejected: '' };
  /** What the portal names each declaration by: its unified number, as the server gave it. */
  const numbers = new Map<string, string>();
  const shown = (id: string): string => numbers.get(id) ?? id;

  const declare = async (overrides: Record<string, unknown> = {}): Promise<string> => {
    const answer = await stage.t.request('POST', '/api/v1/submissions', {
      key: stage.keys.importer,
      headers: { 'idempotency-key': randomUUID() },
      body: { docType: 'goods-declaration', data: importDeclaration({ declarant: IMPORTER, ...overrides }) },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const { id, number } = answer.json<{ id: string; number: string }>();
    numbers.set(id, number);
    return id;
  };
  const decide = async (id: string, outcome: string, reasons?: unknown[]): Promise<void> => {
    const answer = await stage.t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: customsKey, body: { outcome, ...(reasons === undefined ? {} : { reasons }) } });
    expect(answer.statusCode, answer.body).toBe(200);
  };
  /** A person an operator adds: the password is the operator's, so the person must choose their own first. */
  const added = async (label: string, mustChange = true): Promise<Person> => {
    const email = `${label}.${(sequence += 1)}@features.example.cn`;
    await stage.t.kouan.services.users.createUser(CONSOLE_CALLER, { partyId: IMPORTER, email, name: `Clerk ${sequence}`, roles: ['declarant'], password: mustChange ? GIVEN : PASSWORD, mustChangePassword: mustChange });
    return { email, name: `Clerk ${sequence}` };
  };
  const fillSignIn = async (page: Page, email: string, password: string) => {
    await page.locator('#sign-in-email').fill(email);
    await page.locator('#sign-in-password').fill(password);
    await page.locator('main form button[type="submit"]').click();
  };

  beforeAll(async () => {
    [stage, browser] = await Promise.all([startStage(), launchChromium()]);
    customsKey = await stage.t.agency('CUS');
    ids.released = await declare();
    await decide(ids.released, 'accepted');
    await decide(ids.released, 'released');
    ids.rejected = await declare({ lines: [{ hsCode: '8471300000', description: 'Portable computers', quantity: 200, unit: 'PCE', grossWeightKg: 820.5, netWeightKg: 700, value: 1, originCountry: 'DE' }] });
    await decide(ids.rejected, 'rejected', [{ code: 'VALUE_IMPLAUSIBLE', message: 'A customs value of 1 EUR for 200 laptops is not plausible', path: '$.lines[0].value' }]);
    ids.waiting = await declare({ portOfEntry: 'CNNGB' });
  });

  let current: Page | undefined;
  beforeEach((context) => {
    current = undefined;
    context.onTestFailed(async () => {
      if (current !== undefined) await screenshot(current, `features-failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stage?.close();
  });

  it('makes a person whose password an admin set choose their own first, and then lets them work', async () => {
    const clerk = await added('forced');
    const { page, context } = await newPage(browser, stage);
    current = page;
    await page.goto('/');
    await fillSignIn(page, clerk.email, GIVEN);
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    // Nothing else is offered: no navigation; the rules are shown before typing.
    expect(await page.locator('.site-nav').count()).toBe(0);
    expect(await page.locator('#password-rules').textContent()).toContain('at least 12 characters');
    // Meanwhile the API refuses the session everything else.
    const refused = await page.evaluate(async () => (await fetch('/api/v1/submissions', { credentials: 'same-origin' })).json());
    expect(refused).toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });

    await page.locator('#password-current').fill(GIVEN);
    await page.locator('#password-new').fill(OWN);
    await page.locator('#password-repeat').fill(`${OWN} typo`);
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('The two new passwords are not the same').waitFor();
    await page.locator('#password-current').fill('not what the admin gave');
    await page.locator('#password-repeat').fill(OWN);
    await page.getByRole('button', { name: 'Change the password' }).click();
    await expect.poll(() => page.locator('#password-current-errors').textContent()).toContain('PASSWORD_CURRENT_WRONG');
    await screenshot(page, 'features-forced-password');
    await page.locator('#password-current').fill(GIVEN);
    await page.getByRole('button', { name: 'Change the password' }).click();

    // The same session goes on, at the clerk's start page, and stays after a reload.
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await page.locator('.site-nav').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await fillSignIn(page, clerk.email, OWN);
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await context.close();
  });

  it('an admin adds a clerk in the portal; the clerk must replace the admin’s password at first sign-in', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.importer);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users and keys' }).click();
    await page.getByText('Add a person').first().click();
    const email = `team-added.${(sequence += 1)}@features.example.cn`;
    await page.locator('#f-email').fill(email);
    await page.locator('#f-name').fill('Wang Fang');
    await page.locator('#f-password').fill(GIVEN);
    await page.getByRole('checkbox', { name: 'Declarant' }).check();
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.getByText(`${email} can now sign in. At the first sign-in they must replace the password you gave`).waitFor();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(email) }).textContent()).toContain('to choose their own password');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await fillSignIn(page, email, GIVEN);
    await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await context.close();
  });

  it('asks for the own password in Chinese too, and offers signing out instead', async () => {
    const clerk = await added('forced-zh');
    const { page, context } = await newPage(browser, stage, { locale: 'zh-CN' });
    current = page;
    await page.goto('/');
    await fillSignIn(page, clerk.email, GIVEN);
    await page.getByRole('heading', { name: '设置您自己的密码' }).waitFor();
    expect(await page.locator('main').textContent()).toContain(`${clerk.email} 的密码由管理员设置`);
    await page.locator('#password-current').fill(GIVEN);
    await page.locator('#password-new').fill('短密码');
    await page.locator('#password-repeat').fill('短密码');
    await page.getByRole('button', { name: '修改密码' }).click();
    // The server's rule, in Chinese, beside the field.
    await expect.poll(() => page.locator('#password-new-errors').textContent()).toMatch(/PASSWORD_TOO_SHORT.*密码至少需要 12 个字符/);
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await context.close();
  });

  it('says a wrong password is a wrong password, a lockout when to try again, and an ended session that it ended', async () => {
    const clerk = await added('sign-in', false);
    const { page, context } = await newPage(browser, stage);
    current = page;
    await page.goto('/');
    await fillSignIn(page, clerk.email, 'not the password at all');
    const problem = page.locator('main .problem');
    await expect.poll(() => problem.textContent()).toContain('The email address or the password is wrong');
    expect(await problem.textContent()).not.toMatch(/session/i);

    // An ended session: the next call sends the person to sign in, saying why; a wrong password then is only that.
    await signIn(page, { email: clerk.email, name: clerk.name });
    await stage.t.kouan.services.users.setPassword(CONSOLE_CALLER, (await stage.t.kouan.services.users.listUsers(CONSOLE_CALLER, IMPORTER)).find((user) => user.email === clerk.email)?.id ?? '', PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licences' }).click();
    await page.getByText('Your session was ended (signed out elsewhere, or your password changed). Sign in again to continue.').waitFor();
    await fillSignIn(page, clerk.email, 'still not the password');
    await expect.poll(() => problem.textContent()).toContain('The email address or the password is wrong');
    expect(await page.locator('main').textContent()).not.toContain('session has ended');

    // Four more failures lock the account: the fifth says until when.
    for (let attempt = 2; attempt <= 4; attempt += 1) {
      await fillSignIn(page, clerk.email, `wrong password number ${attempt}`);
      await expect.poll(() => problem.getAttribute('data-code')).toBe('LOGIN_FAILED');
    }
    await fillSignIn(page, clerk.email, 'wrong password number 5');
    await expect.poll(() => problem.textContent()).toMatch(/the account is locked\. Try again after \d{2}:\d{2} \(in about 15 min\)/);
    await screenshot(page, 'features-sign-in-locked');
    await context.close();
  });

  it('says the same in Chinese, and names an expired session as expired', async () => {
    const clerk = await added('sign-in-zh', false);
    const { page, context } = await newPage(browser, stage, { locale: 'zh-CN' });
    current = page;
    await page.goto('/');
    await fillSignIn(page, clerk.email, '错误的密码错误的密码');
    await expect.poll(() => page.locator('main .problem').textContent()).toContain('邮箱地址或密码错误');
    expect(await page.locator('main .problem').textContent()).not.toContain('会话');

    // A server that tells an expired session from others (SESSION_EXPIRED) gets its own words.
    await signIn(page, { email: clerk.email, name: clerk.name });
    await page.route('**/api/v1/submissions?**', (route) =>
      route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ title: '会话已过期', status: 401, code: 'SESSION_EXPIRED' }) }),
    );
    await page.goto('/submissions');
    await page.getByText('会话已过期（闲置过久或已达时限）').waitFor();
    await page.unroute('**/api/v1/submissions?**');
    await context.close();
  });

  it('lets a person change their password and set up a second factor in My account', async () => {
    const clerk = await added('account', false);
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, clerk);
    await page.goto('/account');
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    expect(await page.locator('main').textContent()).toContain(clerk.email);

    await page.locator('#password-current').fill(PASSWORD);
    await page.locator('#password-new').fill(OWN);
    await page.locator('#password-repeat').fill(OWN);
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('Your password is changed.').waitFor();

    expect(await page.locator('[data-totp]').getAttribute('data-totp')).toBe('off');
    await page.getByRole('button', { name: 'Set up a second factor' }).click();
    const secret = (await page.locator('#totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect((await page.locator('#totp-secret').textContent())?.replace(/\s/g, '')).toBe(secret);
    expect(await page.locator('#totp-uri').textContent()).toMatch(new RegExp(`^otpauth://totp/.*secret=${secret}`));
    await screenshot(page, 'features-account-totp');
    await page.locator('#totp-code').fill('000000');
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect.poll(() => page.locator('#totp-code-errors').textContent()).toContain('TOTP_CODE_WRONG');
    await page.locator('#totp-code').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await page.getByText('The second factor is on.').waitFor();
    expect(await page.locator('[data-totp]').getAttribute('data-totp')).toBe('on');

    // Signing in now takes the new password and a code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await fillSignIn(page, clerk.email, OWN);
    await page.locator('#sign-in-totp').fill(totpCode(secret, Date.now() + 30_000));
    await page.locator('main form button[type="submit"]').click();
    // Signing in again lands on the page it was on.
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
    expect(await page.locator('[data-totp]').textContent()).toContain('已启用');
    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    await context.close();
  });

  it('opens the worklist on what waits for the agency, with finished parts a filter away', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.customs);
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    await page.getByRole('link', { name: shown(ids.waiting) }).waitFor();
    const links = async () => page.locator('table.worklist tbody th a').allTextContents();
    expect(await links()).toEqual([shown(ids.waiting)]);
    expect(await page.getByLabel('Status of your part').inputValue()).toBe('');
    await screenshot(page, 'features-worklist-open');
    await page.getByLabel('Status of your part').selectOption('all');
    await expect.poll(links).toEqual([shown(ids.released), shown(ids.rejected), shown(ids.waiting)]);
    await page.getByLabel('Status of your part').selectOption('released');
    await expect.poll(links).toEqual([shown(ids.released)]);
    // Customs released its part, but only the trader's view says every agency did: no release notice here.
    await page.goto(`/submissions/${ids.released}`);
    await page.getByRole('link', { name: 'Print view' }).waitFor();
    expect(await page.getByRole('link', { name: 'Release notice' }).count()).toBe(0);
    await page.goto(`/submissions/${ids.released}/release-notice`);
    await page.getByText('The release notice is the trader’s').waitFor();
    // In Chinese, the default says what it holds.
    await page.goto('/worklist');
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await expect.poll(() => page.locator('#status-filter option:checked').textContent()).toBe('待本机构处理（已提交、已送达、已受理、查验中）');
    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    await context.close();
  });

  it('copies a rejected declaration into a new draft, to amend it and declare again', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.importer);
    await page.goto(`/submissions/${ids.rejected}`);
    await page.getByRole('heading', { name: 'Amend and declare again' }).waitFor();
    await page.getByRole('button', { name: 'Copy into a new draft' }).click();
    await expect.poll(() => page.url()).toMatch(/\/drafts\/[^/?]+\?copiedFrom=/);
    await page.locator('#copied-from').waitFor();
    await expect.poll(() => page.locator('#f-lines-0-hsCode').inputValue()).toBe('8471300000');
    expect(await page.locator('#f-portOfEntry').inputValue()).toBe('CNSHA');
    expect(await page.locator('#f-lines-0-value').inputValue()).toBe('1');
    expect(await page.getByLabel('Draft name').inputValue()).toBe(`Amended copy of ${shown(ids.rejected)}`);
    await page.locator('#f-lines-0-value').fill('120000');
    await expect.poll(() => page.locator('.check-status').textContent(), { timeout: 10_000 }).toContain('No problems found');
    await page.getByRole('button', { name: 'Submit declaration' }).click();
    await page.getByText('Declaration submitted.').waitFor();
    const amended = decodeURIComponent(/\/submissions\/([^/?]+)/.exec(page.url())?.[1] ?? '');
    expect(amended).not.toBe(ids.rejected);
    expect(await page.locator('main').textContent()).toContain('120,000');

    // Nothing to copy on a declaration that was released or is still open.
    for (const id of [ids.released, ids.waiting]) {
      await page.goto(`/submissions/${id}`);
      await page.getByRole('heading', { name: 'Agencies' }).waitFor();
      expect(await page.getByRole('button', { name: 'Copy into a new draft' }).count()).toBe(0);
    }
    // In Chinese.
    await page.goto(`/submissions/${ids.rejected}`);
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await page.getByRole('button', { name: '复制为新草稿' }).waitFor();
    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    await context.close();
  });

  it('attaches an invoice to a declaration: uploaded as chosen, carried by the submission, saved from it', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.importer);
    await page.goto(`/submissions/${ids.rejected}`);
    await page.getByRole('button', { name: 'Copy into a new draft' }).click();
    await expect.poll(() => page.locator('#f-lines-0-hsCode').inputValue()).toBe('8471300000');
    await page.locator('#f-lines-0-value').fill('120000');
    await page.getByRole('group', { name: 'Attached documents' }).waitFor();
    const invoice = pdfOf('INV-E2E-0001');
    await page.locator('#f-attachments-invoice').setInputFiles({ name: 'invoice INV-E2E-0001.pdf', mimeType: 'application/pdf', buffer: invoice });
    await page.getByRole('button', { name: 'Remove invoice INV-E2E-0001.pdf' }).waitFor();
    // Saved with the draft, the file comes back with it.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/drafts\/dft_/);
    await page.getByText(/Draft saved/).first().waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Remove invoice INV-E2E-0001.pdf' }).waitFor();
    await expect.poll(() => page.locator('#f-lines-0-value').inputValue()).toBe('120000');
    // A file that is no PDF or image is refused by its bytes, whatever it is called.
    await page.locator('#f-attachments-photo').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<script>alert(1)</script>') });
    await page.getByText('ATTACHMENT_TYPE_UNSUPPORTED').waitFor();
    await expect.poll(() => page.locator('.check-status').textContent(), { timeout: 10_000 }).toContain('No problems found');
    await page.getByRole('button', { name: 'Submit declaration' }).click();
    await page.getByText('Declaration submitted.').waitFor();
    await page.getByRole('heading', { name: 'Attached documents' }).waitFor();
    const link = page.getByRole('link', { name: 'invoice INV-E2E-0001.pdf' });
    const saved = await page.request.get((await link.getAttribute('href')) ?? '');
    expect(saved.status()).toBe(200);
    expect(Buffer.from(await saved.body()).equals(invoice)).toBe(true);
    await context.close();
  });

  it('withdraws a released declaration on request: the declarant asks, the customs officer approves', async () => {
    const id = await declare();
    await decide(id, 'accepted');
    await decide(id, 'released');
    const declarant = await newPage(browser, stage);
    current = declarant.page;
    await signIn(declarant.page, stage.people.importer);
    await declarant.page.goto(`/submissions/${id}`);
    await declarant.page.getByRole('heading', { name: 'Amend or withdraw after acceptance' }).waitFor();
    await declarant.page.getByLabel('Reason for the request').fill('The goods were not shipped');
    await declarant.page.getByRole('button', { name: 'Ask to withdraw' }).click();
    await declarant.page.getByText('waiting for the agencies').waitFor();

    const officer = await newPage(browser, stage);
    current = officer.page;
    await signIn(officer.page, stage.people.customs);
    await officer.page.goto(`/submissions/${id}`);
    await officer.page.getByRole('button', { name: 'Approve the request' }).click();
    await officer.page.getByText('approved', { exact: true }).first().waitFor();
    await officer.context.close();

    const view = await stage.t.request('GET', `/api/v1/submissions/${id}`, { key: stage.keys.importer });
    expect(view.json<{ status: string; amendments: { status: string }[] }>()).toMatchObject({ status: 'cancelled', amendments: [{ status: 'approved' }] });
    await declarant.context.close();
  });

  it('shows agencies, countries and ports with their names, in both languages', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.importer);
    await page.goto(`/submissions/${ids.waiting}`);
    await expect.poll(() => page.locator('[data-code="CNNGB"]').first().textContent()).toBe('CNNGB Ningbo');
    await expect.poll(() => page.locator('[data-code="DE"]').first().textContent()).toBe('DE Germany');
    expect(await page.locator('table.parts').textContent()).toContain('CUS Customs');
    await page.goto('/submissions');
    await expect.poll(() => page.locator('table.submissions').textContent()).toContain('CUS Customs');
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await expect.poll(() => page.locator('table.submissions').textContent()).toContain('CUS 海关');
    await page.goto(`/submissions/${ids.waiting}`);
    await expect.poll(() => page.locator('[data-code="DE"]').first().textContent()).toBe('DE 德国');
    await page.getByRole('button', { name: '语言：切换为英文' }).click();

    // Tracking: where an event happened, by name.
    await stage.t.request('POST', '/api/v1/events', {
      key: stage.keys.carrier,
      body: { events: [{ eventId: `features-${randomUUID()}`, eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: new Date(Date.now() - 3_600_000).toISOString(), location: 'CNSHA', facility: 'Yangshan Phase IV', references: { container: 'MSKU1234565' } }] },
    });
    await page.goto('/tracking?container=MSKU1234565');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('CNSHA Shanghai · Yangshan Phase IV');
    await context.close();
  });

  it('prints a declaration with its parts, decisions and receipt, and a release notice once released, without the menus', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    await signIn(page, stage.people.importer);
    await page.goto(`/submissions/${ids.rejected}`);
    await page.getByRole('link', { name: 'Print view' }).click();
    await page.getByRole('heading', { name: `Goods declaration ${shown(ids.rejected)}` }).waitFor();
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('VALUE_IMPLAUSIBLE');
    const text = (await main.textContent()) ?? '';
    for (const expected of ['Shanghai Example Trading Co., Ltd.', 'Example Maschinen GmbH', 'MEDUDE123456', 'MSKU1234565', 'Portable computers', 'Rejected', 'not signed', 'EdDSA']) expect(text).toContain(expected);
    expect(await page.locator('#print-receipt').textContent()).toMatch(/^EdDSA \S+/);
    // On paper the menus, buttons and raw JSON are gone; on screen they are back.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print', exact: true }).isVisible()).toBe(false);
    expect(await page.locator('#print-facts').isVisible()).toBe(true);
    await screenshot(page, 'features-print-declaration');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.site-header').isVisible()).toBe(true);

    // No release notice for a declaration that is not released.
    await page.goto(`/submissions/${ids.rejected}/release-notice`);
    await page.locator('#release-not-yet').waitFor();
    expect(await page.locator('#release-not-yet').textContent()).toContain('is not released (it is Rejected)');

    await page.goto(`/submissions/${ids.released}`);
    await page.getByRole('link', { name: 'Release notice' }).click();
    await page.getByRole('heading', { name: 'Release notice (放行通知书)' }).waitFor();
    await expect.poll(() => page.locator('#release-facts').textContent()).toContain('CNSHA Shanghai');
    const notice = (await main.textContent()) ?? '';
    for (const expected of [shown(ids.released), 'MEDUDE123456', 'MSKU1234565', 'Portable computers', '200 PCE', 'IMO 9321483 012E']) expect(notice).toContain(expected);
    expect(await page.locator('#release-parts').textContent()).toContain('CUS Customs — Released');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-nav').isVisible()).toBe(false);
    await screenshot(page, 'features-release-notice');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Language: switch to Chinese' }).click();
    await page.getByRole('heading', { name: '放行通知书' }).waitFor();
    expect(await main.textContent()).toContain('项下货物已经各相关机构放行');
    await page.getByRole('button', { name: '语言：切换为英文' }).click();
    // After the print pages, other pages print with their menus again (the print rules left with them).
    await page.goto('/submissions');
    await page.getByRole('heading', { name: 'Declarations' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(true);
    await context.close();
  });

  it('names declarations by their unified number where the server gives one, in lists, headings and print', async () => {
    const { page, context } = await newPage(browser, stage);
    current = page;
    // A server that numbers declarations (18 digits: customs office, year, serial) adds `number` to its answers.
    const numberOf = (id: string) => `2201${new Date().getUTCFullYear()}${String(Object.values(ids).indexOf(id) + 1).padStart(10, '0')}`;
    await page.route('**/api/v1/submissions**', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { id?: string; submissions?: { id: string }[] };
      const numbered = (item: { id: string }) => (Object.values(ids).includes(item.id) ? { ...item, number: numberOf(item.id) } : item);
      const changed = body.submissions !== undefined ? { ...body, submissions: body.submissions.map(numbered) } : typeof body.id === 'string' ? numbered(body as { id: string }) : body;
      await route.fulfill({ response, json: changed });
    });
    await signIn(page, stage.people.importer);
    const number = numberOf(ids.waiting);
    expect(number).toMatch(/^\d{18}$/);
    await page.getByRole('link', { name: number }).click();
    await page.getByRole('heading', { name: `Declaration ${number}` }).waitFor();
    expect(await page.locator('main .facts').first().textContent()).toContain(number);
    await page.getByRole('link', { name: 'Print view' }).click();
    await page.getByRole('heading', { name: `Goods declaration ${number}` }).waitFor();
    // The Kouan id is still there, for whoever needs to look it up.
    expect(await page.locator('#print-facts').textContent()).toContain(ids.waiting);
    await page.unroute('**/api/v1/submissions**');
    await context.close();
  });

  it('had no script errors and no CSP violations on any page', () => {
    expect(pageProblems).toEqual([]);
  });
});
