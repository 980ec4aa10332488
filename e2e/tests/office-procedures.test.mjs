// Procedures (trámites) across administrations, with their legal clocks, as people use
// them in the browser. The journey: a member of staff adds the building licence
// to a project (the checklist proposes it, with the reasons, and the form first refuses
// an empty choice) and assigns it to the Torrelavega council; the council's user
// (a pact member of that organisation) is e-mailed, finds it on "Trámites" with the
// project's code name and activity only — never the investor — marks the file complete
// (the legal due date shown is the API's, and what the law gives: three months, then the
// next business day, skipping weekends and the national, Cantabrian and local holidays)
// and requests a correction (the clock stops: "Plazo suspendido"). The investor is
// e-mailed, sees the request on its portal, has a text file named .pdf refused (415, next
// to the field) and sends the PDF: the clock runs again and the due date moves by exactly
// the days it was stopped. The council is e-mailed, downloads the correction and grants
// the licence ("Resuelto en plazo"); the owner is e-mailed; the investor and the staff
// see every step with its date. Another council's user gets 404 on the procedure, its
// document and its page's forms, and does not see it in its list. The administrator
// edits the catalogue (a dependency cycle is refused next to the field) and adds a local
// holiday. axe (no serious/critical violation) and the console watcher on every page of
// procedures, in Spanish and English, on a phone for the investor; screenshots of the
// main pages in test-results/screenshots/.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { demoOrganizations, setupDirectory, text } from '../lib/directory.mjs';
import { ADMIN, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';
import { E2E_DIR, RESULTS_DIR } from '../lib/paths.mjs';
import { minimalPdf, spanishDate } from '../lib/sites.mjs';

// The demo councils (tax ids of crates/besaya/data/demo_organizations.csv).
const TORRELAVEGA = { taxId: 'P3900109D', name: 'Ayuntamiento de ejemplo de Torrelavega (demo)', municipality: '39087' };
const POLANCO = { taxId: 'P3900203E', name: 'Ayuntamiento de ejemplo de Polanco (demo)' };
const BUILDING_LICENCE = '01938f00-0000-7000-8000-000000000007';
const IEA = '01938f00-0000-7000-8000-000000000005';

const STAFF = { email: 'rosa.tramites@besaya.example', name: 'Rosa Expedientes', role: 'staff', lang: 'es', password: 'Puente de Ganzo 1921' };
const COUNCIL = { email: 'urbanismo@torrelavega.example', name: 'Luis Urbanismo', role: 'pact_member', lang: 'es', password: 'Plaza Baldomero 1856', org: TORRELAVEGA.taxId };
const COUNCIL_EN = { email: 'planning@torrelavega.example', name: 'Laura Planning', role: 'pact_member', lang: 'en', password: 'Plaza Baldomero 1857', org: TORRELAVEGA.taxId };
const OTHER_COUNCIL = { email: 'obras@polanco.example', name: 'Pedro Polanco', role: 'pact_member', lang: 'es', password: 'Requejada de Polanco 7', org: POLANCO.taxId };
const INVESTOR = { email: 'irene.tramites@besaya.example', name: 'Irene Inversora', role: 'investor', lang: 'es', password: 'Nave de Barreda 2026' };
const INVESTOR_EN = { email: 'ivan.tramites@besaya.example', name: 'Ivan Investor', role: 'investor', lang: 'en', password: 'Nave de Barreda 2027' };

// The investor organisation: the last demo company by name, which no demo project uses.
const companies = (await demoOrganizations())
  .filter((o) => o.kind === 'company')
  .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
const investorOrg = companies[companies.length - 1];
INVESTOR.org = investorOrg.tax_id;
INVESTOR_EN.org = investorOrg.tax_id;

const CODE_NAME = 'Proyecto Percebe';
const SHOTS = path.join(RESULTS_DIR, 'screenshots');

let token = '';
const app = useApp('office-procedures', {
  setup: async (ctx) => {
    await setupDirectory(ADMIN, STAFF, COUNCIL, COUNCIL_EN, OTHER_COUNCIL, INVESTOR, INVESTOR_EN)(ctx);
    const { stdout } = await ctx.besaya(['token', 'create', '--email', STAFF.email, '--name', 'e2e']);
    token = stdout.trim().split('\n').pop().trim();
    assert.ok(token.length > 20, `a token: ${stdout}`);
  },
});

// ---------------------------------------------------------------------------
// The law's calendar, as the domain counts a term in months (for a check that does not
// trust the server): date to date, a day the month lacks becomes its last, the paused
// days added, then the first business day on or after (weekends, the national and
// Cantabrian holidays of the embedded file, the municipality's local ones).
// ---------------------------------------------------------------------------

const holidayFile = await readFile(path.join(E2E_DIR, '../crates/besaya/data/holidays_es_cantabria.csv'), 'utf8');
const HOLIDAYS = new Set(
  holidayFile
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0].trim())
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)),
);

