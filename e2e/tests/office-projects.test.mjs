// The office's projects in the browser, on `serve --demo` (its demo projects are there
// too): a member of staff opens a project with the form (mistakes shown next to their
// fields first), moves it along the pipeline board with the cards' plain forms — with
// JavaScript switched off and with it — puts one on hold (the reason is asked for on its
// page), and reads the moves in the project's timeline and stage history, in Spanish and
// in English. The board, the list, the form (with errors), the summary and the edit form
// pass axe (no serious/critical violation) and the console watcher in both languages, and
// the board and summary fit a phone's screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { watchPage } from '../lib/console.mjs';
import { createUsers, logIn } from '../lib/identity.mjs';
import {
  boardColumn,
  fillProject,
  firstInvestor,
  flash,
  moveOnBoard,
  officeContext,
  projectIdOf,
  sendProject,
  shownErrors,
  stageHistory,
  submit,
  timeline,
} from '../lib/office.mjs';

const STAFF = { email: 'olga.staff@besaya.example', name: 'Olga Staff', role: 'staff', lang: 'es', password: 'Pasaje de Boo 1911 Besaya' };
const STAFF_EN = { email: 'emma.staff@besaya.example', name: 'Emma Staff', role: 'staff', lang: 'en', password: 'Puente San Miguel 1960s' };

const app = useApp('office-projects', { setup: createUsers(STAFF, STAFF_EN) });

/** A logged-in page of `user` in a fresh context (closed when the test ends). */
async function staffPage(t, user, { lang = user.lang, javaScript = true, device = 'desktop' } = {}) {
  const context = await officeContext(app.browser, { baseURL: app.url, lang, javaScript, device });
  t.after(() => context.close());
  const page = await context.newPage();
  await logIn(page, user);
  return page;
}

/** Opens a project with the form (only a code name and the owner's defaults); returns its id. */
async function openProject(page, codeName) {
  await page.goto('/office/projects/new');
  await fillProject(page, { code_name: codeName });
  const res = await sendProject(page);
  assert.equal(res.status(), 200, `project opened: ${await shownErrors(page)}`);
  return projectIdOf(page);
}

