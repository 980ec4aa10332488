// The Pact's journey (issue #8), on the demo directory (`besaya demo` before the server
// starts, so that users are tied to demo organisations by tax id): the purchasing user of
// a large firm (Aceros Trefilados del Besaya) posts "Mantenimiento de instalaciones
// eléctricas de alta tensión con certificación ISO 9001" through the form and submits it;
// the office publishes it; the ranked list puts a certified local electrical contractor
// (Ingeniería Eléctrica Polanco, ISO 9001, in the district) first with its reasons; the
// office invites it and another; both answer with an expression of interest; the office
// shortlists and accepts the first; the need's clock shows its first answer and the
// dashboard the median time to first answer in business days. A need nobody can answer
// says so and shows the nearest partial matches (or that there are none).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { setupDirectory, text } from '../lib/directory.mjs';
import { ADMIN, logIn, shownErrors, submit } from '../lib/identity.mjs';

// Tax ids of crates/besaya/data/demo_organizations.csv.
const TRACTOR = { email: 'compras@atrebesa.example', name: 'Íñigo Compras', role: 'company', lang: 'es', password: 'Alambre de Tanos 1952', org: 'A39001011' };
const IEP = { email: 'ofertas@iep.example', name: 'Marta Ofertas', role: 'company', lang: 'es', password: 'Corriente de Polanco 54', org: 'B39001078' };
const MIBESA = { email: 'ofertas@mibesa.example', name: 'Juan Mantenimiento', role: 'company', lang: 'es', password: 'Paradas del Besaya 185', org: 'A39001367' };
const MONTAJES = { email: 'ofertas@montajes.example', name: 'Luis Redes', role: 'company', lang: 'es', password: 'Lineas de Barros 58', org: 'B39001441' };

const app = useApp('pact', { setup: setupDirectory(ADMIN, TRACTOR, IEP, MIBESA, MONTAJES) });

const TITLE = 'Mantenimiento de instalaciones eléctricas de alta tensión con certificación ISO 9001';
const state = {};

function inDays(n) {
  const d = new Date(Date.now() + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Fills and sends the need form; resolves with the need's page path. */
async function postNeed(page, { kind, title, summary, description, cnae, certifications }) {
  await page.goto('/pact/needs/new');
  await page.locator('#kind').selectOption(kind);
  await page.locator('#title').fill(title);
  await page.locator('#summary').fill(summary);
  await page.locator('#description').fill(description);
  for (const [i, c] of cnae.entries()) await page.locator(`#cnae_${i + 1}`).fill(c);
  await page.locator('#required_certifications').fill(certifications.join('\n'));
  await page.locator('#municipality_code').fill('39087');
  await page.locator('#deadline').fill(inDays(60));
  const res = await submit(page, page.locator('form.pact-form button[type="submit"]'));
  assert.equal(res.status(), 200, `the need is created: ${await shownErrors(page)}`);
  const path = new URL(page.url()).pathname;
  assert.match(path, /^\/pact\/needs\/[0-9a-f-]{36}$/, path);
  // Submitted for the office's triage.
  const sent = await submit(page, page.locator('button[name="to"][value="submitted"]'));
  assert.equal(sent.status(), 200, await shownErrors(page));
  return path;
}

/** The ranked matches: [{ name, reasons, checkbox }]. */
async function matches(page) {
  return page.locator('table.pact-matches tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.id.replace(/^match-/, ''),
      name: tr.querySelector('th a')?.innerText.trim() ?? '',
      reasons: [...tr.querySelectorAll('.pact-reasons li')].map((li) => li.innerText.trim()),
    })),
  );
}