const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
function addMonths(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total % 12; // 0-based
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}
function businessOnOrAfter(iso, local) {
  let d = iso;
  for (;;) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && !HOLIDAYS.has(d) && !local.has(d)) return d;
    d = addDays(d, 1);
  }
}
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
/** Today in Madrid, as the server counts it. */
const madridToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Calls the API as the member of staff. */
async function api(method, urlPath, body) {
  const res = await fetch(new URL(urlPath, app.url), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  return { status: res.status, json };
}

/** The project of the journey (a CNAE 24.10 steelworks asking for 2,000 kVA), created once. */
let projectPromise;
function project() {
  projectPromise ??= (async () => {
    const orgs = await api('GET', '/api/v1/organizations?limit=500');
    assert.equal(orgs.status, 200, JSON.stringify(orgs.json));
    const org = orgs.json.items.find((o) => o.tax_id === investorOrg.tax_id);
    assert.ok(org, `the demo organisation ${investorOrg.tax_id}`);
    const created = await api('POST', '/api/v1/projects', {
      code_name: CODE_NAME,
      investor_org_id: org.id,
      cnae_code: '24.10',
      confidential: true,
      requirements: { power_kva: { min: 2000 } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    return { id: created.json.id, investorName: org.name };
  })();
  return projectPromise;
}

/** The project's procedures as the API gives them. */
async function procedures(id) {
  const r = await api('GET', `/api/v1/projects/${id}/procedures`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.items;
}

/** The local holidays of a municipality (the clocks of its council skip them). */
async function localHolidays(municipality) {
  const r = await api('GET', '/api/v1/local-holidays');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const items = Array.isArray(r.json) ? r.json : r.json.items;
  return new Set(items.filter((h) => h.municipality_code === municipality).map((h) => h.on_date));
}

async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `procedures-${name}.png`), fullPage: true });
}

/** The page fits the window's width: no horizontal scrolling. */
async function noSideScroll(page, what) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(m.scroll <= m.inner, `${what}: horizontal scroll, content ${m.scroll}px wide in a ${m.inner}px window`);
}

/** The rows of a procedure's history: [{ date, step, note }]. */
async function history(page) {
  return page.locator('#main table.proc-history tbody tr').evaluateAll((rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((c) => c.innerText.replace(/\s+/g, ' ').trim());
      return { kind: tr.className.replace('proc-event-', ''), date: cells[0], step: cells[1], note: cells[2] };
    }),
  );
}

/** The value of a fact (the `dd` after the `dt` saying `label`). */
async function fact(page, label) {
  const dt = page.locator('#main dl.proc-facts dt', { hasText: label });
  assert.equal(await dt.count(), 1, `one fact "${label}"`);
  return text(dt.locator('xpath=following-sibling::dd[1]'));
}

/** Records a step on a procedure's page: its date, its note, and the step's button. */
async function recordStep(page, kind, onDate, note = '') {
  await page.locator('#ev-on_date').fill(onDate);
  if (note) await page.locator('#ev-note').fill(note);
  return submit(page, page.locator(`#ev-kind button[value="${kind}"]`));
}

// The journey's state, shared by the tests that follow it.
const journey = { pid: null, docHref: null, due1: null, due2: null };

// ---------------------------------------------------------------------------
// The journey
// ---------------------------------------------------------------------------

