// Site proposals in the browser. A member of staff opens a project's "Emplazamientos"
// tab: the project's requirements, the sites that fit ranked by the public matching with
// each criterion's outcome and reason, and a "Proponer" form per site; they propose the
// first three (one with a note), each then marked "Ya propuesto" and listed among the
// proposals. The investor is told by e-mail, follows the link on a phone, sees the three
// sites with their key facts and links to the site page and the printable sheet, sends
// "Quiere visitarlo" with a comment on one (first forgetting to choose: the error is next
// to the choices); the owner is told by e-mail and sees the feedback and the comment on
// the tab. axe (no serious/critical violation) and the console watcher on both tabs, with
// and without errors, in Spanish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { demoOrganizations, setupDirectory, text } from '../lib/directory.mjs';
import { logIn, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';
import { matchResults } from '../lib/sites.mjs';

const STAFF = { email: 'olga.owner@besaya.example', name: 'Olga Owner', role: 'staff', lang: 'es', password: 'Muelle de Requejada 1907' };
const INVESTOR = { email: 'ines.inversora@besaya.example', name: 'Inés Inversora', role: 'investor', lang: 'es', password: 'Polígono de Tanos 2026' };
const INVESTOR_EN = { email: 'ian.investor@besaya.example', name: 'Ian Investor', role: 'investor', lang: 'en', password: 'Polígono de Tanos 2027' };

/** The investor organisation: the first company of the demo data. */
const org = (await demoOrganizations()).find((o) => o.kind === 'company');
INVESTOR.org = org.tax_id;
INVESTOR_EN.org = org.tax_id;

let token = '';
const app = useApp('office-proposals', {
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

/** A project of the investor's organisation with requirements some demo sites meet. */
let projectId;
function project() {
  projectId ??= (async () => {
    const orgs = await api('GET', `/api/v1/organizations?limit=500`);
    assert.equal(orgs.status, 200, JSON.stringify(orgs.json));
    const found = orgs.json.items.find((o) => o.tax_id === org.tax_id);
    assert.ok(found, `the demo organisation ${org.tax_id}`);
    const created = await api('POST', '/api/v1/projects', {
      code_name: 'Proyecto Roble',
      investor_org_id: found.id,
      requirements: {
        area_m2: { min: 5000, max: 20000 },
        power_kva: { min: 1000 },
        rail_siding: {},
        gas: { importance: 'preferred' },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    return created.json.id;
  })();
  return projectId;
}

/** The proposals listed on the office's tab: the site's link, the feedback's words, the comment. */
async function listedProposals(page) {
  return page.locator('#proposals .proposal').evaluateAll((items) =>
    items.map((li) => ({
      href: li.querySelector('h3 a')?.getAttribute('href') ?? '',
      feedback: li.querySelector('.feedback span')?.textContent.trim() ?? '',
      comment: li.querySelector('.feedback-comment')?.textContent.trim() ?? '',
    })),
  );
}

test('staff propose three sites from the tab; the investor sees them and comments on one', async (t) => {
  const id = await project();
  const staff = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await staff.goto(`/office/projects/${id}/sites`);
  await logIn(staff, STAFF);
  assert.equal(new URL(staff.url()).pathname, `/office/projects/${id}/sites`, 'back to the tab after logging in');
  assert.equal(await staff.locator('nav.tabs a[aria-current="page"]').innerText(), 'Emplazamientos');

  // The requirements, then the ranked sites: full matches first, each criterion explained.
  const reqs = await text(staff.locator('#requirements'));
  assert.match(reqs, /al menos 1\.000 kVA/);
  assert.match(reqs, /preferible/);
  const ranked = await matchResults(staff);
  assert.ok(ranked.length >= 3, `at least three sites fit: ${ranked.map((r) => r.name)}`);
  assert.equal(ranked[0].status, 'Cumple lo obligatorio');
  for (const r of ranked) {
    const power = r.checks.find((c) => c.criterion.startsWith('Potencia'));
    assert.ok(power, `${r.name}: a power check`);
    assert.notEqual(power.outcome, 'fail', `${r.name}: a site failing a required criterion is not ranked`);
    assert.match(power.reason, /Se pide al menos 1\.000 kVA/);
  }
  // Names repeat across estates: forms and links name the site with its reference.
  const three = ranked.slice(0, 3).map((r) => ({ ...r, label: `${r.name} · ${r.reference}` }));
  const ranking = (href) => staff.locator('#ranked .match-item').filter({ has: staff.locator(`h3 a[href="${href}"]`) });

  // Propose the first three from their own forms (the first with a note).
  for (const [i, s] of three.entries()) {
    if (i === 0) await ranking(s.href).getByLabel(`Nota para el inversor sobre ${s.label} (opcional)`).fill('Tiene apartadero y 1,6 MVA');
    const res = await submit(staff, ranking(s.href).getByRole('button', { name: `Proponer ${s.label}` }));
    assert.equal(res.status(), 200, await shownErrors(staff));
    assert.match(await text(staff.locator('.flash')), /Emplazamiento propuesto/);
    assert.equal(await text(ranking(s.href).locator('.proposed-mark')), 'Ya propuesto');
    assert.equal(await ranking(s.href).getByRole('button', { name: `Proponer ${s.label}` }).count(), 0);
  }
  const listed = await listedProposals(staff);
  assert.deepEqual(listed.map((p) => p.href).sort(), three.map((s) => s.href).sort());
  assert.ok(listed.every((p) => p.feedback === 'Sin respuesta todavía'));

  // The investor is told by e-mail, in Spanish, and follows the link on a phone.
  const mail = await waitForMail(app.mailDir, { to: INVESTOR.email, subject: /^Un emplazamiento para su proyecto/ });
  assert.ok(three.some((s) => mail.text.includes(s.name)));
  const mailEn = await waitForMail(app.mailDir, { to: INVESTOR_EN.email, subject: /^A site for your project/ });
  assert.match(mailEn.text, /proposes the site/);
  const [link] = linksTo(mail.text, `/portal/projects/${id}/sites`);
  assert.ok(link, mail.text);
  const investor = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await investor.goto(link);
  await logIn(investor, INVESTOR);
  assert.equal(new URL(investor.url()).pathname, `/portal/projects/${id}/sites`);
  assert.equal(await investor.locator('nav.tabs a[aria-current="page"]').innerText(), 'Emplazamientos');
  const proposal = (href) => investor.locator('#main .proposal').filter({ has: investor.locator(`h3 a[href="${href}"]`) });
  assert.equal(await investor.locator('#main .proposal').count(), 3);
  for (const s of three) {
    const card = proposal(s.href);
    assert.equal(await card.locator('h3 a').innerText(), s.name);
    assert.equal(await card.getByRole('link', { name: `Ficha para imprimir de ${s.label}` }).getAttribute('href'), `${s.href}/sheet`);
    assert.match(await text(card.locator('.site-card dl')), /Superficie.*m²/);
  }
  assert.match(await text(proposal(three[0].href)), /Tiene apartadero y 1,6 MVA/);
  // Neither scrolling sideways nor a layout widened by the browser (390 px wide).
  const widths = await investor.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= 390 && widths[1] <= 390, `the tab fits a phone: ${widths}`);

  // First without choosing: the error sits with the choices; then "Quiere visitarlo".
  const target = three[1];
  await proposal(target.href).getByLabel('Comentario (opcional)').fill('¿Podríamos verla el jueves por la mañana?');
  let res = await submit(investor, proposal(target.href).getByRole('button', { name: `Enviar mi opinión sobre ${target.label}` }));
  assert.equal(res.status(), 422);
  assert.match(await text(proposal(target.href).locator('fieldset .field-error')), /Elija una respuesta/);
  assert.equal(await proposal(target.href).getByLabel('Comentario (opcional)').inputValue(), '¿Podríamos verla el jueves por la mañana?');
  await proposal(target.href).getByLabel('Quiere visitarlo').check();
  res = await submit(investor, proposal(target.href).getByRole('button', { name: `Enviar mi opinión sobre ${target.label}` }));
  assert.equal(res.status(), 200, await shownErrors(investor));
  assert.match(await text(investor.locator('.flash')), /Hemos guardado su opinión/);
  assert.ok(await proposal(target.href).getByLabel('Quiere visitarlo').isChecked());
  assert.match(await text(proposal(target.href).locator('.feedback')), /Su respuesta: Quiere visitarlo/);

  // The owner hears of it and sees it on the tab.
  const told = await waitForMail(app.mailDir, { to: STAFF.email, subject: new RegExp(`opinión sobre ${target.name}`) });
  assert.match(told.text, /Inés Inversora ha respondido/);
  assert.match(told.text, /quiere visitarlo/);
  assert.equal(linksTo(told.text, `/office/projects/${id}/sites`).length, 1, told.text);
  await staff.reload();
  const withFeedback = (await listedProposals(staff)).find((p) => p.href === target.href);
  assert.equal(withFeedback.feedback, 'Quiere visitarlo');
  assert.equal(withFeedback.comment, '¿Podríamos verla el jueves por la mañana?');
  const others = (await listedProposals(staff)).filter((p) => p.href !== target.href);
  assert.ok(others.every((p) => p.feedback === 'Sin respuesta todavía'));
});

test('both tabs pass axe and the console watcher, with and without errors, in Spanish and English', async (t) => {
  const id = await project();
  // At least one proposal, so that the investor's tab has its forms.
  const before = await api('GET', `/api/v1/projects/${id}/proposals`);
  if (before.json.items.length === 0) {
    // Published sites only: asked without a token.
    const sites = await (await fetch(new URL('/api/v1/sites?limit=1', app.url))).json();
    const p = await api('POST', `/api/v1/projects/${id}/proposals`, { site_id: sites.items[0].id });
    assert.equal(p.status, 201, JSON.stringify(p.json));
  }
  for (const lang of ['es', 'en']) {
    // Logged in (and the language chosen) on one page; the checks watch a fresh one.
    const door = await openPage(t, app.browser, { baseURL: app.url, lang });
    await logIn(door, STAFF);
    if (lang === 'en') {
      // The account's language is Spanish: switch on the page (last, as it stays with the account).
      await door.goto(`/office/projects/${id}/sites`);
      await submit(door, door.locator('a.lang-switch'));
    }
    const staff = await door.context().newPage();
    const watch = await watchPage(staff, { origin: new URL(app.url).origin });
    await staff.goto(`/office/projects/${id}/sites`);
    assert.equal(await staff.locator('html').getAttribute('lang'), lang);
    await assertNoSeriousA11yViolations(staff, `office sites tab (${lang})`, t);
    // A note too long on the "other site" form: 422 with the error next to the field.
    const reference = await staff.locator('#other-sites option').first().getAttribute('value');
    await staff.locator('#other_site').fill(reference);
    await staff.locator('#other_note').evaluate((el) => el.removeAttribute('maxlength'));
    await staff.locator('#other_note').fill('x'.repeat(2001));
    watch.expectDocumentStatus(`${app.url}/office/projects/${id}/sites/propose`, 422);
    const res = await submit(staff, staff.locator('#other button[type="submit"]'));
    assert.equal(res.status(), 422);
    assert.equal(await staff.locator('#other_note').getAttribute('aria-invalid'), 'true');
    assert.match(await text(staff.locator('#other_note-error')), lang === 'es' ? /Como máximo 2000/ : /At most 2000/);
    await assertNoSeriousA11yViolations(staff, `office sites tab with an error (${lang})`, t);
    watch.assertClean(`office sites tab (${lang})`);

    const who = lang === 'es' ? INVESTOR : INVESTOR_EN;
    const idoor = await openPage(t, app.browser, { baseURL: app.url, lang, device: 'phone' });
    await logIn(idoor, who);
    const investor = await idoor.context().newPage();
    const iwatch = await watchPage(investor, { origin: new URL(app.url).origin });
    await investor.goto(`/portal/projects/${id}/sites`);
    assert.equal(await investor.locator('html').getAttribute('lang'), lang);
    await assertNoSeriousA11yViolations(investor, `investor sites tab (${lang})`, t);
    const first = investor.locator('#main .proposal').first();
    await first.locator('input[type="radio"]').evaluateAll((rs) => rs.forEach((r) => (r.checked = false)));
    iwatch.expectDocumentStatus(`${app.url}${await first.locator('form').getAttribute('action')}`, 422);
    const sent = await submit(investor, first.locator('button[type="submit"]'));
    assert.equal(sent.status(), 422);
    assert.match(await shownErrors(investor), lang === 'es' ? /Elija una respuesta/ : /Choose an answer/);
    await assertNoSeriousA11yViolations(investor, `investor sites tab with an error (${lang})`, t);
    iwatch.assertClean(`investor sites tab (${lang})`);
  }
});
