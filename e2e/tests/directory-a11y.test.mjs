// The directory's pages, in both languages, as the administrator sees them (with the
// most on them: the merge and delete box, the import) — also with form errors, someone
// else's changes and an import report with errors: axe finds no serious or critical
// violation, and the page logs no console error, breaks no Content-Security-Policy rule,
// fails no request and contacts no other site.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { newContext } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { csvLine, findOrganization, setupDirectory, uploadForImport } from '../lib/directory.mjs';
import { ADMIN, logIn, shownErrors, submit } from '../lib/identity.mjs';

/** One administrator per language: a logged-in user sees the pages in the account's language. */
const ADMINS = {
  es: ADMIN,
  en: { email: 'alan.admin@besaya.example', name: 'Alan Admin', role: 'admin', lang: 'en', password: 'Cape of Ajo lighthouse 9' },
};

const app = useApp('directory-a11y', { setup: setupDirectory(ADMINS.es, ADMINS.en) });

const FUNDICIONES = 'Fundiciones Ejemplo del Besaya, S.A. (demo)';

/** A small import file with bad rows (an import report is only visible to who uploaded it). */
const BAD_IMPORT = Buffer.from(
  [
    ['tax_id', 'name', 'kind', 'cnae_codes', 'municipality_code', 'employees'],
    ['B60000007', 'Talleres Buenos, S.L. (prueba)', 'company', '2553', '39087', '12'],
    ['B60000010', 'Talleres Malos, S.L. (prueba)', 'nave', '2553', '99999', 'muchos'],
  ]
    .map((r) => csvLine(r))
    .join('\r\n'),
  'utf8',
);

/** Logged-in contexts by language, the address of a record, and each language's import report. */
const contexts = {};
const found = { record: '', report: {} };

/**
 * Logs each administrator in and uploads the bad file once per language, for all the tests
 * of the file (called by each: root-level before() hooks of node:test do not wait for
 * useApp's). The contexts close with the browser.
 */
let preparing;
function prepare() {
  preparing ??= Promise.all(
    ['es', 'en'].map(async (lang) => {
      contexts[lang] = await newContext(app.browser, { baseURL: app.url, lang });
      const page = await contexts[lang].newPage();
      await logIn(page, ADMINS[lang]);
      assert.equal(await page.locator('html').getAttribute('lang'), lang, `admin ${lang} logged in`);
      if (lang === 'es') found.record = await findOrganization(page, 'Fundiciones', FUNDICIONES);
      await uploadForImport(page, { name: 'errores.csv', mimeType: 'text/csv', buffer: BAD_IMPORT });
      assert.ok(await page.locator('#main .error-summary').isVisible(), `the report shows errors: ${await shownErrors(page)}`);
      found.report[lang] = new URL(page.url()).pathname;
      await page.close();
    }),
  );
  return preparing;
}

/** The directory form (new or edit). */
const FORM = '#main form.wide[method="post"]';

/** Fills `fields` (selector -> value) of the directory form and sends it. */
function sendForm(fields, before = async () => {}) {
  return async (page) => {
    await before(page);
    for (const [selector, value] of Object.entries(fields)) await page.locator(selector).fill(value);
    return submit(page, page.locator(FORM).locator('button[type="submit"]'));
  };
}

/**
 * The pages checked: where, what is done there first (a form sent) and the status then,
 * and what must be on the page.
 */
const PAGES = [
  { name: 'list with a search', path: () => '/directory?q=soldadura&sort=name', status: 200, shows: '#main table tbody tr' },
  { name: 'record', path: () => found.record, status: 200, shows: '#main .admin-box #from_tax_id' },
  {
    name: 'new organisation with errors',
    path: () => '/directory/new',
    act: sendForm({ '#tax_id': 'B61000019', '#cnae_1': '99.99', '#website': 'javascript:alert(1)', '#lat': '43.3' }),
    status: 422,
    shows: '.error-summary',
  },
  { name: 'edit form', path: () => `${found.record}/edit`, status: 200, shows: `${FORM} #name` },
  {
    name: 'edit form with someone else\'s changes',
    path: () => `${found.record}/edit`,
    // As if the form had been opened before another save: an older version.
    act: sendForm({ '#phone': '+34 942 999 999' }, (page) =>
      page.locator(`${FORM} input[name="version"]`).evaluate((el) => {
        el.value = String(Number(el.value) - 1);
      }),
    ),
    status: 409,
    shows: '.error-summary table tbody tr',
  },
  { name: 'import', path: () => '/directory/import', status: 200, shows: '#file' },
  { name: 'import report with errors', path: (lang) => found.report[lang], status: 200, shows: '#main table tbody tr' },
];

for (const p of PAGES) {
  for (const lang of ['es', 'en']) {
    test(`directory: ${p.name} (${lang}): no serious/critical axe violations, no console errors or CSP violations`, async (t) => {
      await prepare();
      const page = await contexts[lang].newPage();
      t.after(() => page.close());
      const watch = await watchPage(page, { origin: app.url });
      const path = p.path(lang);
      let res = await page.goto(path);
      assert.equal(res.status(), 200, `GET ${path}`);
      assert.ok(res.headers()['content-security-policy'], 'the page has a Content-Security-Policy');
      if (p.act) {
        // The form answers with an error status: Chromium logs that, and only that is expected.
        const action = await page.locator(FORM).getAttribute('action');
        watch.expectDocumentStatus(new URL(action, app.url).href, p.status);
        res = await p.act(page);
        assert.equal(res.status(), p.status, `status after sending the form: ${await shownErrors(page)}`);
      }
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await page.locator('header .user-menu a.user-link').innerText(), ADMINS[lang].name, 'who looks');
      assert.ok((await page.locator(p.shows).count()) > 0, `${p.shows} is on the page`);
      watch.assertClean(`${p.name}: ${path} (${lang})`);
      await assertNoSeriousA11yViolations(page, `${p.name}: ${path} (${lang})`, t);
    });
  }
}