test('the building licence: the office adds it, the council runs its clock, the investor corrects, the council grants', async (t) => {
  const { id, investorName } = await project();
  const today = madridToday();
  const completeOn = addDays(today, -20);
  const correctionOn = addDays(today, -10);

  // --- The office adds the building licence from the checklist.
  const staff = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await staff.goto(`/office/projects/${id}/procedures`);
  await logIn(staff, STAFF);
  assert.equal(new URL(staff.url()).pathname, `/office/projects/${id}/procedures`, 'back to the tab after logging in');
  assert.equal(await staff.locator('nav.tabs a[aria-current="page"]').innerText(), 'Trámites');
  assert.match(await text(staff.locator('#procedures')), /Este proyecto aún no tiene trámites/);
  // The checklist proposes, with its reasons in words.
  const iea = staff.locator('.proc-offer', { has: staff.locator(`#t-${IEA}`) });
  assert.ok(await staff.locator(`#t-${IEA}`).isChecked(), 'the integrated environmental authorisation is proposed for CNAE 24.10');
  assert.match(await text(iea), /Se propone.*La actividad \(CNAE 24\.10\) está en la división 24/);
  const building = staff.locator(`#t-${BUILDING_LICENCE}`);
  assert.ok(await building.isChecked(), 'the building licence is proposed to every project');
  assert.match(await text(staff.locator('.proc-offer', { has: building })), /plazo por confirmar.*Se pide a todos los proyectos/);
  // Nothing ticked: refused next to the list, nothing added.
  for (const box of await staff.locator('#add input[name="template_id"]:not([disabled])').all()) await box.uncheck();
  let res = await submit(staff, staff.getByRole('button', { name: 'Añadir los trámites marcados' }));
  assert.equal(res.status(), 422);
  assert.match(await text(staff.locator('#add-first-error')), /Marque al menos un trámite/);
  assert.match(await text(staff.locator('.error-summary')), /Marque al menos un trámite/);
  // The building licence only, for the Torrelavega council.
  await staff.locator(`#t-${BUILDING_LICENCE}`).check();
  // The administrations of the directory, by name (with their DIR3 code when known).
  const select = staff.locator(`#admin-${BUILDING_LICENCE}`);
  await select.selectOption(await select.locator('option', { hasText: TORRELAVEGA.name }).getAttribute('value'));
  res = await submit(staff, staff.getByRole('button', { name: 'Añadir los trámites marcados' }));
  assert.equal(res.status(), 200, await shownErrors(staff));
  assert.match(await text(staff.locator('.flash')), /Trámites añadidos al proyecto/);
  const row = staff.locator('#procedures table tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await text(row), /Licencia de obra de nueva planta.*Plazo: 3 meses.*plazo por confirmar.*Ayuntamiento de ejemplo de Torrelavega \(demo\).*Sin presentar.*Sin plazo en marcha.*Silencio negativo: se entenderá denegado/);
  const [proc] = await procedures(id);
  journey.pid = proc.id;
  const pid = proc.id;

  // --- The council is told, and finds it with the project's code name only.
  const assigned = await waitForMail(app.mailDir, { to: COUNCIL.email, subject: /^Nuevo trámite asignado: Licencia de obra de nueva planta \(proyecto «Proyecto Percebe»\)/ });
  assert.doesNotMatch(assigned.text, new RegExp(investorName));
  const council = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(council, COUNCIL);
  const nav = council.locator('header nav.main-nav').getByRole('link', { name: 'Trámites' });
  res = await submit(council, nav);
  assert.equal(new URL(council.url()).pathname, '/procedures');
  assert.equal(await council.locator('h1').innerText(), `Trámites de ${TORRELAVEGA.name}`);
  const listed = council.locator(`#proc-${pid}`);
  assert.match(await text(listed), /Licencia de obra de nueva planta\s+Proyecto Percebe\s+Sin presentar/);
  assert.doesNotMatch(await text(council.locator('#main')), new RegExp(investorName), 'the list never names the investor');
  const [link] = linksTo(assigned.text, `/procedures/${pid}`);
  assert.ok(link, assigned.text);
  res = await submit(council, listed.getByRole('link', { name: 'Licencia de obra de nueva planta' }));
  assert.equal(new URL(council.url()).pathname, `/procedures/${pid}`);
  assert.equal(await council.locator('h1').innerText(), 'Licencia de obra de nueva planta');
  assert.equal(await fact(council, 'Proyecto'), CODE_NAME);
  assert.equal(await fact(council, 'Actividad (CNAE)'), '24.10');
  assert.doesNotMatch(await text(council.locator('#main')), new RegExp(investorName), 'the procedure never names the investor');

  // --- A step dated in the future is refused next to the date.
  res = await recordStep(council, 'complete', addDays(today, 3));
  assert.equal(res.status(), 422);
  assert.equal(await council.locator('#ev-on_date').getAttribute('aria-invalid'), 'true');
  assert.match(await shownErrors(council), /posterior a hoy/);

  // --- The file is complete: the clock starts; the due date is the law's.
  const local = await localHolidays(TORRELAVEGA.municipality);
  res = await recordStep(council, 'complete', completeOn);
  assert.equal(res.status(), 200, await shownErrors(council));
  assert.match(await text(council.locator('.flash')), /Paso anotado/);
  let api1 = (await procedures(id)).find((p) => p.id === pid);
  const due1 = businessOnOrAfter(addMonths(completeOn, 3), local);
  assert.equal(api1.status, 'running');
  assert.equal(api1.due_on, due1, 'three months from the complete file, on a business day');
  journey.due1 = due1;
  assert.equal(await fact(council, 'Estado'), 'Plazo en curso');
  assert.match(await fact(council, 'Vence el'), new RegExp(`^${spanishDate(due1)} · Quedan \\d+ días$`));
  assert.equal(await fact(council, 'Expediente completo el'), spanishDate(completeOn));

  // The investor sees the due date on its portal.
  const investor = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await investor.goto(`/portal/projects/${id}/procedures`);
  await logIn(investor, INVESTOR);
  assert.equal(new URL(investor.url()).pathname, `/portal/projects/${id}/procedures`);
  assert.equal(await investor.locator('nav.tabs a[aria-current="page"]').innerText(), 'Trámites');
  assert.match(await text(investor.locator(`#proc-${pid}`)), new RegExp(`Licencia de obra de nueva planta.*Ayuntamiento de ejemplo de Torrelavega \\(demo\\).*Plazo en curso.*${spanishDate(due1)}`));
  assert.match(await text(investor.locator('#procedures .proc-last')), new RegExp(`Fecha prevista del último permiso: ${spanishDate(due1)}`));
  await noSideScroll(investor, 'the investor tab');

  // --- The council requests a correction: the clock stops.
  res = await recordStep(council, 'correction_requested', correctionOn, 'Falta el plano de situación firmado por el técnico.');
  assert.equal(res.status(), 200, await shownErrors(council));
  assert.equal(await fact(council, 'Estado'), 'Suspendido por subsanación');
  assert.equal(await fact(council, 'Vence el'), 'Plazo suspendido');
  assert.match(await text(council.locator('.proc-paused')), /Falta el plano de situación firmado/);
  // The steps offered follow the status: nothing but a note while it waits.
  assert.deepEqual(await council.locator('#ev-kind button').evaluateAll((bs) => bs.map((b) => b.value)), ['note']);
  api1 = (await procedures(id)).find((p) => p.id === pid);
  assert.equal(api1.status, 'paused');
  assert.equal(api1.due_on, null);

  // --- The investor is e-mailed, sees what is asked and sends the correction.
  const asked = await waitForMail(app.mailDir, { to: INVESTOR.email, subject: /^Le piden una subsanación: Licencia de obra de nueva planta/ });
  assert.match(asked.text, /Falta el plano de situación firmado/);
  const [askedLink] = linksTo(asked.text, `/portal/projects/${id}/procedures/${pid}`);
  assert.ok(askedLink, asked.text);
  await investor.goto(`/portal/projects/${id}/procedures`);
  const correction = investor.locator(`#correction-${pid}`);
  assert.match(await text(correction), new RegExp(`Licencia de obra de nueva planta.*Pedida el ${spanishDate(correctionOn)}: Falta el plano de situación firmado`));
  assert.match(await text(investor.locator(`#proc-${pid}`)), /Suspendido por subsanación.*Plazo suspendido/);
  await investor.goto(askedLink);
  assert.equal(new URL(investor.url()).pathname, `/portal/projects/${id}/procedures/${pid}`);
  // A text file named .pdf is refused next to the field.
  const file = investor.locator(`#corr-${pid}`);
  await file.setInputFiles({ name: 'plano.pdf', mimeType: 'application/pdf', buffer: Buffer.from('no soy un PDF') });
  res = await submit(investor, investor.getByRole('button', { name: /^Enviar la corrección/ }));
  assert.equal(res.status(), 415);
  assert.match(await text(investor.locator(`#corr-${pid}-error`)), /Este tipo de archivo no se admite/);
  assert.equal(await investor.locator(`#corr-${pid}`).getAttribute('aria-invalid'), 'true');
  await noSideScroll(investor, 'the procedure with an error');
  // The PDF goes up: the clock runs again, the due date moved by the days it was stopped.
  await investor.locator(`#corr-${pid}`).setInputFiles({ name: 'Plano de situación.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Plano de situacion') });
  res = await submit(investor, investor.getByRole('button', { name: /^Enviar la corrección/ }));
  assert.equal(res.status(), 200, await shownErrors(investor));
  assert.match(await text(investor.locator('.flash')), /Corrección enviada: el plazo vuelve a correr/);
  const paused = daysBetween(correctionOn, today);
  const due2 = businessOnOrAfter(addDays(addMonths(completeOn, 3), paused), local);
  journey.due2 = due2;
  api1 = (await procedures(id)).find((p) => p.id === pid);
  assert.equal(api1.status, 'running');
  assert.equal(api1.due_on, due2, `the due date moved by the ${paused} days the clock was stopped`);
  assert.equal(await fact(investor, 'Estado'), 'Plazo en curso');
  assert.match(await fact(investor, 'Vence el'), new RegExp(`^${spanishDate(due2)}`));
  await investor.goto(`/portal/projects/${id}/procedures`);
  assert.equal(await investor.locator('#corrections').count(), 0, 'nothing left to correct');
  assert.match(await text(investor.locator(`#proc-${pid}`)), new RegExp(`Plazo en curso.*${spanishDate(due2)}`));

  // --- The council is e-mailed, sees the correction and its file, and grants the licence.
  const corrected = await waitForMail(app.mailDir, { to: COUNCIL.email, subject: /^Subsanación presentada: Licencia de obra de nueva planta/ });
  const [back] = linksTo(corrected.text, `/procedures/${pid}`);
  assert.ok(back, corrected.text);
  await council.goto(back);
  assert.match(await fact(council, 'Vence el'), new RegExp(`^${spanishDate(due2)}`));
  const steps = await history(council);
  assert.deepEqual(steps.map((s) => s.kind), ['complete', 'correction_requested', 'corrected']);
  const doc = council.locator('#main table.proc-history tr.proc-event-corrected a');
  journey.docHref = await doc.getAttribute('href');
  assert.equal(journey.docHref.startsWith(`/procedures/${pid}/documents/`), true, journey.docHref);
  const download = await council.request.get(journey.docHref);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'application/pdf');
  assert.match(download.headers()['content-disposition'], /^attachment/);
  assert.ok((await download.body()).subarray(0, 5).equals(Buffer.from('%PDF-')));
  await screenshot(council, 'council-detail-desktop');
  res = await recordStep(council, 'granted', today, 'Licencia concedida por decreto de alcaldía.');
  assert.equal(res.status(), 200, await shownErrors(council));
  assert.match(await fact(council, 'Estado'), /^Concedido · Resuelto en plazo$/);
  assert.equal(await fact(council, 'Resuelto el'), spanishDate(today));

  // --- The owner is told; the staff and the investor see every step with its date.
  await waitForMail(app.mailDir, { to: STAFF.email, subject: /^Licencia de obra de nueva planta \(proyecto «Proyecto Percebe»\)/ });
  await staff.goto(`/office/projects/${id}/procedures`);
  assert.match(await text(staff.locator(`#proc-${pid}`)), new RegExp(`Concedido.*Resuelto el ${spanishDate(today)}.*Resuelto en plazo`));
  await submit(staff, staff.locator(`#proc-${pid}`).getByRole('link', { name: 'Licencia de obra de nueva planta' }));
  const seen = await history(staff);
  assert.deepEqual(
    seen.map((s) => [s.kind, s.date]),
    [
      ['complete', spanishDate(completeOn)],
      ['correction_requested', spanishDate(correctionOn)],
      ['corrected', spanishDate(today)],
      ['granted', spanishDate(today)],
    ],
  );
  assert.match(seen[1].note, /Falta el plano de situación firmado/);
  assert.match(seen[2].note, /Subsanación: Licencia de obra de nueva planta/, "the corrected document, linked");
  await investor.goto(`/portal/projects/${id}/procedures/${pid}`);
  assert.deepEqual((await history(investor)).map((s) => s.kind), ['complete', 'correction_requested', 'corrected', 'granted']);
  assert.match(await fact(investor, 'Estado'), /^Concedido/);
});

