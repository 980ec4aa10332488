// The investor portal in the browser. A member of staff asks the investor for its business
// plan on the project's "Documentos" tab. The investor logs in on a phone and lands on its
// portal ("Mis proyectos"): one project, one document to send; the summary marks the
// current stage in the step list and lists the request with its due date; on the
// documents tab a text file named .pdf is refused next to the field (415), the real PDF
// goes up ("Enviado, en revisión"); on the messages tab it writes to the office. The owner
// is e-mailed (in Spanish, without the message's text) with a link to the thread, reads
// the message there, downloads the PDF (an attachment with its own name) and accepts it;
// the investor then sees it accepted, with nothing left to send. No page scrolls sideways
// on the phone. axe (no serious/critical violation) and the console watcher on the portal
// pages (phone and desktop, Spanish and English, with and without errors) and the
// office's two tabs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { demoOrganizations, setupDirectory, text } from '../lib/directory.mjs';
import { logIn, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';
import { minimalPdf } from '../lib/sites.mjs';

const STAFF = { email: 'olga.portal@besaya.example', name: 'Olga Portal', role: 'staff', lang: 'es', password: 'Muelle de Requejada 1907' };
const INVESTOR = { email: 'ines.portal@besaya.example', name: 'Inés Inversora', role: 'investor', lang: 'es', password: 'Polígono de Tanos 2026' };
const INVESTOR_EN = { email: 'ian.portal@besaya.example', name: 'Ian Investor', role: 'investor', lang: 'en', password: 'Polígono de Tanos 2027' };

// The investor organisation: the last demo company by name, which no demo project uses
// (the demo gives its projects the first companies by name).
const companies = (await demoOrganizations())
  .filter((o) => o.kind === 'company')
  .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
const org = companies[companies.length - 1];
INVESTOR.org = org.tax_id;
INVESTOR_EN.org = org.tax_id;

let token = '';
const app = useApp('office-portal', {
  setup: async (ctx) => {
    await setupDirectory(STAFF, INVESTOR, INVESTOR_EN)(ctx);
    const { stdout } = await ctx.besaya(['token', 'create', '--email', STAFF.email, '--name', 'e2e']);
    token = stdout.trim().split('\n').pop().trim();
    assert.ok(token.length > 20, `a token: ${stdout}`);
  },
});

/** Calls the API as the member of staff. */
async function api(method, path, body) {
  const res = await fetch(new URL(path, app.url), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  return { status: res.status, json };
}

/** The investor's project, owned by the member of staff (created once, through the API). */
let projectId;
function project() {
  projectId ??= (async () => {
    const orgs = await api('GET', `/api/v1/organizations?limit=500`);
    assert.equal(orgs.status, 200, JSON.stringify(orgs.json));
    const found = orgs.json.items.find((o) => o.tax_id === org.tax_id);
    assert.ok(found, `the demo organisation ${org.tax_id}`);
    const created = await api('POST', '/api/v1/projects', { code_name: 'Proyecto Nécora', investor_org_id: found.id });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    return created.json.id;
  })();
  return projectId;
}

/** The page fits the window's width: no horizontal scrolling. */
async function noSideScroll(page, what) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(m.scroll <= m.inner, `${what}: horizontal scroll, content ${m.scroll}px wide in a ${m.inner}px window`);
}

/** A document of the list, by its title. */
const docItem = (page, title) => page.locator('#main .doc').filter({ has: page.locator('h3', { hasText: title }) });

test('the investor uploads a requested document and writes a message; the staff see both', async (t) => {
  const id = await project();

  // Staff ask for the business plan.
  const staff = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await staff.goto(`/office/projects/${id}/documents`);
  await logIn(staff, STAFF);
  assert.equal(new URL(staff.url()).pathname, `/office/projects/${id}/documents`, 'back to the tab after logging in');
  assert.equal(await staff.locator('nav.tabs a[aria-current="page"]').innerText(), 'Documentos');
  await staff.locator('#req-title').fill('Plan de negocio');
  await staff.locator('#req-description').fill('Con las cuentas de los dos últimos años.');
  await staff.locator('#req-due_on').fill('2030-01-31');
  let res = await submit(staff, staff.getByRole('button', { name: 'Pedir el documento' }));
  assert.equal(res.status(), 200, await shownErrors(staff));
  assert.match(await text(staff.locator('.flash')), /Documento pedido al inversor/);
  assert.match(await text(docItem(staff, 'Plan de negocio')), /Pendiente de envío.*Fecha límite 31\/01\/2030/);

  // The investor logs in on a phone and lands on its portal.
  const investor = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await logIn(investor, INVESTOR);
  assert.equal(new URL(investor.url()).pathname, '/portal', 'an investor lands on its portal');
  assert.equal(await investor.locator('h1').innerText(), 'Mis proyectos');
  const cards = investor.locator('#main .portal-projects > li');
  assert.equal(await cards.count(), 1, 'its one project');
  assert.match(await text(cards.first()), /Proyecto Nécora.*Falta un documento por enviar/);
  await noSideScroll(investor, '/portal');
  res = await submit(investor, cards.first().getByRole('link', { name: 'Proyecto Nécora' }));
  assert.equal(res.status(), 200);
  assert.equal(new URL(investor.url()).pathname, `/portal/projects/${id}`);

  // The summary: the current stage marked among the steps, the request with its due date.
  const current = investor.locator('.stage-steps li[aria-current="step"]');
  assert.equal(await current.count(), 1, 'one current stage');
  assert.match(await text(current), /fase actual/);
  assert.ok((await investor.locator('.stage-steps li').count()) >= 10, 'every active stage as a step');
  const checklist = await text(investor.locator('#main table tbody'));
  assert.match(checklist, /Plan de negocio\s*31\/01\/2030\s*Pendiente de envío/);
  assert.match(await text(investor.locator('#main .timeline')), /La Oficina ha pedido el documento «Plan de negocio»/);
  await noSideScroll(investor, 'summary');

  // The documents tab: a text file named .pdf is refused next to its field.
  await submit(investor, investor.locator('nav.tabs').getByRole('link', { name: 'Documentos' }));
  const item = docItem(investor, 'Plan de negocio');
  await item.locator('input[type="file"]').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('no soy un PDF') });
  res = await submit(investor, item.getByRole('button', { name: /^Subir/ }));
  assert.equal(res.status(), 415);
  const field = docItem(investor, 'Plan de negocio').locator('.field.has-error');
  assert.match(await text(field.locator('.field-error')), /Este tipo de archivo no se admite/);
  assert.equal(await field.locator('input[type="file"]').getAttribute('aria-invalid'), 'true');
  assert.match(await text(investor.locator('.error-summary')), /Este tipo de archivo no se admite/);
  await noSideScroll(investor, 'documents with an error');
  // The real one goes up.
  await docItem(investor, 'Plan de negocio').locator('input[type="file"]').setInputFiles({ name: 'Plan de negocio 2026.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Plan de negocio') });
  res = await submit(investor, docItem(investor, 'Plan de negocio').getByRole('button', { name: /^Subir/ }));
  assert.equal(res.status(), 200, await shownErrors(investor));
  assert.match(await text(investor.locator('.flash')), /Documento subido/);
  assert.match(await text(docItem(investor, 'Plan de negocio')), /Enviado, en revisión.*Plan de negocio 2026\.pdf/);

  // The messages tab: it writes to the office.
  await submit(investor, investor.locator('nav.tabs').getByRole('link', { name: 'Mensajes' }));
  await investor.getByLabel('Mensaje', { exact: true }).fill('Les envío el plan. ¿Podemos visitar la nave el martes?');
  res = await submit(investor, investor.getByRole('button', { name: 'Enviar', exact: true }));
  assert.equal(res.status(), 200, await shownErrors(investor));
  assert.match(await text(investor.locator('.flash')), /Mensaje enviado/);
  assert.match(await text(investor.locator('#main .thread')), /Inés Inversora.*Inversor.*Les envío el plan/);
  await noSideScroll(investor, 'messages');

  // The owner is told by e-mail, in Spanish, with a link to the thread but not the text.
  const mail = await waitForMail(app.mailDir, { to: STAFF.email, subject: /^Nuevo mensaje sobre el proyecto «Proyecto Nécora/ });
  assert.doesNotMatch(mail.text, /visitar la nave/);
  const [link] = linksTo(mail.text, `/office/projects/${id}/messages`);
  assert.ok(link, mail.text);
  await staff.goto(link);
  assert.match(await text(staff.locator('#main .thread')), /Inés Inversora.*Les envío el plan\. ¿Podemos visitar la nave el martes\?/);

  // The staff see the file, download it and accept it.
  await submit(staff, staff.locator('nav.tabs').getByRole('link', { name: 'Documentos' }));
  const staffItem = docItem(staff, 'Plan de negocio');
  assert.match(await text(staffItem), /Enviado, en revisión.*Inés Inversora/);
  const href = await staffItem.getByRole('link', { name: 'Plan de negocio 2026.pdf' }).getAttribute('href');
  const file = await staff.request.get(href);
  assert.equal(file.status(), 200);
  assert.equal(file.headers()['content-type'], 'application/pdf');
  assert.match(file.headers()['content-disposition'], /^attachment; filename="Plan de negocio 2026\.pdf"/);
  assert.equal(file.headers()['x-content-type-options'], 'nosniff');
  assert.ok((await file.body()).subarray(0, 5).equals(Buffer.from('%PDF-')));
  await staffItem.getByLabel('Aceptar').check();
  res = await submit(staff, staffItem.getByRole('button', { name: /^Guardar la revisión/ }));
  assert.equal(res.status(), 200, await shownErrors(staff));
  assert.match(await text(staff.locator('.flash')), /Documento aceptado/);
  assert.match(await text(docItem(staff, 'Plan de negocio')), /Aceptado/);

  // The investor sees it accepted, with nothing left to send.
  await investor.goto(`/portal/projects/${id}/documents`);
  const accepted = docItem(investor, 'Plan de negocio');
  assert.match(await text(accepted), /Aceptado/);
  assert.equal(await accepted.locator('input[type="file"]').count(), 0, 'an accepted document cannot be replaced');
  await investor.goto('/portal');
  assert.match(await text(investor.locator('#main .portal-projects')), /No le falta ningún documento por enviar/);
});