test('a project opened with the form moves along the board without JavaScript, and the timeline shows the moves', async (t) => {
  const page = await staffPage(t, STAFF, { javaScript: false });

  // The board is reached from the header.
  await page.goto('/');
  await submit(page, page.locator('header nav a[href="/office"]'));
  assert.equal(await page.locator('#main h1').innerText(), 'Oficina: proyectos');
  await submit(page, page.locator('#main a[href="/office/projects/new"]'));

  // Mistakes first: each next to its field, the values kept.
  const investor = await firstInvestor(page);
  await fillProject(page, {
    code_name: 'Proyecto Cantera',
    investor_org_id: investor.value,
    area_min: '20.000',
    area_max: '5.000',
    power: '1.000',
    rail: 'required',
    investment_committed_eur: '1.250.000',
    jobs_committed: 'muchos',
  });
  let res = await sendProject(page);
  assert.equal(res.status(), 422);
  assert.equal(await page.locator('#jobs_committed-error').innerText(), '«muchos» no es un número.');
  assert.equal(await page.locator('#area_min-error').innerText(), 'El mínimo es mayor que el máximo.');
  assert.equal(await page.locator('#jobs_committed').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.error-summary li').count(), 2, await shownErrors(page));
  assert.equal(await page.locator('#code_name').inputValue(), 'Proyecto Cantera');
  assert.equal(await page.locator('#investor_org_id').inputValue(), investor.value);

  // Corrected: the project's page, in the first stage.
  await fillProject(page, { area_min: '5.000', area_max: '20.000', jobs_committed: '35' });
  res = await sendProject(page);
  assert.equal(res.status(), 200, await shownErrors(page));
  const id = projectIdOf(page);
  assert.equal(await flash(page), 'Proyecto abierto.');
  assert.equal(await page.locator('#main h1').innerText(), `${investor.label} Proyecto Cantera`);
  assert.match(await page.locator('#main .facts').first().innerText(), /1\.250\.000 €/);
  assert.match(await page.locator('#main').innerText(), /5\.000–20\.000 m² \(Obligatorio\)/);

  // On the board: Consulta → Cualificado → Búsqueda de emplazamiento, each a plain POST and back.
  await page.goto('/office');
  assert.equal(await boardColumn(page, id), 'inquiry');
  assert.equal(await page.locator(`#card-${id} h3`).innerText(), investor.label, 'the owner sees the investor');
  res = await moveOnBoard(page, id, 'Cualificado');
  assert.equal(new URL(res.url()).pathname, '/office');
  assert.equal(await flash(page), 'Proyecto movido de fase.');
  assert.equal(await boardColumn(page, id), 'qualified');
  await moveOnBoard(page, id, 'Búsqueda de emplazamiento');
  assert.equal(await boardColumn(page, id), 'site_search');
  assert.deepEqual(
    await page.locator(`#card-${id} select[name="to"] option`).allInnerTexts(),
    ['Visitas', 'Decisión', 'Cualificado', 'En pausa', 'Perdido'],
    'forward (visits may be skipped), back, on hold, lost',
  );

  // The summary tells what happened.
  await submit(page, page.locator(`#card-${id} h3 a`));
  assert.deepEqual(
    (await timeline(page)).map((e) => e.text),
    [
      'Cambio de fase: de «Cualificado» a «Búsqueda de emplazamiento».',
      'Cambio de fase: de «Consulta» a «Cualificado».',
      'Proyecto abierto en la fase «Consulta».',
    ],
  );
  const history = await stageHistory(page);
  assert.deepEqual(history.map((r) => r[0]), ['Consulta', 'Cualificado', 'Búsqueda de emplazamiento']);
  assert.equal(history[2][2], 'Sigue en ella');
  assert.equal(history[0][3], '0 días');
});

test('with JavaScript: on hold asks for the reason on the project page, and the way back is offered', async (t) => {
  const page = await staffPage(t, STAFF);
  const id = await openProject(page, 'Proyecto Pausa');
  await page.goto('/office');
  let res = await moveOnBoard(page, id, 'En pausa');
  // No reason on the board: the project's page asks for it, the stage chosen.
  assert.equal(new URL(res.url()).pathname, `/office/projects/${id}`);
  assert.match(await flash(page), /hay que indicar el motivo/);
  assert.equal(await page.locator('#to').inputValue(), 'on_hold');
  await page.locator('#reason').fill('Esperan a la resolución de la ayuda regional');
  res = await submit(page, page.locator('#move button[type="submit"]'));
  assert.equal(new URL(res.url()).pathname, `/office/projects/${id}`);
  assert.equal(await flash(page), 'Proyecto movido de fase.');
  assert.equal(await page.locator('#main .stage-now .stage-tag').innerText(), 'En pausa');
  assert.match(await page.locator('#main .stage-panel').innerText(), /Se detuvo en la fase «Consulta»/);
  const [last] = await timeline(page);
  assert.deepEqual(last, {
    text: 'Cambio de fase: de «Consulta» a «En pausa».',
    note: 'Motivo: Esperan a la resolución de la ayuda regional',
  });

  await page.goto('/office');
  assert.equal(await boardColumn(page, id), 'on_hold');
  assert.deepEqual(await page.locator(`#card-${id} select[name="to"] option`).allInnerTexts(), ['Consulta', 'Perdido']);
  await moveOnBoard(page, id, 'Consulta');
  assert.equal(await boardColumn(page, id), 'inquiry');

  // The list finds it by its code name, with its stage.
  await page.goto('/office/projects?q=pausa');
  const row = page.locator('#main table tbody tr', { hasText: 'Proyecto Pausa' });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('.stage-tag').innerText(), 'Consulta');
});

