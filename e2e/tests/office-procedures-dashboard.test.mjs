// The procedures' dashboard and the procedures' calendar entries, on the demo data
// (`serve --demo`: «Proyecto Faro»'s building licence, held by the Polanco council,
// overdue; «Proyecto Galerna»'s paused for a correction; «Proyecto Hayedo»'s urban
// report resolved by positive silence). The administrator reaches it from the office
// dashboard; the overdue licence is listed with its due date in Spanish and its delay,
// and its link opens the procedure; the counts by status add up to the figures shown;
// every administration with procedures has its row. A member of staff reads it in
// English. A council's user (a pact member) gets 404 there, but its private calendar
// feed, made on its account page, holds the due date of the licence its council holds,
// named by the project's code name. axe (no serious/critical violation) and the console
// watcher on the page in Spanish and English, and on a phone (no sideways scrolling).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { setupDirectory, text } from '../lib/directory.mjs';
import { ADMIN, logIn, submit } from '../lib/identity.mjs';

const STAFF_EN = { email: 'mark.staff@besaya.example', name: 'Mark Staff', role: 'staff', lang: 'en', password: 'Ria de Suances 1901' };
// A user of the Polanco council (tax id of crates/besaya/data/demo_organizations.csv).
const POLANCO = { email: 'licencias@polanco.example', name: 'Pilar Polanco', role: 'pact_member', lang: 'es', password: 'Requejada de Polanco 8', org: 'P3900203E' };

const app = useApp('office-procedures-dashboard', { setup: setupDirectory(ADMIN, STAFF_EN, POLANCO) });

const DASHBOARD = '/office/procedures/dashboard';

/** "1.234" or "1,234" (as shown) → 1234. */
const count = (s) => Number(s.replace(/[.,\s]/g, ''));

/** The rows of a table as arrays of cell texts (the row's heading first). */
async function rows(page, table) {
  return page.locator(`${table} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.innerText.replace(/\s+/g, ' ').trim())),
  );
}

test('the office dashboard leads to the procedures figures, where the overdue licence is listed and opens', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, ADMIN);
  await page.goto('/office/dashboard');
  const res = await submit(page, page.locator(`#main a[href="${DASHBOARD}"]`));
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).pathname, DASHBOARD);
  assert.equal(await text(page.locator('h1')), 'Trámites: cuadro de mando');

  // The overdue licence: its project's code name, its council, the due date as dd/mm/yyyy
  // in the past, the delay in days, and what the silence means.
  const overdue = await rows(page, '#table-overdue');
  const faro = overdue.find((r) => r[0] === 'Licencia de obra de nueva planta' && r[1].startsWith('Proyecto Faro'));
  assert.ok(faro, `Faro's building licence among the overdue: ${JSON.stringify(overdue)}`);
  assert.equal(faro[2], 'Ayuntamiento de ejemplo de Polanco (demo)');
  const [d, m, y] = faro[3].split('/').map(Number);
  assert.ok(d && m && y, `a Spanish date: ${faro[3]}`);
  const due = Date.UTC(y, m - 1, d);
  assert.ok(due < Date.now(), `due in the past: ${faro[3]}`);
  const delay = /^(\d+) días?$/.exec(faro[4]);
  assert.ok(delay && Number(delay[1]) > 0, `a delay in days: ${faro[4]}`);
  assert.equal(faro[5], 'Silencio negativo: se entiende denegado');
  // Most overdue first.
  const delays = overdue.map((r) => Number(/^\d+/.exec(r[4])[0]));
  assert.deepEqual(delays, [...delays].sort((a, b) => b - a));

  // The figures: the counts by status add up to those not filed, in progress and resolved.
  const byStatus = Object.fromEntries((await rows(page, '#table-statuses')).map(([s, n]) => [s, count(n)]));
  const inProgress = count(await text(page.locator('#fig-in-progress')));
  const resolved = count(await text(page.locator('#fig-resolved')));
  assert.equal(byStatus['Presentado'] + byStatus['Plazo en curso'] + byStatus['Suspendido por subsanación'], inProgress);
  assert.equal(
    byStatus['Concedido'] + byStatus['Denegado'] + byStatus['Estimado por silencio'] + byStatus['Desestimado por silencio'],
    resolved,
  );
  assert.ok(byStatus['Estimado por silencio'] >= 1, "Hayedo's urban report, by positive silence");
  assert.ok(byStatus['Suspendido por subsanación'] >= 1, "Galerna's licence, paused");
  assert.ok(count(await text(page.locator('#fig-overdue'))) >= 1);
  assert.match(await text(page.locator('#fig-median')), /^[\d.,]+ días \(\d+ resoluci(ón|ones)\)$/);
  assert.match(await text(page.locator('#fig-within')), /^[\d,]+ % \(\d+ de \d+\)$/);
  // Each administration's row, with its DIR3 code; their columns add up to the totals.
  const admins = await rows(page, '#table-administrations');
  const polanco = admins.find((r) => r[0].startsWith('Ayuntamiento de ejemplo de Polanco (demo)'));
  assert.ok(polanco, JSON.stringify(admins));
  assert.match(polanco[0], /\(DIR3 L\d+\)$/);
  assert.ok(count(polanco[4]) >= 1, 'Polanco has the overdue licence');
  assert.equal(admins.reduce((s, r) => s + count(r[2]), 0), inProgress);
  assert.equal(admins.reduce((s, r) => s + count(r[3]), 0), resolved);

  // The link opens the procedure in the office.
  const open = await submit(page, page.locator('#table-overdue a', { hasText: 'Licencia de obra de nueva planta' }).first());
  assert.equal(open.status(), 200);
  assert.match(new URL(page.url()).pathname, /^\/office\/projects\/[0-9a-f-]+\/procedures\/[0-9a-f-]+$/);
  assert.match(await text(page.locator('h1')), /Licencia de obra de nueva planta/);
});