test('the portal and the office tabs pass axe and the console watcher, on a phone too, in Spanish and English', async (t) => {
  const id = await project();
  // A request, so that the documents pages have their forms.
  const docs = await api('GET', `/api/v1/projects/${id}/documents`);
  assert.equal(docs.status, 200);
  if (!docs.json.items.some((d) => d.status === 'requested')) {
    const r = await api('POST', `/api/v1/projects/${id}/documents`, { title: 'Escrituras de la sociedad', due_on: '2030-03-01' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const PORTAL = [
    { name: 'my projects', path: '/portal', shows: '#main .portal-projects' },
    { name: 'summary', path: `/portal/projects/${id}`, shows: '#main .stage-steps li[aria-current="step"]' },
    { name: 'documents', path: `/portal/projects/${id}/documents`, shows: '#main .doc input[type="file"]' },
    { name: 'messages', path: `/portal/projects/${id}/messages`, shows: '#main textarea#body' },
    {
      name: 'messages with an error',
      path: `/portal/projects/${id}/messages`,
      act: (page) => submit(page, page.locator('#main form button[type="submit"]')),
      after: 422,
      shows: '#body-error',
    },
  ];
  const OFFICE = [
    { name: 'documents tab', path: `/office/projects/${id}/documents`, shows: '#main #req-title' },
    {
      name: 'documents tab with errors',
      path: `/office/projects/${id}/documents`,
      act: async (page) => {
        await page.locator('#inv-email').fill('no-es-correo');
        return submit(page, page.locator('#main form[action$="/invitations"] button[type="submit"]'));
      },
      after: 422,
      // The form posts elsewhere: that document answers 422.
      posts: `/office/projects/${id}/invitations`,
      shows: '#inv-email-error',
    },
    { name: 'messages tab', path: `/office/projects/${id}/messages`, shows: '#main textarea#body' },
  ];
  const runs = [
    ...PORTAL.flatMap((p) => [
      { ...p, who: INVESTOR, lang: 'es', device: 'phone' },
      { ...p, who: INVESTOR, lang: 'es', device: 'desktop' },
      { ...p, who: INVESTOR_EN, lang: 'en', device: 'phone' },
    ]),
    ...OFFICE.map((p) => ({ ...p, who: STAFF, lang: 'es', device: 'desktop' })),
  ];
  const doors = new Map();
  for (const r of runs) {
    const key = `${r.who.email} ${r.device}`;
    if (!doors.has(key)) {
      const door = await openPage(t, app.browser, { baseURL: app.url, lang: r.lang, device: r.device });
      await logIn(door, r.who);
      doors.set(key, door);
    }
    const page = await doors.get(key).context().newPage();
    const what = `${r.name} (${r.lang}, ${r.device}, ${r.who.role})`;
    const watch = await watchPage(page, { origin: new URL(app.url).origin });
    let res = await page.goto(r.path);
    assert.equal(res.status(), 200, `${what}: GET ${r.path}`);
    if (r.act) {
      watch.expectDocumentStatus(new URL(r.posts ?? r.path, app.url).href, r.after);
      res = await r.act(page);
      assert.equal(res.status(), r.after, `${what}: after sending the form`);
    }
    assert.equal(await page.locator('html').getAttribute('lang'), r.lang, what);
    assert.ok((await page.locator(r.shows).count()) > 0, `${what}: ${r.shows} is on the page`);
    if (r.device === 'phone') await noSideScroll(page, what);
    watch.assertClean(what);
    await assertNoSeriousA11yViolations(page, what, t);
    await page.close();
  }
});
