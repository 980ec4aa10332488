// Inquiries (`/inquiry`, `/office/inquiries`): a visitor writes to the Office in Spanish
// and, through the language switch, in English — mistakes are shown next to each field
// and in the summary, what was typed is kept, the trap for bots is out of the tab order,
// and the thank-you page promises the answer in 48 hours (the acknowledgement arrives by
// e-mail). The member of staff who owns it gets an e-mail with its link, sees it first
// among their own, and qualifies it into a project. The list shows the demo's inquiry of
// 60 hours first, marked late. axe (no serious/critical violation) and the console
// watcher on the form (both languages, with errors), the list and the inquiry's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { waitForMail } from '../lib/mail.mjs';

// Named to come first among the staff with no open inquiry: new inquiries go to them.
const STAFF = { email: 'alba.staff@besaya.example', name: 'Alba Staff (e2e)', role: 'staff', lang: 'es', password: 'Puente de Ganzo 1921' };
const LAURA = { name: 'Laura Gómez (e2e)', email: 'laura.gomez@acme.example' };

const app = useApp('office-inquiries', { setup: createUsers(STAFF) });

/** Fills the fields of the public form that are given. */
async function fill(page, fields) {
  for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
}

/** The error shown next to a field (empty when there is none). */
const fieldError = async (page, id) => {
  const e = page.locator(`#${id}-error`);
  return (await e.count()) ? (await e.innerText()).trim() : '';
};

/** Checks the page the way every page of the suite is checked. */
async function checkPage(t, page, watch, what) {
  watch.assertClean(what);
  await assertNoSeriousA11yViolations(page, what, t);
}

test('the public form in Spanish: errors next to the fields, kept values, then the inquiry is received', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const watch = await watchPage(page, { origin: app.url });
  // From the home page's Office card.
  await page.goto('/');
  await submit(page, page.locator('#main a[href="/inquiry"]'));
  assert.equal(new URL(page.url()).pathname, '/inquiry');
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Consulte a la Oficina');
  assert.match(await page.locator('.lead').innerText(), /en un plazo máximo de 48 horas/);
  await checkPage(t, page, watch, 'inquiry form (es)');

  // The trap for bots is not a stop for people: from the last field, Tab goes to the consent.
  await page.locator('#investment_eur').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'consent');

  await fill(page, { name: LAURA.name, email: 'laura@', land_m2: 'mucho', jobs: '2,5', cnae_code: '99.99' });
  watch.expectDocumentStatus(new URL('/inquiry', app.url).href, 422);
  const res = await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal(res.status(), 422, await shownErrors(page));
  assert.match(await fieldError(page, 'email'), /Escriba una dirección de correo electrónico válida/);
  assert.equal(await fieldError(page, 'message'), 'Este dato es obligatorio.');
  assert.equal(await fieldError(page, 'land_m2'), '«mucho» no es un número.');
  assert.equal(await fieldError(page, 'jobs'), 'Escriba un número entero (no «2,5»).');
  assert.match(await fieldError(page, 'cnae_code'), /Código CNAE desconocido: 99\.99/);
  assert.match(await fieldError(page, 'consent'), /debe aceptar el tratamiento de sus datos/);
  assert.equal(await fieldError(page, 'name'), '', 'the name was right');
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#email').getAttribute('aria-describedby'), /email-error/);
  // What was typed is kept.
  assert.equal(await page.locator('#name').inputValue(), LAURA.name);
  assert.equal(await page.locator('#land_m2').inputValue(), 'mucho');
  // The summary lists each and leads to the field.
  assert.equal(await page.locator('.error-summary li').count(), 6);
  await page.locator('.error-summary a[href="#email"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
  await checkPage(t, page, watch, 'inquiry form with errors (es)');

  await fill(page, {
    email: LAURA.email,
    message: 'Buscamos una parcela de unos 20.000 m² con 2 MW para una planta de componentes.',
    land_m2: '20.000',
    jobs: '80',
    cnae_code: '24.51',
    company: 'Acme Components GmbH',
  });
  await page.locator('#consent').check();
  const sent = await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal(sent.status(), 200, await shownErrors(page));
  assert.equal(new URL(page.url()).pathname, '/inquiry/thanks');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Consulta recibida');
  assert.match(await page.locator('#main').innerText(), /en un plazo máximo de 48 horas/);
  await checkPage(t, page, watch, 'thank-you page (es)');

  const ack = await waitForMail(app.mailDir, { to: LAURA.email, subject: /Hemos recibido su consulta/ });
  assert.match(ack.text, /Le responderemos en un plazo máximo de 48 horas/);
});

test('the public form in English, through the language switch', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const watch = await watchPage(page, { origin: app.url });
  await page.goto('/inquiry');
  await submit(page, page.locator('header a.lang-switch'));
  assert.equal(new URL(page.url()).pathname, '/inquiry');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Ask the Office');
  await checkPage(t, page, watch, 'inquiry form (en)');

  await fill(page, { name: 'John Smith (e2e)', email: 'john@', message: 'We need 12,500 m² near the A-67.', land_m2: '12,500' });
  watch.expectDocumentStatus(new URL('/inquiry', app.url).href, 422);
  const res = await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal(res.status(), 422);
  assert.match(await fieldError(page, 'email'), /^Enter a valid e-mail address/);
  assert.equal(await fieldError(page, 'consent'), 'To send the inquiry you must agree to the processing of your data.');
  assert.equal(await fieldError(page, 'land_m2'), '', '12,500 is a number in English');
  await checkPage(t, page, watch, 'inquiry form with errors (en)');

  await fill(page, { email: 'john.smith@example.com' });
  await page.locator('#consent').check();
  await submit(page, page.locator('#main form button[type="submit"]'));
  assert.equal((await page.locator('h1').innerText()).trim(), 'Inquiry received');
  assert.match(await page.locator('#main').innerText(), /within 48 hours/);
  const ack = await waitForMail(app.mailDir, { to: 'john.smith@example.com', subject: /We have received your inquiry/ });
  assert.match(ack.text, /We will answer within 48 hours/);
});

