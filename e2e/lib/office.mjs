// The office's project pages as a member of staff uses them: the project form, the
// pipeline board and its move forms, a project's summary with its timeline.
import assert from 'node:assert/strict';

import { LANGUAGES, VIEWPORTS } from './browser.mjs';
import { shownErrors, submit } from './identity.mjs';

/**
 * A browser context like newContext's, with JavaScript switched off when `javaScript` is
 * false (the board's forms must work without it). Closed by the caller or with the browser.
 *
 * @param {import('playwright-core').Browser} browser
 * @param {{ baseURL: string, lang?: 'es' | 'en', javaScript?: boolean, device?: 'desktop' | 'phone' }} options
 */
export async function officeContext(browser, { baseURL, lang = 'es', javaScript = true, device = 'desktop' }) {
  const { locale, acceptLanguage } = LANGUAGES[lang];
  const context = await browser.newContext({
    baseURL,
    locale,
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage },
    ...VIEWPORTS[device],
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/**
 * Fills the project form (`/office/projects/new` or an edit form) with `fields`: text
 * inputs by id, selects (`investor_org_id`, `rail`…) by value, `municipality` as a list of
 * INE codes. Unnamed fields are left as they are.
 *
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string | string[]>} fields
 */
export async function fillProject(page, fields) {
  for (const [id, value] of Object.entries(fields)) {
    const field = page.locator(`#main form #${id}`);
    const tag = await field.evaluate((el) => el.tagName.toLowerCase());
    if (tag === 'select') await field.selectOption(value);
    else await field.fill(String(value));
  }
}

/** The first investor offered by the project form: { value, label }. */
export async function firstInvestor(page) {
  const option = page.locator('#investor_org_id option:not([value=""])').first();
  return { value: await option.getAttribute('value'), label: (await option.innerText()).trim() };
}

/** Sends the project form; resolves with the response of the page reached. */
export function sendProject(page) {
  return submit(page, page.locator('#main form.project-form button[type="submit"]'));
}

/** The id of the project whose summary is open (`/office/projects/{id}`). */
export function projectIdOf(page) {
  const m = /\/office\/projects\/([0-9a-f-]+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, `a project's page: ${page.url()}`);
  return m[1];
}

/** The stage (e.g. `qualified`) of the board column that holds the project's card, or null. */
export async function boardColumn(page, id) {
  const card = page.locator(`#card-${id}`);
  if ((await card.count()) === 0) return null;
  return card.evaluate((el) => {
    const col = el.closest('section.board-column');
    const cls = [...(col?.classList ?? [])].find((c) => c.startsWith('stage-'));
    return cls ? cls.slice('stage-'.length) : null;
  });
}

/**
 * Moves a project on the board with its card's form: chooses the stage by its visible
 * name and presses "Mover"/"Move". Resolves with the response of the page reached.
 */
export async function moveOnBoard(page, id, stageLabel) {
  const card = page.locator(`#card-${id}`);
  await card.locator('select[name="to"]').selectOption({ label: stageLabel });
  return submit(page, card.locator('form.card-move button[type="submit"]'));
}

/** The flash message of the page (after a redirect), or ''. */
export async function flash(page) {
  const f = page.locator('#main .flash');
  return (await f.count()) ? (await f.innerText()).trim() : '';
}

/** The timeline of a project's summary, newest first: [{ text, note }]. */
export async function timeline(page) {
  return page.locator('#main ol.timeline > li').evaluateAll((items) =>
    items.map((li) => ({
      text: li.querySelector('.timeline-text')?.textContent.trim() ?? '',
      note: li.querySelector('.timeline-note')?.textContent.trim() ?? '',
    })),
  );
}

/** The rows of the stage history table: [[stage, entered, left, days, reason]]. */
export async function stageHistory(page) {
  return page.locator('#main table.history-table tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
  );
}

export { shownErrors, submit };
