// The Office's whole journey, as new users play it in a browser on `serve --demo`: a
// person of an investor writes from the public form (`/inquiry`); the member of staff it
// is given to follows the e-mail to it and qualifies it into a project of the investor's
// organisation (chosen among the directory's investors); states the requirements and
// proposes the first three sites the matching ranks; invites the person to the portal by
// e-mail and asks for a document on the "Documentos" tab. The investor follows the
// invitation, chooses a password, logs in (to `/portal`), gives its opinion on two sites,
// uploads the document and writes to the office. The owner reads the feedback, the file
// and the message, accepts the document and moves the project on (on its page, then on
// the board); the investor sees the new stage on its portal. An investor of another
// organisation gets 404 on every page (and the file) of the project, and a member of
// staff not assigned to the confidential project sees only its code name on the board,
// the project's page and the inquiry's (in English). axe (no serious/critical violation)
// and the console watcher on the pages of the journey, in Spanish (the board in English).
//
// The steps are tests that run in order and share the journey's state; a step whose
// predecessor failed is skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { newContext } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { setupDirectory, text } from '../lib/directory.mjs';
import { logIn, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';
import { boardColumn, fillProject, flash, moveOnBoard, timeline } from '../lib/office.mjs';
import { matchResults, minimalPdf } from '../lib/sites.mjs';

// New inquiries go to the active member of staff with the fewest waiting, ties by name:
// "Aitana" comes before the demo's staff and Zoe.
const OWNER = { email: 'aitana.oficina@besaya.example', name: 'Aitana Oficina (e2e)', role: 'staff', lang: 'es', password: 'Estación de Renedo 1866' };
const OUTSIDER = { email: 'zoe.office@besaya.example', name: 'Zoe Outsider (e2e)', role: 'staff', lang: 'en', password: 'Bridge of Torres 1902x' };
// The investor's organisation: an investor of the demo directory that no demo project uses.
const ORG = 'Nordic Battery Components AB (demo investor)';
// The person who writes, and is then invited to the portal (no account before).
const INGRID = { name: 'Ingrid Nordin (e2e)', email: 'ingrid.nordin@nordic-battery.example', password: 'Cátodos en Requejada 2026' };
// An investor user of another organisation (another demo investor).
const RIVAL = { email: 'klaus.rival@besaya.example', name: 'Klaus Rival (e2e)', role: 'investor', lang: 'es', password: 'Kathoden aus Tanos 2026', org: 'N3900901D' };
const CODE = 'Proyecto Albatros';

const app = useApp('office-journey', { setup: setupDirectory(OWNER, OUTSIDER, RIVAL) });

/** What the steps hand on to the next ones. */
const journey = {};

/** Skips the step when an earlier one did not leave what it needs. */
function needs(t, ...keys) {
  const missing = keys.filter((k) => journey[k] === undefined);
  if (missing.length) t.skip(`an earlier step failed (no ${missing.join(', ')})`);
  return missing.length === 0;
}

/** A page in a fresh context (own cookies) with the console watcher; closes with the browser. */
async function person(lang = 'es') {
  const context = await newContext(app.browser, { baseURL: app.url, lang });
  const page = await context.newPage();
  const watch = await watchPage(page, { origin: new URL(app.url).origin });
  return { page, watch };
}

/** The console watcher and axe, as every page of the suite is checked. */
async function check(t, { page, watch }, what) {
  watch.assertClean(what);
  await assertNoSeriousA11yViolations(page, what, t);
}

const pathOf = (page) => new URL(page.url()).pathname;
/** A document of a documents list, by its title. */
const docItem = (page, title) => page.locator('#main .doc').filter({ has: page.locator('h3', { hasText: title }) });

test('a person of an investor writes to the Office from the public form', async (t) => {
  const visitor = await person();
  const { page } = visitor;
  await page.goto('/');
  await submit(page, page.locator('#main a[href="/inquiry"]'));
  assert.equal(pathOf(page), '/inquiry');
  assert.equal(await text(page.locator('h1')), 'Consulte a la Oficina');
  await check(t, visitor, 'inquiry form');
  const fields = {
    name: INGRID.name,
    email: INGRID.email,
    company: ORG,
    country: 'Suecia',
    message: 'Buscamos una parcela de 5.000 a 20.000 m² con 1 MVA para montar módulos de baterías. ¿Qué nos pueden ofrecer?',
    cnae_code: '27.20',
    land_m2: '15.000',
    jobs: '120',
  };
  for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
  await page.locator('#consent').check();
  const res = await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(pathOf(page), '/inquiry/thanks');
  assert.equal(await text(page.locator('h1')), 'Consulta recibida');
  const ack = await waitForMail(app.mailDir, { to: INGRID.email, subject: /Hemos recibido su consulta/ });
  assert.match(ack.text, /48 horas/);
  visitor.watch.assertClean('thank-you page');
  journey.sent = true;
});

test('the member of staff it is given to qualifies it into a project of the investor', async (t) => {
  if (!needs(t, 'sent')) return;
  // The owner's e-mail leads to the inquiry, through the login page.
  const notice = await waitForMail(app.mailDir, { to: OWNER.email, subject: /^Nueva consulta a su cargo: Ingrid Nordin \(e2e\)/ });
  const found = /https?:\/\/\S+?(\/office\/inquiries\/[0-9a-f-]{36})\b/.exec(notice.text);
  assert.ok(found, `a link to the inquiry in: ${notice.text}`);
  const inquiry = found[1];
  journey.inquiry = inquiry;

  const staff = await person();
  journey.staff = staff;
  const { page } = staff;
  await page.goto(inquiry);
  await logIn(page, OWNER);
  assert.equal(pathOf(page), inquiry, 'back to the inquiry after logging in');
  assert.equal(await text(page.locator('h1')), 'Consulta de Ingrid Nordin (e2e)');
  assert.match(await text(page.locator('#facts')), /ingrid\.nordin@nordic-battery\.example/);
  assert.match(await text(page.locator('#message')), /módulos de baterías/);

  // The investor is an organisation of the directory, offered among the investors.
  await page.locator('#code_name').fill(CODE);
  const investors = page.locator('#investor_org_id optgroup').first();
  assert.equal(await investors.getAttribute('label'), 'Inversores');
  const option = investors.locator('option', { hasText: ORG });
  assert.equal(await option.count(), 1, `${ORG} among the investors`);
  await page.locator('#investor_org_id').selectOption(await option.getAttribute('value'));
  const res = await submit(page, page.locator(`form[action="${inquiry}/qualify"] button[type="submit"]`));
  assert.equal(res.status(), 200, await shownErrors(page));
  const m = /^\/office\/projects\/([0-9a-f-]{36})$/.exec(pathOf(page));
  assert.ok(m, `the project's page: ${page.url()}`);
  journey.project = m[1];
  assert.match(await flash(page), /Consulta cualificada/);
  assert.equal(await text(page.locator('#main h1')), `${ORG} ${CODE}`);
  assert.equal(await text(page.locator('#main .stage-now .stage-tag')), 'Cualificado');
  assert.match(await text(page.locator('#main ol.timeline')), /Proyecto abierto al cualificar la consulta/);
  // A project born of an inquiry is confidential.
  await page.goto(`/office/projects/${journey.project}/edit`);
  assert.ok(await page.locator('#confidential').isChecked(), 'confidential by default');
  await page.goto(`/office/projects/${journey.project}`);
  await check(t, staff, 'project summary (owner)');
});

test('staff state the requirements and propose the first three sites the matching ranks', async (t) => {
  if (!needs(t, 'project')) return;
  const { page } = journey.staff;
  const id = journey.project;
  await page.goto(`/office/projects/${id}/sites`);
  assert.equal(await text(page.locator('nav.tabs a[aria-current="page"]')), 'Emplazamientos');
  // The requirements from the inquiry's message, in the project's form.
  await page.goto(`/office/projects/${id}/edit`);
  await fillProject(page, { area_min: '5.000', area_max: '20.000', power: '1.000' });
  let res = await submit(page, page.locator('#main form.project-form button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Cambios guardados.');
  assert.match(await text(page.locator('#main')), /5\.000–20\.000 m²/);

  await submit(page, page.locator('nav.tabs').getByRole('link', { name: 'Emplazamientos' }));
  assert.match(await text(page.locator('#requirements')), /al menos 1\.000 kVA/);
  const ranked = await matchResults(page);
  assert.ok(ranked.length >= 3, `at least three sites fit: ${ranked.map((r) => r.reference)}`);
  assert.equal(ranked[0].status, 'Cumple lo obligatorio');
  const three = ranked.slice(0, 3).map((r) => ({ ...r, label: `${r.name} · ${r.reference}` }));
  const ranking = (href) => page.locator('#ranked .match-item').filter({ has: page.locator(`h3 a[href="${href}"]`) });
  for (const [i, s] of three.entries()) {
    if (i === 0) await ranking(s.href).getByLabel(`Nota para el inversor sobre ${s.label} (opcional)`).fill('La mejor situada: a 2 km de la A-67.');
    res = await submit(page, ranking(s.href).getByRole('button', { name: `Proponer ${s.label}` }));
    assert.equal(res.status(), 200, await shownErrors(page));
    assert.match(await flash(page), /Emplazamiento propuesto/);
    assert.equal(await text(ranking(s.href).locator('.proposed-mark')), 'Ya propuesto');
  }
  const listed = await page.locator('#proposals .proposal h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(listed.sort(), three.map((s) => s.href).sort());
  journey.sites = three;
  await check(t, journey.staff, 'sites tab with three proposals (owner)');
});

test('staff invite the investor to the portal by e-mail and ask for a document', async (t) => {
  if (!needs(t, 'project')) return;
  const { page } = journey.staff;
  const id = journey.project;
  await page.goto(`/office/projects/${id}`);
  await submit(page, page.locator('nav.tabs').getByRole('link', { name: 'Documentos' }));
  assert.equal(pathOf(page), `/office/projects/${id}/documents`);
  const people = page.locator('#investor-people');
  assert.match(await text(people), new RegExp(`Estas personas de ${ORG.replace(/[()]/g, '\\$&')}`));
  assert.match(await text(people), /Nadie del inversor tiene todavía acceso al portal/);
  await page.locator('#inv-name').fill(INGRID.name);
  await page.locator('#inv-email').fill(INGRID.email);
  await page.locator('#inv-lang').selectOption('es');
  let res = await submit(page, people.getByRole('button', { name: 'Enviar la invitación' }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Invitación enviada.');
  assert.match(await text(page.locator('#investor-people table')), /Ingrid Nordin \(e2e\) ingrid\.nordin@nordic-battery\.example Invitación enviada; aún sin contraseña/);

  await page.locator('#req-title').fill('Plan de negocio');
  await page.locator('#req-description').fill('Con las cuentas de los dos últimos años.');
  await page.locator('#req-due_on').fill('2030-01-31');
  res = await submit(page, page.getByRole('button', { name: 'Pedir el documento' }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Documento pedido al inversor.');
  assert.match(await text(docItem(page, 'Plan de negocio')), /Pendiente de envío.*31\/01\/2030/);
  await check(t, journey.staff, 'documents tab with the invitation and the request (owner)');
  journey.invited = true;
});

test('the investor follows the invitation, logs in to its portal, comments on the sites, uploads the document and writes', async (t) => {
  if (!needs(t, 'invited', 'sites')) return;
  const id = journey.project;
  // To the investor, its project bears its own name (the code name is the office's).
  const mail = await waitForMail(app.mailDir, { to: INGRID.email, subject: /^Siga su proyecto «Proyecto Albatros» en Besaya/ });
  assert.match(mail.text, /Aitana Oficina \(e2e\), de la Oficina .* le invita al portal del inversor para seguir el proyecto «Proyecto Albatros»/s);
  const [link] = linksTo(mail.text, '/invitation');
  assert.ok(link, `an invitation link in: ${mail.text}`);

  const investor = await person();
  journey.investor = investor;
  const { page } = investor;
  const opened = await page.goto(link);
  assert.equal(opened.status(), 200);
  assert.equal(await text(page.locator('#main h1')), 'Bienvenida a Besaya');
  await page.locator('#password').fill(INGRID.password);
  await page.locator('#confirm').fill(INGRID.password);
  let res = await submit(page, page.getByRole('button', { name: 'Guardar la contraseña', exact: true }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(pathOf(page), '/login');
  await logIn(page, INGRID);
  assert.equal(pathOf(page), '/portal', 'an investor lands on its portal');
  assert.equal(await text(page.locator('h1')), 'Mis proyectos');
  const cards = page.locator('#main .portal-projects > li');
  assert.equal(await cards.count(), 1, 'its one project');
  assert.match(await text(cards.first()), /Proyecto Albatros.*Fase: Cualificado.*Falta un documento por enviar.*3 emplazamientos propuestos esperan su opinión/);
  await check(t, investor, 'portal home (investor)');

  // The sites: wants to visit the first, not interested in the third, each with a comment.
  await submit(page, cards.first().getByRole('link', { name: '3 emplazamientos propuestos esperan su opinión' }));
  assert.equal(pathOf(page), `/portal/projects/${id}/sites`);
  assert.equal(await page.locator('#main .proposal').count(), 3);
  const proposal = (href) => page.locator('#main .proposal').filter({ has: page.locator(`h3 a[href="${href}"]`) });
  const [first, , third] = journey.sites;
  assert.match(await text(proposal(first.href)), /La mejor situada: a 2 km de la A-67\./);
  await check(t, investor, 'portal sites tab (investor)');
  for (const [s, answer, comment] of [
    [first, 'Quiere visitarlo', '¿Podríamos verla el jueves por la mañana?'],
    [third, 'No le interesa', 'Demasiado lejos del puerto.'],
  ]) {
    await proposal(s.href).getByLabel(answer, { exact: true }).check();
    await proposal(s.href).getByLabel('Comentario (opcional)').fill(comment);
    res = await submit(page, proposal(s.href).getByRole('button', { name: `Enviar mi opinión sobre ${s.label}` }));
    assert.equal(res.status(), 200, await shownErrors(page));
    assert.match(await flash(page), /Hemos guardado su opinión/);
    assert.match(await text(proposal(s.href).locator('.feedback')), new RegExp(`Su respuesta: ${answer}`));
  }

  // The document: uploaded from its row.
  await submit(page, page.locator('nav.tabs').getByRole('link', { name: 'Documentos' }));
  const item = docItem(page, 'Plan de negocio');
  await item.locator('input[type="file"]').setInputFiles({ name: 'Plan de negocio Nordic.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Plan de negocio') });
  res = await submit(page, item.getByRole('button', { name: /^Subir/ }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Documento subido.');
  assert.match(await text(docItem(page, 'Plan de negocio')), /Enviado, en revisión.*Plan de negocio Nordic\.pdf/);
  const own = await docItem(page, 'Plan de negocio').getByRole('link', { name: 'Plan de negocio Nordic.pdf' }).getAttribute('href');
  assert.equal((await page.request.get(own)).status(), 200, `the investor downloads its own file: ${own}`);
  journey.portalFile = own;

  // A message to the office.
  await submit(page, page.locator('nav.tabs').getByRole('link', { name: 'Mensajes' }));
  await page.getByLabel('Mensaje', { exact: true }).fill('Les he enviado el plan de negocio. ¿Confirmamos la visita del jueves?');
  res = await submit(page, page.getByRole('button', { name: 'Enviar', exact: true }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Mensaje enviado.');
  assert.match(await text(page.locator('#main .thread')), /Ingrid Nordin \(e2e\).*Inversor.*Les he enviado el plan de negocio/);
  investor.watch.assertClean('portal documents and messages (investor)');
  journey.investorDone = true;
});

test('staff see the feedback, the upload and the message, accept the document and move the project on', async (t) => {
  if (!needs(t, 'investorDone')) return;
  const { page } = journey.staff;
  const id = journey.project;
  const [first, second, third] = journey.sites;

  // Told by e-mail of the feedback and of the message (whose text stays out of the e-mail).
  const told = await waitForMail(app.mailDir, { to: OWNER.email, subject: new RegExp(`opinión sobre ${first.name}`) });
  assert.match(told.text, /Ingrid Nordin \(e2e\) ha respondido/);
  const mail = await waitForMail(app.mailDir, { to: OWNER.email, subject: new RegExp(`^Nuevo mensaje sobre el proyecto «${CODE}»`) });
  assert.doesNotMatch(mail.text, /Confirmamos la visita/);
  const [thread] = linksTo(mail.text, `/office/projects/${id}/messages`);
  assert.ok(thread, mail.text);

  // The feedback on the sites tab.
  await page.goto(`/office/projects/${id}/sites`);
  const feedback = await page.locator('#proposals .proposal').evaluateAll((items) =>
    Object.fromEntries(
      items.map((li) => [
        li.querySelector('h3 a')?.getAttribute('href'),
        [li.querySelector('.feedback span')?.textContent.trim(), li.querySelector('.feedback-comment')?.textContent.trim() ?? ''],
      ]),
    ),
  );
  assert.deepEqual(feedback, {
    [first.href]: ['Quiere visitarlo', '¿Podríamos verla el jueves por la mañana?'],
    [second.href]: ['Sin respuesta todavía', ''],
    [third.href]: ['No le interesa', 'Demasiado lejos del puerto.'],
  });

  // The message, from the e-mail's link.
  await page.goto(thread);
  assert.match(await text(page.locator('#main .thread')), /Ingrid Nordin \(e2e\).*Les he enviado el plan de negocio\. ¿Confirmamos la visita del jueves\?/);

  // The upload: downloadable, then accepted. The invited person now has access.
  await submit(page, page.locator('nav.tabs').getByRole('link', { name: 'Documentos' }));
  assert.match(await text(page.locator('#investor-people table')), /Ingrid Nordin \(e2e\) ingrid\.nordin@nordic-battery\.example Con acceso/);
  const item = docItem(page, 'Plan de negocio');
  assert.match(await text(item), /Enviado, en revisión.*Ingrid Nordin \(e2e\)/);
  const href = await item.getByRole('link', { name: 'Plan de negocio Nordic.pdf' }).getAttribute('href');
  const file = await page.request.get(href);
  assert.equal(file.status(), 200);
  assert.equal(file.headers()['content-type'], 'application/pdf');
  assert.ok((await file.body()).subarray(0, 5).equals(Buffer.from('%PDF-')));
  journey.file = href;
  await item.getByLabel('Aceptar').check();
  let res = await submit(page, item.getByRole('button', { name: /^Guardar la revisión/ }));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await flash(page), 'Documento aceptado.');
  assert.match(await text(docItem(page, 'Plan de negocio')), /Aceptado/);

  // On: to the site search on the project's page, then to the visits on the board.
  await page.goto(`/office/projects/${id}`);
  await page.locator('#to').selectOption({ label: 'Búsqueda de emplazamiento' });
  res = await submit(page, page.locator('#move button[type="submit"]'));
  assert.equal(pathOf(page), `/office/projects/${id}`);
  assert.equal(await flash(page), 'Proyecto movido de fase.');
  assert.equal(await text(page.locator('#main .stage-now .stage-tag')), 'Búsqueda de emplazamiento');
  await page.goto('/office');
  assert.equal(await boardColumn(page, id), 'site_search');
  assert.equal(await text(page.locator(`#card-${id} h3`)), ORG, 'the owner sees the investor on the card');
  await moveOnBoard(page, id, 'Visitas');
  assert.equal(await flash(page), 'Proyecto movido de fase.');
  assert.equal(await boardColumn(page, id), 'visits');
  await page.goto(`/office/projects/${id}`);
  const texts = (await timeline(page)).map((e) => e.text);
  assert.deepEqual(texts.slice(0, 2), [
    'Cambio de fase: de «Búsqueda de emplazamiento» a «Visitas».',
    'Cambio de fase: de «Cualificado» a «Búsqueda de emplazamiento».',
  ]);
  journey.staff.watch.assertClean('office pages (owner)');
  journey.moved = true;
});

test('the investor sees the new stage, and the accepted document, on its portal', async (t) => {
  if (!needs(t, 'moved', 'investor')) return;
  const investor = journey.investor;
  const { page } = investor;
  await page.goto('/portal');
  const card = page.locator('#main .portal-projects > li').first();
  assert.match(await text(card), /Fase: Visitas/);
  assert.match(await text(card), /No le falta ningún documento por enviar/);
  await submit(page, card.getByRole('link', { name: CODE }));
  assert.equal(pathOf(page), `/portal/projects/${journey.project}`);
  assert.equal(await text(page.locator('#main h1')), CODE);
  assert.match(await text(page.locator('#stage-title + p')), /El proyecto está en la fase «Visitas»\./);
  assert.match(await text(page.locator('.stage-steps li[aria-current="step"]')), /^Visitas \(fase actual\)$/);
  assert.match(await text(page.locator('#main table tbody')), /Plan de negocio\s*31\/01\/2030\s*Aceptado/);
  await check(t, investor, 'portal project summary (investor)');

  // Every tab of the project names it as its summary and the list of projects do.
  const headings = {};
  for (const tab of ['Emplazamientos', 'Documentos', 'Mensajes']) {
    await submit(page, page.locator('nav.tabs').getByRole('link', { name: tab }));
    headings[tab] = await text(page.locator('#main h1'));
  }
  assert.deepEqual(headings, { Emplazamientos: CODE, Documentos: CODE, Mensajes: CODE }, 'the headings of the portal tabs');
});

test('an investor of another organisation gets 404 on every page of the project', async (t) => {
  if (!needs(t, 'project')) return;
  const id = journey.project;
  const rival = await person();
  const { page } = rival;
  await logIn(page, RIVAL);
  assert.equal(pathOf(page), '/portal');
  assert.doesNotMatch(await text(page.locator('#main')), /Albatros/);
  const paths = [`/portal/projects/${id}`, `/portal/projects/${id}/sites`, `/portal/projects/${id}/documents`, `/portal/projects/${id}/messages`];
  for (const path of paths) {
    rival.watch.expectDocumentStatus(new URL(path, app.url).href, 404);
    const res = await page.goto(path);
    assert.equal(res.status(), 404, `GET ${path} as an investor of another organisation`);
    assert.doesNotMatch(await text(page.locator('#main')), /Albatros|Nordic/, `${path}: nothing of the project`);
  }
  // Nor the file through the portal, as if it did not exist…
  if (journey.portalFile) {
    const res = await page.request.get(journey.portalFile, { maxRedirects: 0 });
    assert.equal(res.status(), 404, `GET ${journey.portalFile} as an investor of another organisation`);
  }
  // …nor the office's pages (not for investors at all).
  for (const path of [`/office/projects/${id}`, ...(journey.file ? [journey.file] : [])]) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    assert.ok([403, 404].includes(res.status()), `GET ${path}: ${res.status()}`);
  }
  rival.watch.assertClean('404 pages (investor of another organisation)');
});

test('a member of staff not on the confidential project sees only its code name (in English)', async (t) => {
  if (!needs(t, 'project')) return;
  const id = journey.project;
  const outsider = await person('en');
  const { page } = outsider;
  await logIn(page, OUTSIDER);
  const secrets = /Nordic|Ingrid|nordic-battery/;

  await page.goto('/office');
  assert.equal(await text(page.locator('#main h1')), 'Office: projects');
  const card = page.locator(`#card-${id}`);
  assert.equal(await card.count(), 1, 'the project is on the board');
  assert.equal(await text(card.locator('h3')), CODE);
  assert.doesNotMatch(await text(card), secrets);
  assert.doesNotMatch(await text(page.locator('#main')), secrets);
  assert.equal(await card.locator('form.card-move').count(), 0, 'no moves for someone not on the project');
  await check(t, outsider, 'board (en, staff not on the project)');

  await submit(page, card.locator('h3 a'));
  assert.equal(pathOf(page), `/office/projects/${id}`);
  assert.equal(await text(page.locator('#main h1')), CODE);
  assert.doesNotMatch(await text(page.locator('#main')), secrets, 'the project page');
  assert.equal(await page.locator('#move').count(), 0);

  if (journey.inquiry) {
    await page.goto(journey.inquiry);
    assert.doesNotMatch(await text(page.locator('#main')), secrets, 'the inquiry page');
  }
  outsider.watch.assertClean('office pages (en, staff not on the project)');
});
