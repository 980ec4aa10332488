// Pages at desktop and phone sizes: screenshots for humans (test-results/screenshots/),
// and no horizontal scrolling on a phone. The home page in both languages; the account
// page and the invitation form with errors, as the administrator sees them; on a phone
// also the administration lists, the directory (list and form with errors) and the
// catalogue of sites (a search).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage, VIEWPORTS } from '../lib/browser.mjs';
import { setupDirectory } from '../lib/directory.mjs';
import { ADMIN, createUsers, logIn, submit } from '../lib/identity.mjs';
import { RESULTS_DIR } from '../lib/paths.mjs';
import { startServer } from '../lib/server.mjs';
import { mapMarkers } from '../lib/sites.mjs';

const app = useApp('screenshots', { setup: createUsers(ADMIN) });
const SHOTS = path.join(RESULTS_DIR, 'screenshots');

/**
 * Saves a full-page screenshot as `name`-`device`.png (first, so that a failing layout can
 * be looked at too), then checks that the page fits the screen's width and that each of
 * `onScreen` is within it.
 */
async function shootAndCheckFit(t, page, { name, device, onScreen }) {
  const { width } = VIEWPORTS[device].viewport;
  await page.evaluate(() => document.fonts.ready);
  await mkdir(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}-${device}.png`);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);

  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  // The browser must not have widened the layout to fit wide content either.
  assert.equal(m.innerWidth, width, `layout viewport ${m.innerWidth}px wide, not ${width}px: the browser widened the page to fit wider content`);
  assert.ok(m.scrollWidth <= m.innerWidth, `horizontal scroll: content ${m.scrollWidth}px wide in a ${m.innerWidth}px window`);

  // What must be on screen, not cut off.
  for (const sel of onScreen) {
    const boxes = await page.locator(sel).evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, width: r.width };
      }),
    );
    assert.ok(boxes.length > 0, `${sel} is on the page`);
    for (const box of boxes) {
      assert.ok(box.x >= 0 && box.x + box.width <= width, `${sel} within the ${width}px screen: ${JSON.stringify(box)}`);
    }
  }
}

for (const device of ['desktop', 'phone']) {
  for (const lang of ['es', 'en']) {
    test(`home page (${lang}) on a ${device}: fits the screen; screenshot saved`, async (t) => {
      const page = await openPage(t, app.browser, { baseURL: app.url, lang, device });
      await page.goto('/');
      await page.locator('h1').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await shootAndCheckFit(t, page, { name: `home-${lang}`, device, onScreen: ['header .lang-switch', 'h1'] });
    });
  }
}

// One login per device for both pages of the administrator.
for (const device of ['desktop', 'phone']) {
  test(`account page, and invitation form with errors (es, administrator) on a ${device}: fit the screen; screenshots saved`, async (t) => {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device });
    await logIn(page, ADMIN);
    const res = await page.goto('/account');
    assert.equal(res.status(), 200);
    await shootAndCheckFit(t, page, {
      name: 'account-es',
      device,
      onScreen: ['header .user-menu', 'h1', '#main form input:not([type="hidden"])', '#main form button'],
    });

    await page.goto('/admin/users/new');
    await page.locator('#email').fill('no-es-un-correo');
    await page.locator('#tax_ids').fill('B00000000');
    const sent = await submit(page, page.locator('#main form button[type="submit"]'));
    assert.equal(sent.status(), 422);
    assert.equal(await page.locator('.error-summary li').count(), 3, 'errors of e-mail, name and tax id');
    await shootAndCheckFit(t, page, {
      name: 'invite-errors-es',
      device,
      onScreen: ['.error-summary', '.field-error', '#main form input:not([type="hidden"])', '#main form select', '#main form button'],
    });
  });
}

// The administration lists are tables: on a phone they scroll sideways inside themselves,
// the page must not. A background job (the e-mail of an invitation) makes the jobs table
// non-empty.
test('administration lists (users, change log, background jobs; es) on a phone: fit the screen; screenshots saved', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await logIn(page, ADMIN);
  await page.goto('/admin/users/new');
  await page.locator('#email').fill('julia.jobs@besaya.example');
  await page.locator('#name').fill('Julia Jobs');
  const sent = await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal(sent.status(), 200, 'invitation sent');

  const failures = [];
  for (const [name, path] of [['users', '/admin/users'], ['audit', '/admin/audit'], ['jobs', '/admin/jobs']]) {
    const res = await page.goto(path);
    assert.equal(res.status(), 200, path);
    assert.ok((await page.locator('#main table tbody tr').count()) > 0, `${path} lists something`);
    // Every page is shot before any fails.
    await shootAndCheckFit(t, page, { name: `admin-${name}-es`, device: 'phone', onScreen: ['header .user-menu', 'h1'] }).catch((e) =>
      failures.push(`${path}: ${e.message}`),
    );
  }
  if (failures.length > 0) assert.fail(failures.join('\n'));
});

// The directory on a phone: the filters and the list (a table, scrolling inside itself),
// and the long form of a new organisation with errors. On a server of its own whose demo
// organisations are loaded before it starts (`besaya demo`), so that the other pages here
// (the change log above all) stay as short as they are.
test('directory list and new-organisation form with errors (es, administrator) on a phone: fit the screen; screenshots saved', async (t) => {
  const server = await startServer({ label: 'screenshots-directory', setup: setupDirectory(ADMIN) });
  t.after(() => server.stop());
  const page = await openPage(t, app.browser, { baseURL: server.url, lang: 'es', device: 'phone' });
  await logIn(page, ADMIN);
  const failures = [];
  const res = await page.goto('/directory?q=soldadura');
  assert.equal(res.status(), 200);
  assert.ok((await page.locator('#main table tbody tr').count()) > 0, 'the search lists something');
  await shootAndCheckFit(t, page, {
    name: 'directory-list-es',
    device: 'phone',
    onScreen: ['header .user-menu', 'h1', '#q', '#kind', 'form.filters button', '.result-count'],
  }).catch((e) => failures.push(`/directory: ${e.message}`));

  await page.goto('/directory/new');
  await page.locator('#tax_id').fill('B61000019');
  await page.locator('#cnae_1').fill('99.99');
  await page.locator('#website').fill('javascript:alert(1)');
  await page.locator('#lat').fill('43.3');
  const sent = await submit(page, page.locator('#main form.wide button[type="submit"]'));
  assert.equal(sent.status(), 422);
  await shootAndCheckFit(t, page, {
    name: 'directory-new-errors-es',
    device: 'phone',
    onScreen: ['.error-summary', '.field-error', '#main form input[type="text"]', '#main form select', '#main form textarea', '#main form button'],
  }).catch((e) => failures.push(`/directory/new with errors: ${e.message}`));
  if (failures.length > 0) assert.fail(failures.join('\n'));
});

// The catalogue of industrial land on a phone: the filters, the map (once it has drawn the
// sites) and the cards, as a visitor sees them after a search (`serve --demo` loads the sites).
test('sites catalogue with a search (es, visitor) on a phone: fits the screen; screenshot saved', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  const res = await page.goto('/sites?area_min=5.000&min_power_kva=1000&rail=yes');
  assert.equal(res.status(), 200);
  const { drawn, error } = await mapMarkers(page);
  assert.ok(drawn > 0 && error === null, `the map drew the sites (${drawn}, ${error})`);
  await shootAndCheckFit(t, page, {
    name: 'sites-list-es',
    device: 'phone',
    onScreen: ['h1', '#q', '#kind', '#rail', 'form.filters button', '.result-count', '#sites-map', '.site-card', '.compare-form button'],
  });
});