test('a council sees only its own procedures: another administration gets 404', async (t) => {
  const { id } = await project();
  assert.ok(journey.pid, 'the journey created the procedure');
  const other = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(other, OTHER_COUNCIL);
  await other.goto('/procedures');
  assert.equal(await other.locator('h1').innerText(), `Trámites de ${POLANCO.name}`);
  assert.equal(await other.locator(`#proc-${journey.pid}`).count(), 0, 'not in its list');
  for (const p of [
    `/procedures/${journey.pid}`,
    `/office/projects/${id}/procedures`,
    `/office/projects/${id}/procedures/${journey.pid}`,
    `/portal/projects/${id}/procedures`,
    `/portal/projects/${id}/procedures/${journey.pid}`,
  ]) {
    const res = await other.goto(p);
    assert.equal(res.status(), 404, p);
  }
  if (journey.docHref) {
    const res = await other.request.get(journey.docHref);
    assert.equal(res.status(), 404, 'its document');
  }
  // Its forms answer 404 too (the CSRF token of a page it may open).
  await other.goto('/procedures');
  const csrf = await other.locator('header form[action="/logout"] input[name="_csrf"]').getAttribute('value');
  const post = await other.request.post(`/procedures/${journey.pid}/events`, {
    form: { _csrf: csrf, kind: 'denied', on_date: madridToday(), note: '', version: '1' },
  });
  assert.equal(post.status(), 404);
  // Nor the office's catalogue.
  assert.equal((await other.goto('/office/procedure-templates')).status(), 404);
});

