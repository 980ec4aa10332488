// The catalogue's pages as a visitor sees them, in Spanish and English (the list with
// filters and its map, a site with a photo and a document, its printable sheet, a
// comparison, the matching form with results and with an error, the open data page),
// and the office's pages as a member of staff (in Spanish; the new-site form with errors,
// the edit and management pages, the facts to verify again, the estates): axe finds no
// serious or critical violation, and the page logs no console error, breaks no
// Content-Security-Policy rule, fails no request and contacts no other site.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { newContext } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { canvasPng, mapMarkers, minimalPdf, siteIdsByReference, uploadSiteFile } from '../lib/sites.mjs';

const STAFF = { email: 'sara.staff@besaya.example', name: 'Sara Staff', role: 'staff', lang: 'es', password: 'Puerto de Requejada 1905' };

const app = useApp('sites-a11y', { setup: createUsers(STAFF) });

/** Visitors' contexts by language, the staff member's, and the ids of demo sites by reference. */
const contexts = {};
const ids = new Map();

/**
 * Opens the contexts, reads the sites' ids and gives TV-P07 a photo and a document (so
 * that its page and sheet show them), once for all the tests of the file (called by each:
 * root-level before() hooks of node:test do not wait for useApp's). The contexts close
 * with the browser.
 */
let preparing;
function prepare() {
  preparing ??= (async () => {
    for (const lang of ['es', 'en']) contexts[lang] = await newContext(app.browser, { baseURL: app.url, lang });
    contexts.staff = await newContext(app.browser, { baseURL: app.url, lang: 'es' });
    const page = await contexts.staff.newPage();
    await logIn(page, STAFF);
    for (const [ref, id] of await siteIdsByReference(page)) ids.set(ref, id);
    await page.goto(`/sites/${ids.get('TV-P07')}/manage`);
    const photo = await uploadSiteFile(page, { kind: 'photo', title: 'Vista de la parcela', file: { name: 'vista.png', mimeType: 'image/png', buffer: await canvasPng(page) } });
    assert.equal(photo.status(), 200, `photo added: ${await shownErrors(page)}`);
    const doc = await uploadSiteFile(page, { kind: 'document', title: 'Plano de la parcela', file: { name: 'plano.pdf', mimeType: 'application/pdf', buffer: minimalPdf() } });
    assert.equal(doc.status(), 200, `document added: ${await shownErrors(page)}`);
    await page.close();
  })();
  return preparing;
}

const site = (ref) => `/sites/${ids.get(ref)}`;
// Few results (4 demo sites), yet every outcome: passes, a failed preference (RQ-P02's
// price), unknown facts (TV-P15's rail siding, LE-P01's power), both statuses.
const MATCH = 'go=1&area_min=15000&area_max=20000&area_imp=required&power=1000&power_imp=required&rail=required&gas=preferred&sale_price=60&sale_imp=preferred';

/** Waits until the catalogue's map has drawn its markers. */
async function catalogueMap(page) {
  const { markers, error } = await mapMarkers(page);
  assert.equal(error, null, 'the map loaded');
  assert.ok(markers > 0, 'the map shows the sites');
}

/** Waits until a site's small map has drawn its marker. */
const siteMap = (page) => page.locator('.site-map-small .leaflet-marker-icon').waitFor({ state: 'visible' });

/**
 * The pages checked: where, the HTTP status, what is done there first (a form sent, with
 * the status then), how to know it is ready, and what must be on the page (`every`: each of these too).
 */
const PUBLIC = [
  { name: 'catalogue with filters', path: () => '/sites?area_min=5.000&min_power_kva=1000&rail=yes', status: 200, ready: catalogueMap, shows: '#main .site-card' },
  { name: 'site page with a photo and a document', path: () => site('TV-P07'), status: 200, ready: siteMap, shows: '#main .photo-grid img' },
  { name: 'printable sheet', path: () => `${site('TV-P07')}/sheet`, status: 200, ready: siteMap, shows: '.sheet-facts .facts-table' },
  { name: 'comparison of two sites', path: () => `/sites/compare?id=${ids.get('TV-P03')}&id=${ids.get('TV-P07')}`, status: 200, shows: '.compare-table tbody td .unknown' },
  { name: 'matching with results', path: () => `/sites/match?${MATCH}`, status: 200, shows: '#main .match-item', every: ['.check-pass', '.check-fail', '.check-unknown'] },
  { name: 'matching with an error', path: () => `/sites/match?${MATCH.replace('power=1000', 'power=mucho')}`, status: 422, shows: '#power-error' },
  { name: 'open data', path: () => '/open-data', status: 200, shows: '#main a[href="/open-data/sites.csv"]' },
];

const OFFICE = [
  {
    name: 'new site with errors',
    path: () => '/sites/new',
    status: 200,
    act: async (page) => {
      await page.locator('#name').fill('Parcela con errores (prueba)');
      await page.locator('#lat').fill('-4.05');
      await page.locator('#lon').fill('43.35');
      await page.locator('#cadastral_refs').fill('9872023VH5797S0001WA');
      await page.locator('#area_m2').fill('mucho');
      return submit(page, page.locator('#main form button[type="submit"]'));
    },
    after: 422,
    shows: '.error-summary li',
  },
  { name: 'edit form', path: () => `${site('TV-P07')}/edit`, status: 200, shows: '#main form #name' },
  { name: 'management page', path: () => `${site('TV-P07')}/manage`, status: 200, shows: '#main #photos .photo-grid img' },
  { name: 'facts to verify again', path: () => '/sites/stale', status: 200, shows: '#main table tbody tr' },
  { name: 'estates', path: () => '/estates', status: 200, shows: '#main table tbody tr' },
];

const CASES = [
  ...PUBLIC.flatMap((p) => ['es', 'en'].map((lang) => ({ ...p, lang, who: lang }))),
  ...OFFICE.map((p) => ({ ...p, lang: 'es', who: 'staff' })),
];

for (const p of CASES) {
  const as = p.who === 'staff' ? 'staff' : 'visitor';
  test(`sites: ${p.name} (${p.lang}, ${as}): no serious/critical axe violations, no console errors or CSP violations`, async (t) => {
    await prepare();
    const page = await contexts[p.who].newPage();
    t.after(() => page.close());
    const watch = await watchPage(page, { origin: app.url });
    const path = p.path();
    watch.expectDocumentStatus(new URL(path, app.url).href, p.status);
    let res = await page.goto(path);
    assert.equal(res.status(), p.status, `GET ${path}`);
    assert.ok(res.headers()['content-security-policy'], 'the page has a Content-Security-Policy');
    if (p.act) {
      // The form answers with an error status: Chromium logs that, and only that is expected.
      watch.expectDocumentStatus(new URL(path, app.url).href, p.after);
      res = await p.act(page);
      assert.equal(res.status(), p.after, `status after sending the form: ${await shownErrors(page)}`);
    }
    if (p.ready) await p.ready(page);
    assert.equal(await page.locator('html').getAttribute('lang'), p.lang);
    if (as === 'staff') assert.equal(await page.locator('header .user-menu a.user-link').innerText(), STAFF.name, 'who looks');
    assert.ok((await page.locator(p.shows).count()) > 0, `${p.shows} is on the page`);
    for (const sel of p.every ?? []) assert.ok((await page.locator(`#main ${sel}`).count()) > 0, `${sel} is on the page`);
    watch.assertClean(`${p.name}: ${path} (${p.lang})`);
    await assertNoSeriousA11yViolations(page, `${p.name}: ${path} (${p.lang}, ${as})`, t);
  });
}