test('in English: the board, the moves and the history', async (t) => {
  const page = await staffPage(t, STAFF_EN);
  const id = await openProject(page, 'Project Tide');
  assert.equal(await flash(page), 'Project opened.');
  await page.goto('/office');
  assert.equal(await page.locator('#main h1').innerText(), 'Office: projects');
  assert.equal((await page.locator('#col-inquiry').innerText()).split(/\s*\(/)[0], 'Inquiry');
  await moveOnBoard(page, id, 'Qualified');
  assert.equal(await flash(page), 'Project moved to another stage.');
  assert.equal(await boardColumn(page, id), 'qualified');
  await page.goto(`/office/projects/${id}`);
  assert.deepEqual(
    (await timeline(page)).map((e) => e.text),
    ['Stage changed from “Inquiry” to “Qualified”.', 'Project opened at the “Inquiry” stage.'],
  );
  assert.equal(await page.locator('#main h3', { hasText: 'Stage history' }).count(), 1);
  assert.equal(await page.locator('nav.tabs a[aria-current="page"]').innerText(), 'Summary');
});

test('on a phone, the board and a project page fit the screen', async (t) => {
  const page = await staffPage(t, STAFF, { device: 'phone' });
  const id = await openProject(page, 'Proyecto Móvil');
  for (const path of ['/office', `/office/projects/${id}`, '/office/projects', `/office/projects/${id}/edit`]) {
    await page.goto(path);
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `${path}: no sideways scrolling (${scroll} > ${width})`);
  }
  await page.goto('/office');
  const box = await page.locator(`#card-${id}`).boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the card is on the screen');
});

/** The project the accessibility checks look at, opened once by the staff member. */
let checked;
function checkedProject(page) {
  checked ??= (async () => {
    const id = await openProject(page, 'Proyecto Revisión');
    await page.goto('/office');
    await moveOnBoard(page, id, 'Cualificado');
    return id;
  })();
  return checked;
}

const PAGES = [
  { name: 'board', path: () => '/office', status: 200, shows: '#main .board .project-card' },
  { name: 'list with a filter', path: () => '/office/projects?stage=qualified', status: 200, shows: '#main table tbody tr' },
  {
    name: 'new project with errors',
    path: () => '/office/projects/new',
    status: 200,
    act: async (page) => {
      await fillProject(page, { code_name: 'X', jobs_committed: 'muchos', area_min: '-3' });
      return sendProject(page);
    },
    after: 422,
    shows: '.error-summary li',
  },
  { name: 'project summary', path: (id) => `/office/projects/${id}`, status: 200, shows: '#main ol.timeline li' },
  { name: 'edit form', path: (id) => `/office/projects/${id}/edit`, status: 200, shows: '#main form #code_name' },
];

for (const lang of ['es', 'en']) {
  for (const p of PAGES) {
    test(`office: ${p.name} (${lang}): no serious/critical axe violations, no console errors or CSP violations`, async (t) => {
      const user = lang === 'es' ? STAFF : STAFF_EN;
      const page = await staffPage(t, user, { lang });
      const id = lang === 'es' ? await checkedProject(page) : await openProject(page, `Review ${p.name}`);
      const watch = await watchPage(page, { origin: app.url });
      const path = p.path(id);
      watch.expectDocumentStatus(new URL(path, app.url).href, p.status);
      let res = await page.goto(path);
      assert.equal(res.status(), p.status, `GET ${path}`);
      if (p.act) {
        // Let the page's own requests (the icon) finish before the form leaves it.
        await page.waitForLoadState('networkidle');
        watch.expectDocumentStatus(new URL(path, app.url).href, p.after);
        res = await p.act(page);
        assert.equal(res.status(), p.after, await shownErrors(page));
      }
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.ok((await page.locator(p.shows).count()) > 0, `${p.shows} is on the page`);
      watch.assertClean(`${p.name}: ${path} (${lang})`);
      await assertNoSeriousA11yViolations(page, `${p.name}: ${path} (${lang})`, t);
    });
  }
}