test('the administrator edits the catalogue (a cycle is refused next to the field) and adds a local holiday', async (t) => {
  const admin = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await admin.goto('/office/procedure-templates');
  await logIn(admin, ADMIN);
  assert.equal(new URL(admin.url()).pathname, '/office/procedure-templates');
  const licence = admin.locator('#template-building_licence');
  assert.match(await text(licence), /Licencia de obra de nueva planta.*3 meses.*plazo por confirmar.*Negativo.*Evaluación de impacto ambiental ordinaria/);

  // A new entry that the building licence then waits for.
  await submit(admin, admin.getByRole('link', { name: 'Nuevo trámite' }));
  await admin.locator('#tf-code').fill('Informe Raro');
  await admin.locator('#tf-term_value').fill('diez');
  let res = await submit(admin, admin.getByRole('button', { name: 'Crear el trámite' }));
  assert.equal(res.status(), 422);
  assert.equal(await admin.locator('#tf-code').getAttribute('aria-invalid'), 'true');
  assert.match(await text(admin.locator('#tf-term_value-error')), /Escriba un número entero: diez/);
  assert.ok((await admin.locator('#tf-name_es-error').count()) > 0, 'the missing name is named');
  assert.equal(await admin.locator('#tf-code').inputValue(), 'Informe Raro', 'what was typed is kept');
  await admin.locator('#tf-code').fill('fire_safety_report');
  await admin.locator('#tf-name_es').fill('Informe de protección contra incendios');
  await admin.locator('#tf-name_en').fill('Fire safety report');
  await admin.locator('#tf-level').selectOption('region');
  await admin.locator('#tf-term_value').fill('30');
  await admin.locator('#tf-term_unit').selectOption('business_days');
  await admin.locator('#tf-silence').selectOption('negative');
  await admin.locator(`#dep-${BUILDING_LICENCE}`).check();
  res = await submit(admin, admin.getByRole('button', { name: 'Crear el trámite' }));
  assert.equal(res.status(), 200, await shownErrors(admin));
  assert.match(await text(admin.locator('.flash')), /Trámite añadido al catálogo/);
  assert.match(await text(admin.locator('#template-fire_safety_report')), /Informe de protección contra incendios.*30 días hábiles.*Licencia de obra de nueva planta/);

  // The building licence waiting for it would close a circle: refused next to the field.
  await submit(admin, licence.getByRole('link', { name: 'Licencia de obra de nueva planta', exact: true }));
  const fire = admin.locator('#tf-depends_on .field', { hasText: 'Informe de protección contra incendios' }).locator('input');
  await fire.check();
  res = await submit(admin, admin.getByRole('button', { name: 'Guardar los cambios' }));
  assert.equal(res.status(), 422);
  assert.match(await text(admin.locator('#tf-depends_on-error')), /ciclo/);
  assert.ok(await admin.locator('#tf-depends_on .field', { hasText: 'Informe de protección contra incendios' }).locator('input').isChecked(), 'the choice is kept');

  // A local holiday of Torrelavega.
  await admin.goto('/office/procedure-templates/holidays');
  assert.match(await text(admin.locator('#main')), /Festivos nacionales y de Cantabria de \d{4}/);
  res = await submit(admin, admin.getByRole('button', { name: 'Añadir el festivo' }));
  assert.equal(res.status(), 422);
  assert.match(await shownErrors(admin), /Elija un municipio de Cantabria/);
  await admin.locator('#hol-municipality_code').selectOption({ label: 'Torrelavega' });
  await admin.locator('#hol-on_date').fill('2030-07-16');
  await admin.locator('#hol-name_es').fill('Fiesta de la Virgen Grande (prueba)');
  res = await submit(admin, admin.getByRole('button', { name: 'Añadir el festivo' }));
  assert.equal(res.status(), 200, await shownErrors(admin));
  assert.match(await text(admin.locator('#local-holidays')), /Torrelavega\s+16\/07\/2030\s+Fiesta de la Virgen Grande \(prueba\)/);

  // Staff read the catalogue but cannot change it.
  const staff = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(staff, STAFF);
  await staff.goto('/office/procedure-templates');
  assert.equal(await staff.getByRole('link', { name: 'Nuevo trámite' }).count(), 0);
  assert.equal((await staff.goto('/office/procedure-templates/new')).status(), 403);
});

