// The office's working notes on a project, as a member of staff uses them in a browser:
// the project's activity tab (log an interaction, with an error first; add tasks, one
// overdue and marked so; mark one done), the list of one's open tasks, and the private
// calendar page (create an address, read the feed from it, revoke it: the address then
// answers 404). axe finds no serious or critical violation on each page, and the pages log
// no console error nor break their Content-Security-Policy. The activity tab fits a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { newContext } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';

const STAFF = { email: 'irene.staff@besaya.example', name: 'Irene Staff', role: 'staff', lang: 'es', password: 'Ría de San Martín 1857' };

const app = useApp('office-work', { setup: createUsers(STAFF) });

/** `YYYY-MM-DD`, `days` from today (in the browser's, i.e. the machine's, calendar). */
function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Once for the file: a logged-in staff context, an API token made on the account page,
 * and a confidential project of the staff member's made through the API (its id).
 */
const shared = {};
let preparing;
function prepare() {
  preparing ??= (async () => {
    shared.context = await newContext(app.browser, { baseURL: app.url, lang: 'es' });
    const page = await shared.context.newPage();
    await logIn(page, STAFF);
    await page.goto('/account');
    await page.locator('#token-name').fill('e2e office-work');
    await submit(page, page.locator('form[action="/account/tokens"] button[type="submit"]'));
    shared.token = (await page.locator('#new-token').innerText()).trim();
    const res = await page.request.post('/api/v1/projects', {
      headers: { Authorization: `Bearer ${shared.token}` },
      data: { code_name: 'Lince', confidential: true },
    });
    assert.equal(res.status(), 201, `project created: ${await res.text()}`);
    shared.project = (await res.json()).id;
    await page.close();
  })();
  return preparing;
}

const api = (path, method, data) =>
  shared.context.request.fetch(`/api/v1/projects/${shared.project}${path}`, {
    method,
    headers: { Authorization: `Bearer ${shared.token}` },
    data,
  });

async function openPage(t, path, status = 200) {
  const page = await shared.context.newPage();
  t.after(() => page.close());
  const watch = await watchPage(page, { origin: app.url });
  watch.expectDocumentStatus(new URL(path, app.url).href, status);
  const res = await page.goto(path);
  assert.equal(res.status(), status, `GET ${path}`);
  return { page, watch };
}

const rowText = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