test('a council user may not see the dashboard, and its calendar holds its council’s due dates', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, POLANCO);
  const res = await page.goto(DASHBOARD);
  assert.equal(res.status(), 404);

  await page.goto('/account/calendar');
  const made = await submit(page, page.locator('#main form[action="/account/calendar"] button[type="submit"]'));
  assert.equal(made.status(), 200);
  const address = await page.locator('#feed-url').inputValue();
  const feedPath = new URL(address).pathname;
  assert.match(feedPath, /^\/calendar\/.+\.ics$/);
  const feed = await fetch(new URL(feedPath, app.url));
  assert.equal(feed.status, 200);
  assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
  // Unfolded (RFC 5545 §3.1), one event per VEVENT block.
  const ics = (await feed.text()).replace(/\r\n[ \t]/g, '');
  const events = ics.split('BEGIN:VEVENT').slice(1);
  const licence = events.find((e) => e.includes('SUMMARY:Vence el plazo: Licencia de obra de nueva planta («Proyecto Faro»)'));
  assert.ok(licence, `the licence's due date in the feed:\n${ics}`);
  assert.match(licence, /\r\nUID:procedure-[0-9a-f-]+@/);
  assert.match(licence, /\r\nDTSTART;VALUE=DATE:\d{8}\r\n/);
  assert.match(licence, /el silencio es negativo: la solicitud se entiende denegada/);
  assert.match(licence, /\r\nURL:http:\/\/[^/]+\/procedures\/[0-9a-f-]+\r\n/, 'its own page, not the office’s');
  // Only what its council holds: Galerna's paused licence and Torrelavega's are not there.
  assert.ok(!ics.includes('Proyecto Galerna'), 'a paused clock has no due date');
  assert.ok(!ics.includes('Proyecto Encina'), "another council's procedure");
});

test('the dashboard in English, on a phone, and axe and the console watcher in both languages', async (t) => {
  const cases = [
    { who: ADMIN, lang: 'es', device: 'desktop' },
    { who: STAFF_EN, lang: 'en', device: 'desktop' },
    { who: STAFF_EN, lang: 'en', device: 'phone' },
  ];
  for (const c of cases) {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang: c.lang, device: c.device });
    await logIn(page, c.who);
    const watcher = await watchPage(page, { origin: new URL(app.url).origin });
    const res = await page.goto(DASHBOARD);
    assert.equal(res.status(), 200);
    const what = `${DASHBOARD} (${c.lang}, ${c.device})`;
    if (c.lang === 'en') {
      assert.equal(await text(page.locator('h1')), 'Procedures dashboard');
      assert.match(await text(page.locator('#fig-median')), /^[\d.,]+ days \(\d+ decisions?\)$/);
      const overdue = await rows(page, '#table-overdue');
      assert.ok(
        overdue.some((r) => r[0] === 'Building licence (new building)' && /^\d+ days?$/.test(r[4]) && r[5] === 'Negative silence: deemed refused'),
        JSON.stringify(overdue),
      );
    }
    if (c.device === 'phone') {
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(sideways <= 0, `${what}: the page scrolls sideways by ${sideways}px`);
    }
    watcher.assertClean(what);
    await assertNoSeriousA11yViolations(page, what, t);
  }
});