// ---------------------------------------------------------------------------
// Quality: axe and the console watcher on every page, both languages; screenshots
// ---------------------------------------------------------------------------

test('every page of procedures passes axe and the console watcher, in Spanish and English', async (t) => {
  const { id } = await project();
  // A second procedure, paused for a correction, so that the forms and the request show.
  let items = await procedures(id);
  let open = items.find((p) => p.status === 'paused');
  if (!open) {
    const added = await api('POST', `/api/v1/projects/${id}/procedures`, {
      items: [{ template_id: '01938f00-0000-7000-8000-000000000008', administration_org_id: (await api('GET', '/api/v1/organizations?limit=500')).json.items.find((o) => o.tax_id === TORRELAVEGA.taxId).id }],
    });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    items = await procedures(id);
    open = items.find((p) => p.template_id === '01938f00-0000-7000-8000-000000000008');
    for (const [kind, days] of [['complete', -5], ['correction_requested', -2]]) {
      const fresh = (await procedures(id)).find((p) => p.id === open.id);
      const r = await api('POST', `/api/v1/projects/${id}/procedures/${open.id}/events`, {
        kind, on_date: addDays(madridToday(), days), note: kind === 'correction_requested' ? 'Aporte la memoria de actividad.' : '', version: fresh.version,
      });
      assert.equal(r.status, 201, JSON.stringify(r.json));
    }
  }
  const pid = open.id;
  const templates = await api('GET', '/api/v1/procedure-templates');
  const anyTemplate = (Array.isArray(templates.json) ? templates.json : templates.json.items)[0].id;

  const pages = [
    { who: STAFF, name: 'staff tab', path: `/office/projects/${id}/procedures`, shows: '#main #add', shot: 'staff-tab' },
    {
      who: STAFF,
      name: 'staff tab with an error',
      path: `/office/projects/${id}/procedures`,
      act: async (page) => {
        for (const box of await page.locator('#add input[name="template_id"]:not([disabled])').all()) await box.uncheck();
        return submit(page, page.locator('#add button[type="submit"]'));
      },
      after: 422,
      shows: '#add-first-error',
    },
    { who: STAFF, name: 'staff procedure', path: `/office/projects/${id}/procedures/${pid}`, shows: '#main #ev-on_date', shot: 'staff-detail' },
    {
      who: STAFF,
      name: 'staff procedure with an error',
      path: `/office/projects/${id}/procedures/${pid}`,
      act: (page) => submit(page, page.locator('#main form[action$="/delete"] button[type="submit"]')),
      posts: `/office/projects/${id}/procedures/${pid}/delete`,
      after: 422,
      shows: '#del-confirm-error',
    },
    { who: STAFF, name: 'all procedures (office)', path: '/procedures', shows: '#main table.proc-table' },
    { who: COUNCIL, name: 'council list', path: '/procedures?overdue=', shows: '#main table.proc-table', shot: 'council-list' },
    { who: COUNCIL, name: 'council procedure', path: `/procedures/${pid}`, shows: '#main #ev-kind button' },
    {
      who: COUNCIL,
      name: 'council procedure with an error',
      path: `/procedures/${pid}`,
      act: async (page) => {
        await page.locator('#ev-on_date').fill(addDays(madridToday(), 5));
        return submit(page, page.locator('#ev-kind button').first());
      },
      posts: `/procedures/${pid}/events`,
      after: 422,
      shows: '#ev-on_date-error',
    },
    { who: INVESTOR, device: 'phone', name: 'investor tab', path: `/portal/projects/${id}/procedures`, shows: '#corrections input[type="file"]', shot: 'investor-tab' },
    { who: INVESTOR, device: 'phone', name: 'investor procedure', path: `/portal/projects/${id}/procedures/${pid}`, shows: '#main input[type="file"]', shot: 'investor-detail' },
    { who: ADMIN, name: 'catalogue', path: '/office/procedure-templates', shows: '#main table.proc-catalogue', shot: 'catalogue' },
    { who: ADMIN, name: 'new catalogue entry', path: '/office/procedure-templates/new', shows: '#tf-code' },
    {
      who: ADMIN,
      name: 'new catalogue entry with errors',
      path: '/office/procedure-templates/new',
      act: (page) => submit(page, page.locator('#main form.proc-template-form button[type="submit"]')),
      posts: '/office/procedure-templates',
      after: 422,
      shows: '#tf-code-error',
    },
    { who: ADMIN, name: 'catalogue entry', path: `/office/procedure-templates/${anyTemplate}`, shows: '#tf-depends_on', shot: 'template-form' },
    { who: ADMIN, name: 'holidays', path: '/office/procedure-templates/holidays', shows: '#hol-municipality_code' },
  ];
  const english = { [STAFF.email]: { ...STAFF, lang: 'en' }, [COUNCIL.email]: COUNCIL_EN, [INVESTOR.email]: INVESTOR_EN, [ADMIN.email]: { ...ADMIN, lang: 'en' } };
  const runs = pages.flatMap((p) => [
    { ...p, lang: 'es' },
    { ...p, who: english[p.who.email], lang: 'en', shot: p.shot ? `${p.shot}-en` : undefined },
  ]);
  const doors = new Map();
  for (const r of runs) {
    const device = r.device ?? 'desktop';
    const key = `${r.who.email} ${r.lang} ${device}`;
    if (!doors.has(key)) {
      const door = await openPage(t, app.browser, { baseURL: app.url, lang: r.lang, device });
      await logIn(door, r.who);
      // The language of the page, whatever the account's.
      await door.goto(`/lang/${r.lang}?next=%2F`);
      doors.set(key, door);
    }
    const page = await doors.get(key).context().newPage();
    const what = `${r.name} (${r.lang}, ${device}, ${r.who.role})`;
    const watch = await watchPage(page, { origin: new URL(app.url).origin });
    let res = await page.goto(r.path);
    assert.equal(res.status(), 200, `${what}: GET ${r.path}`);
    if (r.act) {
      watch.expectDocumentStatus(new URL(r.posts ?? r.path, app.url).href, r.after);
      res = await r.act(page);
      assert.equal(res.status(), r.after, `${what}: after sending the form: ${await shownErrors(page)}`);
    }
    assert.equal(await page.locator('html').getAttribute('lang'), r.lang, what);
    assert.ok((await page.locator(r.shows).count()) > 0, `${what}: ${r.shows} is on the page`);
    if (device === 'phone') await noSideScroll(page, what);
    if (r.lang === 'en') {
      // No Spanish left on an English page (the names of the demo bodies aside).
      const body = (await text(page.locator('#main'))).replace(/Ayuntamiento de ejemplo de [^)]*\(demo\)|Consejería[^)]*\(demo\)/g, '');
      assert.doesNotMatch(body, /\b(Trámites|Vence el|Plazo suspendido|Añadir|Guardar)\b/, `${what}: Spanish on an English page`);
    }
    if (r.shot) {
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `procedures-${r.shot}-${device}.png`), fullPage: true });
    }
    watch.assertClean(what);
    await assertNoSeriousA11yViolations(page, what, t);
    await page.close();
  }
});