test('office work: log an interaction and tasks on the activity tab, mark one done', async (t) => {
  await prepare();
  const activity = `/office/projects/${shared.project}/activity`;
  const { page, watch } = await openPage(t, activity);
  assert.equal(await page.locator('h1').innerText(), 'Lince');
  assert.equal(await page.locator('nav.tabs a[aria-current="page"]').innerText(), 'Actividad');
  await assertNoSeriousA11yViolations(page, 'activity tab, empty', t);

  // No subject: the form comes back with the error next to the field and the values kept.
  await page.locator('#i-kind').selectOption('visit');
  await page.locator('#i-occurred_at').fill('2026-12-01T10:30');
  await page.locator('#i-people').fill('Irene, Jon (inversor)');
  watch.expectDocumentStatus(new URL(`/office/projects/${shared.project}/interactions`, app.url).href, 422);
  let res = await submit(page, page.locator('form[action$="/interactions"] button[type="submit"]'));
  assert.equal(res.status(), 422);
  assert.equal(await page.locator('#i-subject').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#i-subject-error').innerText(), 'Este dato es obligatorio.');
  assert.equal(await page.locator('#i-people').inputValue(), 'Irene, Jon (inversor)');
  assert.equal(await page.locator('#i-kind').inputValue(), 'visit');
  await page.locator('.error-summary a[href="#i-subject"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'i-subject', 'the summary leads to the field');
  await assertNoSeriousA11yViolations(page, 'activity tab with an error', t);

  await page.locator('#i-subject').fill('Visita a la parcela de Barreda');
  await page.locator('#i-duration_minutes').fill('90');
  await page.locator('#i-location').fill('Barreda, Torrelavega');
  res = await submit(page, page.locator('form[action$="/interactions"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(new URL(page.url()).pathname, activity, 'back on the tab (POST-redirect-GET)');
  assert.equal(await page.locator('.flash').innerText(), 'Interacción registrada.');
  const logged = await rowText(page.locator('.work-interactions li').first());
  assert.match(logged, /Visita a la parcela de Barreda/);
  assert.match(logged, /Visita 1 de diciembre de 2026, 10:30 · 90 minutos · Barreda, Torrelavega/);
  assert.match(logged, /Registrada por Irene Staff/);

  // Two tasks: one overdue (marked in words, not only by colour), one later.
  for (const [title, due] of [['Enviar el dosier de suelos', isoDay(-2)], ['Preparar la reunión con el ayuntamiento', isoDay(10)]]) {
    await page.locator('#t-title').fill(title);
    await page.locator('#t-due_on').fill(due);
    res = await submit(page, page.locator('form[action$="/tasks"] button[type="submit"]'));
    assert.equal(res.status(), 200, await shownErrors(page));
    assert.equal(await page.locator('.flash').innerText(), 'Tarea añadida.');
  }
  const rows = page.locator('table.work-tasks tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rowText(rows.nth(0)), /^Enviar el dosier de suelos .* Vencida Irene Staff/);
  assert.equal(await rows.nth(0).getAttribute('class'), 'overdue');
  assert.doesNotMatch(await rowText(rows.nth(1)), /Vencida/);
  await assertNoSeriousA11yViolations(page, 'activity tab with interactions and tasks', t);

  // My tasks: both, the overdue one first.
  await page.goto('/office/tasks');
  assert.equal(await page.locator('h1').innerText(), 'Mis tareas pendientes');
  assert.match(await page.locator('#main').innerText(), /2 tareas pendientes, 1 vencida\./);
  const mine = page.locator('table.work-my-tasks tbody tr');
  assert.match(await rowText(mine.nth(0)), /Enviar el dosier de suelos Lince/);
  await assertNoSeriousA11yViolations(page, 'my tasks', t);

  // Done from the activity tab: it moves to the done tasks and leaves my list.
  await page.goto(activity);
  res = await submit(page, page.locator('table.work-tasks tbody tr').first().getByRole('button', { name: /Marcar como hecha/ }));
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('.flash').innerText(), 'Tarea marcada como hecha.');
  assert.equal(await page.locator('table.work-tasks tbody tr').count(), 1);
  assert.match(await rowText(page.locator('table.work-done tbody tr').first()), /^Enviar el dosier de suelos/);
  await page.goto('/office/tasks');
  assert.equal(await page.locator('table.work-my-tasks tbody tr').count(), 1);
  assert.doesNotMatch(await page.locator('#main').innerText(), /Enviar el dosier/);

  // The API sees what the page did.
  const tasks = await (await api('/tasks?done=true', 'GET')).json();
  assert.deepEqual(tasks.items.map((x) => x.title), ['Enviar el dosier de suelos']);
  watch.assertClean('activity tab');
});

test('office work: the activity tab fits a phone', async (t) => {
  await prepare();
  const context = await newContext(app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  t.after(() => context.close());
  const page = await context.newPage();
  await logIn(page, STAFF);
  await page.goto(`/office/projects/${shared.project}/activity`);
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `no horizontal scrolling on a phone (${scroll} > ${width})`);
  for (const sel of ['#i-subject', '#t-title', 'form[action$="/tasks"] button[type="submit"]']) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${sel} is on screen`);
  }
});

test('office work: the calendar page creates a private feed and revokes it', async (t) => {
  await prepare();
  // A meeting and a task of hers, for the feed.
  let res = await api('/interactions', 'POST', { kind: 'meeting', occurred_at: '2099-03-02T09:00', subject: 'Reunión; con comas, y todo', duration_minutes: 30 });
  assert.equal(res.status(), 201, await res.text());
  res = await api('/tasks', 'POST', { title: 'Firmar el acuerdo', due_on: '2099-03-03' });
  assert.equal(res.status(), 201, await res.text());

  const { page, watch } = await openPage(t, '/account');
  await submit(page, page.getByRole('link', { name: 'Calendario privado (tareas, reuniones y plazos)' }));
  assert.equal(new URL(page.url()).pathname, '/account/calendar');
  assert.equal(await page.locator('#feed-status').innerText(), 'Todavía no tiene una dirección de calendario.');
  await assertNoSeriousA11yViolations(page, 'calendar page without a feed', t);

  res = await submit(page, page.getByRole('button', { name: 'Crear la dirección' }));
  assert.equal(res.status(), 200);
  const url = await page.locator('#feed-url').inputValue();
  assert.match(url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  assert.match(await page.locator('#feed-status').innerText(), /^Tiene una dirección de calendario creada el /);
  await assertNoSeriousA11yViolations(page, 'calendar page with the new address', t);
  // The feed, fetched without the session (a calendar application has none).
  const feedPath = new URL(url).pathname;
  const anonymous = await newContext(app.browser, { baseURL: app.url });
  t.after(() => anonymous.close());
  const feed = await anonymous.request.get(feedPath);
  assert.equal(feed.status(), 200);
  assert.equal(feed.headers()['content-type'], 'text/calendar; charset=utf-8');
  const ics = (await feed.text()).replace(/\r\n /g, '');
  assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
  assert.match(ics, /\r\nSUMMARY:Reunión: Reunión\\; con comas\\, y todo \(Lince\)\r\n/);
  assert.match(ics, /\r\nDTSTART:20990302T080000Z\r\nDTEND:20990302T083000Z\r\n/);
  assert.match(ics, /\r\nSUMMARY:Tarea: Firmar el acuerdo \(Lince\)\r\n/);
  assert.match(ics, /\r\nDTSTART;VALUE=DATE:20990303\r\n/);
  // Shown once: not on the page any more.
  await page.goto('/account/calendar');
  assert.equal(await page.locator('#feed-url').count(), 0);

  res = await submit(page, page.getByRole('button', { name: 'Revocar la dirección' }));
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('.flash').innerText(), 'Dirección de calendario revocada: ya no funciona.');
  assert.equal(await page.locator('#feed-status').innerText(), 'Todavía no tiene una dirección de calendario.');
  assert.equal((await anonymous.request.get(feedPath)).status(), 404, 'the revoked address answers 404');
  watch.assertClean('calendar page');
});

test('office work: the activity tab and my tasks in English', async (t) => {
  await prepare();
  const context = await newContext(app.browser, { baseURL: app.url, lang: 'en' });
  t.after(() => context.close());
  const page = await context.newPage();
  const watch = await watchPage(page, { origin: app.url });
  await logIn(page, STAFF);
  // Her account is in Spanish: switch to English for this visit.
  await page.goto(`/lang/en?next=${encodeURIComponent(`/office/projects/${shared.project}/activity`)}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const headings = await page.locator('#main h2, #main h3').allInnerTexts();
  assert.deepEqual(headings.slice(0, 3), ['Open tasks', 'Add a task', 'Done tasks']);
  assert.ok(headings.includes('Log an interaction'));
  const visit = page.locator('.work-interactions li').filter({ hasText: 'Visita a la parcela de Barreda' });
  assert.match(await visit.innerText(), /Visit\s+1 December 2026, 10:30 · 90 minutes/);
  await assertNoSeriousA11yViolations(page, 'activity tab (en)', t);
  await page.goto('/office/tasks');
  assert.equal(await page.locator('h1').innerText(), 'My open tasks');
  await assertNoSeriousA11yViolations(page, 'my tasks (en)', t);
  await page.goto('/account/calendar');
  assert.equal(await page.locator('h1').innerText(), 'Private calendar');
  await assertNoSeriousA11yViolations(page, 'calendar page (en)', t);
  watch.assertClean('pages in English');
  // Back to Spanish for the account (the choice is kept with it).
  await page.goto('/lang/es?next=%2F');
});
