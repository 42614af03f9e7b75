import axe, { type AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { nextTotp, type TestPerson } from '../factories/staff.factory.js';
import type { TestApp } from '../support/test-app.js';

/** Helpers shared by the browser specs: Chromium, signing in through the pages, axe. */

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A fresh browser profile (its own cookies) on the test app, in Japanese. */
export async function newPage(browser: Browser, t: TestApp): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: t.baseUrl, locale: 'ja-JP' });
  return { context, page: await context.newPage() };
}

interface AxeWindow {
  axe: { run(context: unknown, options: object): Promise<AxeResults> };
  document: unknown;
}

/**
 * axe-core against WCAG 2.0/2.1 A and AA. The page's CSP forbids inline scripts, so axe is loaded
 * with `evaluate` (which CSP does not govern) rather than a script tag.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => {
    const w = globalThis as unknown as AxeWindow;
    return w.axe.run(w.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  expect(results.passes.length).toBeGreaterThan(5); // axe really ran
  const violations = results.violations.map((v) => ({ id: v.id, targets: v.nodes.map((node) => node.target.join(' ')) }));
  if (violations.length) console.error(`axe violations on ${page.url()}:\n${JSON.stringify(violations, null, 2)}`);
  expect(violations).toEqual([]);
}

/** Fills in and sends the sign-in form (the first step only). */
export async function signIn(page: Page, person: TestPerson, password = person.password): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('メールアドレス').fill(person.email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

/** The page each role lands on after signing in: those who read the indicators (the security office, the CISO, the auditors) the dashboard, everyone else the my page. */
export function homeOf(t: TestApp, person: TestPerson): string {
  const indicators = person.staff.roles.some((role) => role === 'security_officer' || role === 'ciso' || role === 'auditor');
  return `${t.baseUrl}${indicators ? '/dashboard' : '/'}`;
}

/** Signs in completely, with the second factor when the person has one, and waits for their home page. */
export async function signInFully(page: Page, t: TestApp, person: TestPerson): Promise<void> {
  await signIn(page, person);
  if (person.totpSecret) {
    await page.waitForURL('**/login/mfa');
    await page.getByLabel('確認コード').fill(nextTotp(person));
    await page.getByRole('button', { name: '確認してログイン' }).click();
  }
  await page.waitForURL(homeOf(t, person));
}

/** The CSRF token of the page shown (every signed-in page has the sign-out form). */
export async function csrfTokenOf(page: Page): Promise<string> {
  const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  if (!token) throw new Error(`no CSRF token on ${page.url()}`);
  return token;
}

/** The text of the page's main element. */
export async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').textContent()) ?? '';
}

/** The little of the DOM the specs read in the page (the specs compile without the DOM's types). */
interface DomElement {
  tagName: string;
  className: string;
  getBoundingClientRect(): { right: number };
}
interface DomWindow {
  document: {
    activeElement: { id: string; getAttribute(name: string): string | null } | null;
    documentElement: { scrollWidth: number };
    querySelectorAll(selector: string): Iterable<DomElement>;
  };
}

/** The element that has the focus: its id and role. */
export function focused(page: Page): Promise<{ id: string | null; role: string | null }> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as DomWindow).document.activeElement;
    return { id: active?.id || null, role: active?.getAttribute('role') ?? null };
  });
}

/** Whether the page fits its width: nothing makes the whole page scroll sideways (a table may scroll inside its own region). */
export async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const { scrollWidth, widest } = await page.evaluate((limit) => {
    const { document } = globalThis as unknown as DomWindow;
    // the elements that stick out, to say what to fix
    const widest = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > limit + 1)
      .slice(0, 5)
      .map((element) => `<${element.tagName.toLowerCase()} class="${element.className}"> ends at ${Math.round(element.getBoundingClientRect().right)}px`);
    return { scrollWidth: document.documentElement.scrollWidth, widest };
  }, width);
  expect(scrollWidth <= width ? `${page.url()} fits` : `${page.url()} is ${scrollWidth}px wide: ${widest.join(', ')}`).toBe(`${page.url()} fits`);
}
