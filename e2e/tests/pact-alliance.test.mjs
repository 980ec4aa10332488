// The Pact as an alliance (issue #9), as a new user would try it, on the demo data
// (`besaya demo` before the server starts: the alliance's members, groups, meetings and
// commitments, and the directory the users are tied to). Steps in order, sharing state
// (a step whose predecessor failed is skipped):
// 1. the secretariat (an administrator) opens a working group with a chair and a member,
//    schedules a meeting and e-mails the invitations, marks it held, records the
//    attendance, the minutes and two agreements (e-mailed with the minutes), and
//    converts one into a commitment linked to the indicator "needs
//    answered within target" (counted from today, target 2);
// 2. a Pact need is then posted by a large firm, published by the office and answered by
//    a certified local contractor within target: the commitment's page shows a higher
//    progress than before;
// 3. the semester report lists the commitment and says "N de M compromisos finalizados",
//    and its XLSX downloads (a ZIP);
// 4. an anonymous visitor reads the public progress page in English (no private
//    commitment) and the public member list (no representatives, no links to records).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEMO, answerNeed, assertFormErrors, firstNumber, follow, madridDay, mainText, publishNeed } from '../lib/alliance.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { setupDirectory, text } from '../lib/directory.mjs';
import { ADMIN, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { waitForMail } from '../lib/mail.mjs';

// Tax ids of crates/besaya/data/demo_organizations.csv.
const TRACTOR = { email: 'compras@atrebesa.example', name: 'Íñigo Compras', role: 'company', lang: 'es', password: 'Alambre de Tanos 1952', org: 'A39001011' };
const IEP = { email: 'ofertas@iep.example', name: 'Marta Ofertas', role: 'company', lang: 'es', password: 'Corriente de Polanco 54', org: 'B39001078' };

const app = useApp('pact-alliance', { setup: setupDirectory(ADMIN, TRACTOR, IEP) });

// The holder of the group's member added below (the demo's employers' association).
const MEMBER_REP = 'ignacio.ceballos@aeb.demo.invalid';
const MEETING = 'Primera reunión de la mesa de logística';
const GROUP = 'Mesa de logística y movilidad';
const AGREEMENTS = [
  'Responder en plazo a las necesidades de transporte que publiquen las empresas del Pacto.',
  'Estudiar una lanzadera de autobús al polígono de Barros en los cambios de turno.',
];
const COMMITMENT = 'Necesidades de transporte respondidas en plazo';
const state = {};

/** Chooses the option of `select` whose label contains `label`. */
async function pick(page, select, label) {
  const value = await page.locator(`${select} option`, { hasText: label }).first().getAttribute('value');
  assert.ok(value, `an option "${label}" in ${select}`);
  await page.locator(select).selectOption(value);
}

/** The progress the commitment's page shows, as a number (0–100). */
async function shownProgress(page) {
  return firstNumber(await text(page.locator('.com-progress span').first()));
}

test('the secretariat runs a working group: meeting, attendance, minutes, agreements and a commitment', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, ADMIN);

  // A new working group; first without a name.
  await page.goto('/pact/groups/new');
  let res = await submit(page, page.locator('form[action="/pact/groups/new"] button[type="submit"]'));
  assert.equal(res.status(), 422);
  await assertFormErrors(page, 'group without a name');
  await page.locator('#name').fill(GROUP);
  await page.locator('#description').fill('Transporte de mercancías y de personas a los polígonos de la comarca.');
  await pick(page, '#chair_member_id', 'Cámara de Comercio');
  res = await submit(page, page.locator('form[action="/pact/groups/new"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  const group = new URL(page.url()).pathname;
  assert.match(group, /^\/pact\/groups\/[0-9a-f-]{36}$/, group);
  assert.equal(await text(page.locator('h1')), GROUP);
  // A member of the group.
  const before = await page.locator('#group-members tbody tr').count();
  await pick(page, '#member_id', 'Asociación Empresarial del Besaya');
  res = await submit(page, page.locator(`form[action="${group}/members"] button[type="submit"]`));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.ok((await page.locator('#group-members tbody tr').count()) > before, 'a member added');

  // A meeting: the form refuses an empty title, then schedules it.
  await page.goto(`${group}/meetings/new`);
  res = await submit(page, page.locator('form.form button[type="submit"]'));
  assert.equal(res.status(), 422);
  await assertFormErrors(page, 'meeting without title');
  await page.locator('#title').fill(MEETING);
  await page.locator('#date').fill(madridDay(0));
  await page.locator('#start_time').fill('09:00');
  await page.locator('#end_time').fill('11:00');
  await page.locator('#place').fill('Sala de juntas de la Cámara de Comercio de Torrelavega');
  await page.locator('#agenda').fill('Transporte a los polígonos\nNecesidades de transporte de las empresas');
  res = await submit(page, page.locator('form.form button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  const meeting = new URL(page.url()).pathname;
  assert.match(meeting, /^\/pact\/meetings\/[0-9a-f-]{36}$/, meeting);
  assert.match(await text(page.locator('.pact-ref').first()), /^REU-\d{4}-\d{3}$/);
  state.meeting = meeting;
  // The invitations are e-mailed to the group's representatives.
  res = await submit(page, page.locator('form[action$="/invitations"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  const invitation = await waitForMail(app.mailDir, { to: MEMBER_REP });
  assert.ok(`${invitation.subject} ${invitation.text}`.includes(MEETING), invitation.subject);

  // Held; attendance (two representatives and a guest), minutes, two agreements.
  res = await submit(page, page.locator('button[name="status"][value="held"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  const reps = page.locator('#attendance input[name="user"]');
  assert.ok((await reps.count()) >= 2, 'the members’ representatives are offered');
  await reps.nth(0).check();
  await reps.nth(1).check();
  await page.locator('#guest_name_1').fill('Técnica de movilidad del Ayuntamiento (invitada)');
  res = await submit(page, page.locator('form[action$="/attendance"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.equal(await page.locator('#attendance ul.plain li').count(), 3, await text(page.locator('#attendance')));
  await page.locator('#minutes').fill('Se constituye la mesa. Las empresas exponen sus necesidades de transporte y se adoptan dos acuerdos.');
  res = await submit(page, page.locator('form[action$="/minutes"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  assert.match(await page.locator('#minutes').inputValue(), /Se constituye la mesa/);
  for (const a of AGREEMENTS) {
    await page.locator('#agreement_text').fill(a);
    res = await submit(page, page.locator('form[action$="/agreements"] button[type="submit"]'));
    assert.equal(res.status(), 200, await shownErrors(page));
  }
  const agreements = page.locator('ol.pact-meet-agreements > li');
  assert.equal(await agreements.count(), 2);
  for (const [i, a] of AGREEMENTS.entries()) {
    const shown = await text(agreements.nth(i).locator('p').first());
    assert.match(shown, /^ACU-\d{4}-\d{3} /, shown);
    assert.ok(shown.includes(a), shown);
  }

  // The minutes and agreements are e-mailed too.
  res = await submit(page, page.locator('form[action$="/minutes/send"] button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  const minutes = await waitForMail(app.mailDir, { to: MEMBER_REP });
  assert.ok(minutes.text.includes(AGREEMENTS[1]), `the minutes' e-mail has the agreements: ${minutes.subject}`);

  // The first agreement becomes a commitment fed by "needs answered within target".
  await submit(page, agreements.nth(0).locator('a[href^="/pact/commitments/new?agreement="]'));
  await page.locator('#title').fill(COMMITMENT);
  await pick(page, '#owner_org_id', 'Asociación Empresarial del Besaya');
  await page.locator('#status').selectOption('in_progress');
  await page.locator('#due_on').fill(madridDay(180));
  await page.locator('#indicator').selectOption('needs_within_target');
  await page.locator('#indicator_baseline').fill('0');
  await page.locator('#indicator_target').fill('2');
  await page.locator('#indicator_from').fill(madridDay(0));
  res = await submit(page, page.locator('form.form button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(page));
  state.commitment = new URL(page.url()).pathname;
  assert.match(state.commitment, /^\/pact\/commitments\/[0-9a-f-]{36}$/, state.commitment);
  assert.ok((await text(page.locator('h1'))).includes(COMMITMENT));
  state.before = await shownProgress(page);
  assert.equal(state.before, 0, 'nothing answered from today yet');

  // The meeting now shows the commitment made from its agreement.
  await page.goto(meeting);
  assert.ok((await text(agreements.nth(0))).includes(COMMITMENT), 'the agreement links its commitment');
});

test('the commitment’s progress moves when a Pact need is answered within target', async (t) => {
  assert.ok(state.commitment, 'needs the previous step');
  const owner = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(owner, TRACTOR);
  const office = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(office, ADMIN);
  const need = await publishNeed(owner, office, {
    title: 'Transporte de bobinas de alambrón entre Tanos y el puerto',
    candidateName: 'Ingeniería Eléctrica Polanco',
  });
  const candidate = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(candidate, IEP);
  await answerNeed(candidate, need);

  await office.goto(state.commitment);
  const after = await shownProgress(office);
  assert.ok(after > state.before, `progress moved: ${state.before} → ${after}`);
  assert.equal(after, 50, 'one need of a target of two');
  // The indicator is one click away, with the record behind the number.
  await follow(office, 'plazo');
  assert.match(new URL(office.url()).pathname, /^\/pact\/indicators\/needs_within_target/);
  assert.ok((await mainText(office)).includes('Transporte de bobinas de alambrón'), 'the need behind the number');
  state.moved = after;
});

test('the semester report shows the commitment and the counts, and downloads as XLSX', async (t) => {
  assert.ok(state.moved, 'needs the previous step');
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, ADMIN);
  await page.goto('/pact/report');
  const summary = await text(page.locator('#rep-summary'));
  assert.match(summary, /^\d+ de \d+ compromisos? finalizados?, \d+ en curso, \d+ con retraso/, summary);
  const [finished, total] = summary.match(/\d+/g).map(Number);
  assert.ok(total >= 14 && finished >= 2 && finished < total, summary);
  const row = page.locator('#rep-tree tbody tr', { hasText: COMMITMENT });
  assert.equal(await row.count(), 1, 'the new commitment is in the report');
  assert.ok((await text(row)).includes('50'), await text(row));

  const href = await page.locator('a[href^="/pact/report.xlsx"]').getAttribute('href');
  const xlsx = await page.request.get(href);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
  const body = await xlsx.body();
  assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP');

  // Printable: a print button, and on paper the report without the site's chrome.
  const print = page.getByRole('button', { name: 'Imprimir' });
  assert.ok(await print.isVisible(), 'the print button');
  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await page.locator('.site-header').isVisible()), 'no header on paper');
  assert.ok(!(await print.isVisible()), 'no button on paper');
  assert.ok(await row.isVisible(), 'the commitments on paper');
  assert.ok(await page.locator('#rep-summary').isVisible(), 'the counts on paper');
});

test('an anonymous visitor reads the public progress in English and the public member list', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  let res = await page.goto('/pact/progress');
  assert.equal(res.status(), 200);
  assert.equal(await text(page.locator('h1')), 'Progress of the Pact');
  const tree = await text(page.locator('#prog-tree'));
  assert.ok(tree.includes(DEMO.commitment), 'a public commitment');
  assert.ok(!(await mainText(page)).includes(DEMO.privateCommitment), 'no private commitment');
  assert.match(await text(page.locator('#prog-summary')), /\d+ of \d+ commitments? finished/);

  res = await page.goto('/pact/members');
  assert.equal(res.status(), 200);
  const main = await mainText(page);
  assert.ok(main.includes(DEMO.member), DEMO.member);
  assert.ok((await text(page.locator('#former-members'))).includes(DEMO.formerMember), 'the former member, apart');
  assert.ok(!main.includes('@'), 'no e-mail addresses');
  assert.ok(!main.includes('Begoña Setién'), 'no representatives');
  assert.equal(await page.locator('#main a[href^="/pact/members/"]').count(), 0, 'no links to members’ records');
  // The workspace is not for the public: sent to log in.
  await page.goto('/pact/meetings');
  assert.equal(new URL(page.url()).pathname, '/login');
});