test('a large firm posts a need, the office publishes it and a certified local contractor ranks first', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, TRACTOR);
  state.need = await postNeed(page, {
    kind: 'service',
    title: TITLE,
    summary: 'Mantenimiento preventivo y correctivo de la subestación y los centros de transformación de la planta.',
    description: 'Buscamos una empresa instaladora de alta tensión de la comarca, con certificación ISO 9001, para revisiones, termografías y averías.',
    cnae: ['43.21', '33.14'],
    certifications: ['ISO 9001'],
  });

  const office = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(office, ADMIN);
  await office.goto(state.need);
  const res = await submit(office, office.locator('form.pact-publish button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(office));

  const ranked = await matches(office);
  assert.ok(ranked.length >= 3, `candidates listed: ${JSON.stringify(ranked)}`);
  assert.match(ranked[0].name, /Ingeniería Eléctrica Polanco/, `first: ${JSON.stringify(ranked.slice(0, 3))}`);
  assert.ok(
    ranked[0].reasons.some((r) => r.includes('ISO 9001')),
    `the first one's reasons name the certification: ${ranked[0].reasons.join(' | ')}`,
  );
  assert.ok(ranked[0].reasons.length >= 2, ranked[0].reasons.join(' | '));
  state.first = ranked[0];
  state.second = ranked.find((r) => /Mantenimientos Industriales del Besaya|Montajes Eléctricos del Besaya/.test(r.name));
  assert.ok(state.second, `MIBESA or Montajes among the matches: ${ranked.map((r) => r.name).join(', ')}`);

  // The office invites both.
  await office.locator(`#org-${state.first.id}`).check();
  await office.locator(`#org-${state.second.id}`).check();
  const inv = await submit(office, office.locator('form.pact-invite button[type="submit"]'));
  assert.equal(inv.status(), 200, await shownErrors(office));
  assert.equal(await office.locator('#answers tbody tr').count(), 2);
});

test('two invited candidates answer, the office accepts one, and the clock shows the first answer', async (t) => {
  assert.ok(state.second, 'needs the previous step');
  const users = [IEP, /Mantenimientos/.test(state.second.name) ? MIBESA : MONTAJES];
  for (const u of users) {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
    await logIn(page, u);
    await page.goto('/pact/invitations');
    const link = page.locator(`a[href^="${state.need}/answers/"]`).first();
    await submit(page, link);
    // The owner is anonymous to the candidate.
    assert.ok(!(await page.locator('#main').innerText()).includes('Aceros Trefilados'), 'owner hidden');
    await page.locator('#proposal').fill('Dos brigadas de alta tensión y guardia 24 horas desde la comarca.');
    await page.locator('#questions').fill('¿Hay paradas programadas en verano?');
    await page.locator('#presentation').fill(`${u.name}: instaladora certificada de la comarca.`);
    const res = await submit(page, page.locator('form.pact-interest button[type="submit"]'));
    assert.equal(res.status(), 200, await shownErrors(page));
  }

  const office = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(office, ADMIN);
  await office.goto(state.need);
  assert.equal(await office.locator('#answers tbody tr[data-status="interested"]').count(), 2);
  const row = () => office.locator('#answers tbody tr', { hasText: 'Ingeniería Eléctrica Polanco' });
  await submit(office, row().locator('button[name="to"][value="shortlisted"]'));
  await row().locator('input[name="amount_eur"]').fill('96000');
  await submit(office, row().locator('button[name="to"][value="accepted"]'));
  assert.equal(await row().getAttribute('data-status'), 'accepted', await shownErrors(office));
  // The clock: a first answer recorded, in time.
  const clock = await text(office.locator('.pact-clock'));
  assert.ok(!clock.includes('Sin respuesta'), clock);
  assert.match(clock, /\d{2}\/\d{2}\/\d{4}/, clock);

  await office.goto('/pact/dashboard');
  assert.equal(await text(office.locator('h1')), 'Pacto: cuadro de mando');
  assert.match(await text(office.locator('#fig-median')), /^\d+ días? hábil(es)? \(\d+ necesidad(es)? respondidas?\)$/);
  assert.ok(Number(await text(office.locator('#fig-agreements'))) >= 2, 'the demo agreement and this one');
});

test('a need nobody can answer says so and shows the nearest partial matches', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, TRACTOR);
  const need = await postNeed(page, {
    kind: 'supply',
    title: 'Grafeno monocapa para ensayos aeroespaciales',
    summary: 'Láminas de grafeno monocapa con certificación aeroespacial.',
    description: 'Suministro de grafeno monocapa certificado EN 9100 y NADCAP, con trazabilidad completa.',
    cnae: ['20.59'],
    certifications: ['EN 9100', 'NADCAP'],
  });
  const office = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(office, ADMIN);
  await office.goto(need);
  const notice = office.locator('#main p.notice');
  assert.ok(await notice.count(), 'a notice about the matches');
  const said = await text(notice.first());
  const partial = await office.locator('table.pact-matches tbody tr').count();
  t.diagnostic(`${partial} partial matches; the notice: ${said}`);
  if (partial > 0) {
    assert.match(said, /Nadie en el directorio cumple todos los requisitos/, said);
    assert.ok(await office.locator('table.pact-matches .pact-partial').count(), 'partial matches marked');
  } else {
    assert.ok(said.length > 10, said);
  }
});
