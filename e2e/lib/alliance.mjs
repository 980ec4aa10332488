// The Pact as an alliance (issue #9): the demo's names the tests look for, and the steps
// the alliance tests share — a Pact need posted by a large firm, published by the office
// and answered by a certified local contractor (which moves the indicator "needs answered
// within target"), and reading what a page says.
import assert from 'node:assert/strict';

import { text } from './directory.mjs';
import { shownErrors, submit } from './identity.mjs';

// Names of crates/besaya/src/pact/alliance_demo.rs.
export const DEMO = {
  group: 'Suelo industrial y energía',
  groups: ['Suelo industrial y energía', 'Competencias y empleo', 'Proveedores'],
  /** A held meeting with minutes, attendance and agreements. */
  heldMeeting: 'Sesión constitutiva de la mesa de suelo industrial y energía',
  /** The meeting scheduled ahead. */
  upcomingMeeting: 'Revisión del inventario de suelo y de la demanda de potencia',
  /** A commitment in progress with milestones. */
  commitment: 'Programa de formación en mecanizado CNC',
  /** The private commitment (never on the public page). */
  privateCommitment: 'Plan de relevo generacional en las plantillas industriales',
  /** A current member and the former one. */
  member: 'Sindicato Comarcal de Industria',
  formerMember: 'Asociación de Transportistas Ejemplo del Besaya',
};

/** Today in Madrid as YYYY-MM-DD (the server's day). */
export function madridDay(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/**
 * Follows the first link of the page's main content whose text contains `name`; resolves
 * with the path reached.
 */
export async function follow(page, name) {
  const link = page.locator('#main a', { hasText: name }).first();
  assert.ok(await link.count(), `a link "${name}" on ${page.url()}`);
  await submit(page, link);
  return new URL(page.url()).pathname;
}

/** The text of the main content, white space collapsed. */
export const mainText = (page) => text(page.locator('#main'));

/** The form's errors must be shown: summary and at least one field; resolves with them. */
export async function assertFormErrors(page, what) {
  assert.ok(await page.locator('.error-summary').count(), `${what}: an error summary (${page.url()})`);
  assert.ok(await page.locator('.field-error').count(), `${what}: an error next to a field`);
  return shownErrors(page);
}

/**
 * A large firm's user posts a service need with the form and submits it; the office
 * (`office`, logged in) publishes it and invites the organisation named `candidateName`
 * among the ranked matches; resolves with the need's path.
 */
export async function publishNeed(owner, office, { title, candidateName }) {
  await owner.goto('/pact/needs/new');
  await owner.locator('#kind').selectOption('service');
  await owner.locator('#title').fill(title);
  await owner.locator('#summary').fill('Revisiones reglamentarias y averías de alta tensión en la planta, con empresa certificada.');
  await owner.locator('#description').fill('Buscamos una instaladora de alta tensión de la comarca, certificada ISO 9001, para revisiones y averías.');
  await owner.locator('#cnae_1').fill('43.21');
  await owner.locator('#required_certifications').fill('ISO 9001');
  await owner.locator('#municipality_code').fill('39087');
  await owner.locator('#deadline').fill(madridDay(60));
  const res = await submit(owner, owner.locator('form.pact-form button[type="submit"]'));
  assert.equal(res.status(), 200, `the need is created: ${await shownErrors(owner)}`);
  const path = new URL(owner.url()).pathname;
  assert.match(path, /^\/pact\/needs\/[0-9a-f-]{36}$/, path);
  const sent = await submit(owner, owner.locator('button[name="to"][value="submitted"]'));
  assert.equal(sent.status(), 200, await shownErrors(owner));

  await office.goto(path);
  const pub = await submit(office, office.locator('form.pact-publish button[type="submit"]'));
  assert.equal(pub.status(), 200, await shownErrors(office));
  const row = office.locator('table.pact-matches tbody tr', { hasText: candidateName }).first();
  assert.ok(await row.count(), `${candidateName} among the matches`);
  const id = (await row.getAttribute('id')).replace(/^match-/, '');
  await office.locator(`#org-${id}`).check();
  const inv = await submit(office, office.locator('form.pact-invite button[type="submit"]'));
  assert.equal(inv.status(), 200, await shownErrors(office));
  return path;
}

/** The invited candidate (logged in) expresses interest in the need at `needPath`. */
export async function answerNeed(candidate, needPath) {
  await candidate.goto('/pact/invitations');
  const link = candidate.locator(`a[href^="${needPath}/answers/"]`).first();
  assert.ok(await link.count(), `an invitation to ${needPath}`);
  await submit(candidate, link);
  await candidate.locator('#proposal').fill('Dos brigadas de alta tensión y guardia 24 horas desde la comarca.');
  await candidate.locator('#questions').fill('¿Hay paradas programadas en verano?');
  await candidate.locator('#presentation').fill('Instaladora certificada ISO 9001 de la comarca.');
  const res = await submit(candidate, candidate.locator('form.pact-interest button[type="submit"]'));
  assert.equal(res.status(), 200, await shownErrors(candidate));
}

/** The first whole number (Spanish or English thousands) in a text, or NaN. */
export function firstNumber(s) {
  const m = /\d{1,3}(?:[.,\u00a0\u202f]\d{3})*|\d+/.exec(s);
  return m ? Number(m[0].replace(/\D/g, '')) : Number.NaN;
}