test('the owner is told by e-mail, sees it first among their own, and qualifies it into a project', async (t) => {
  // The owner's e-mail links to the inquiry.
  const notice = await waitForMail(app.mailDir, { to: STAFF.email, subject: /^Nueva consulta a su cargo: Laura Gómez \(e2e\)/ });
  const link = /https?:\/\/\S+\/office\/inquiries\/([0-9a-f-]{36})\b/.exec(notice.text);
  assert.ok(link, `a link to the inquiry in: ${notice.text}`);
  const id = link[1];

  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const watch = await watchPage(page, { origin: app.url });
  await logIn(page, STAFF);

  // Everybody's: the oldest waiting first — the demo's inquiry of 60 hours, late.
  await page.goto('/office/inquiries');
  const first = page.locator('#inquiries tbody tr').first();
  assert.equal(await first.getAttribute('data-status'), 'new');
  assert.equal(await first.getAttribute('data-late'), 'true');
  assert.match(await first.innerText(), /hace 2 días/);
  assert.match(await first.innerText(), /Fuera de plazo/);
  await checkPage(t, page, watch, 'inquiries list');

  // Their own: Laura's first, just arrived, in time.
  await page.locator('#mine').check();
  await submit(page, page.locator('#main form.filters button[type="submit"]'));
  const mine = page.locator('#inquiries tbody tr').first();
  assert.equal(await mine.getAttribute('data-id'), id);
  assert.equal(await mine.getAttribute('data-late'), null);
  assert.match(await mine.innerText(), /Laura Gómez \(e2e\)/);
  assert.match(await mine.innerText(), /hace \d+ min/);
  await submit(page, mine.locator('a'));
  assert.equal(new URL(page.url()).pathname, `/office/inquiries/${id}`);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Consulta de Laura Gómez (e2e)');
  const facts = await page.locator('#facts').innerText();
  assert.match(facts, /laura\.gomez@acme\.example/);
  assert.match(facts, /20\.000 m²/);
  assert.match(facts, /2451/);
  assert.match(facts, /Alba Staff \(e2e\)/);
  await checkPage(t, page, watch, 'inquiry page');

  // A code name too short: the error next to the field, and nothing created.
  await page.locator('#code_name').fill('X');
  watch.expectDocumentStatus(new URL(`/office/inquiries/${id}/qualify`, app.url).href, 422);
  const bad = await submit(page, page.locator(`form[action="/office/inquiries/${id}/qualify"] button[type="submit"]`));
  assert.equal(bad.status(), 422);
  assert.equal(await fieldError(page, 'code_name'), 'Al menos 2 caracteres.');
  assert.equal(await page.locator('#code_name').inputValue(), 'X');
  await checkPage(t, page, watch, 'inquiry page with an error');

  await page.locator('#code_name').fill('Proyecto Faro (e2e)');
  const investor = page.locator('#investor_org_id optgroup option').first();
  if (await investor.count()) await page.locator('#investor_org_id').selectOption(await investor.getAttribute('value'));
  const opened = await submit(page, page.locator(`form[action="/office/inquiries/${id}/qualify"] button[type="submit"]`));
  const project = new URL(page.url()).pathname;
  assert.match(project, /^\/office\/projects\/[0-9a-f-]{36}$/, `went to the project: ${project}`);
  assert.equal(opened.status(), 200);
  assert.match(await page.locator('.flash').innerText(), /Consulta cualificada/);
  assert.match(await page.locator('h1').innerText(), /Proyecto Faro \(e2e\)/);

  // The inquiry now points to its project, its clock stopped; it cannot be qualified again.
  await page.goto(`/office/inquiries/${id}`);
  assert.equal((await page.locator('#status-value').innerText()).trim(), 'Cualificada');
  assert.equal(await page.locator(`#facts a[href="${project}"]`).innerText(), 'Proyecto Faro (e2e)');
  assert.match(await page.locator('#clock').innerText(), /respondida en \d+ min/);
  assert.equal(await page.locator(`form[action="/office/inquiries/${id}/qualify"]`).count(), 0);
  await checkPage(t, page, watch, 'qualified inquiry page');
});

test('on a phone, the form (with errors), the list and an inquiry fit the screen', async (t) => {
  const fits = async (page, what) => {
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `${what}: the page scrolls sideways (${scroll} > ${width})`);
  };
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await page.goto('/inquiry');
  await submit(page, page.locator('#main form button[type="submit"]'));
  assert.ok((await page.locator('.field-error').count()) > 0);
  await fits(page, 'form with errors');
  for (const id of ['name', 'email', 'message', 'consent']) {
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `#${id} is on screen`);
  }
  await logIn(page, STAFF);
  await page.goto('/office/inquiries');
  await fits(page, 'list');
  await submit(page, page.locator('#inquiries tbody tr a').first());
  await fits(page, 'inquiry page');
  assert.ok(await page.locator('h1').isVisible());
});
