// Identity, as people use it: logging in and out, an administrator inviting a member of
// staff who sets a password from the e-mailed link, the language kept with the account,
// resetting a forgotten password, login throttling, API tokens and logging out everywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { ADMIN, createUsers, logIn, logOut, logoutButton, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';

/** Accounts of this file besides ADMIN, one per test that changes its account. */
const LUCIA = { email: 'lucia.llano@besaya.example', name: 'Lucía Llano', role: 'company', lang: 'es', password: 'Playa de Covachos 7' };
const ROSA = { email: 'rosa.ruiz@besaya.example', name: 'Rosa Ruiz', role: 'investor', password: 'Viejo puente del Pas 1' };
const TOMAS = { email: 'tomas.torre@besaya.example', name: 'Tomás Torre', role: 'training_centre', password: 'Mina de Reocín 1856' };
const PABLO = { email: 'pablo.pacto@besaya.example', name: 'Pablo Pacto', role: 'pact_member', password: 'Ría de San Martín 12' };

const app = useApp('identity', { setup: createUsers(ADMIN, LUCIA, ROSA, TOMAS, PABLO) });

const LOGIN_INVALID = 'El correo electrónico o la contraseña no son correctos.';
/** An invitation or reset link: its one query parameter is a 43-character base64url token. */
const TOKEN_LINK = /^\/(invitation|password\/reset)\?token=[A-Za-z0-9_-]{43}$/;

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const pathOf = (page) => new URL(page.url()).pathname;

/** The header of a visitor who is not logged in: a "log in" link, no log-out button. */
async function assertAnonymousHeader(page, loginText = 'Iniciar sesión') {
  const link = page.locator('header .user-menu a.user-link');
  assert.equal(await text(link), loginText, 'header link');
  assert.equal(await link.getAttribute('href'), '/login');
  assert.equal(await logoutButton(page).count(), 0, 'no log-out button');
}

/** The header of a logged-in user: the name (linking to /account) and a log-out button. */
async function assertUserHeader(page, name, logoutText = 'Cerrar sesión') {
  const link = page.locator('header .user-menu a.user-link');
  assert.equal(await text(link), name, 'user name in the header');
  assert.equal(await link.getAttribute('href'), '/account');
  assert.equal(await text(logoutButton(page)), logoutText, 'log-out button');
}

/**
 * The error of a field: shown next to it (inside its .field, before the input), tied to
 * it by aria-describedby/aria-invalid, and repeated in the error summary as a link to it.
 */
async function assertFieldError(page, field, message) {
  const error = page.locator(`#${field}-error`);
  assert.equal(await text(error), message, `#${field}-error`);
  const sameField = page.locator('.field', { has: page.locator(`#${field}`) }).locator(`#${field}-error`);
  assert.equal(await sameField.count(), 1, `#${field}-error is in the field of #${field}`);
  const input = page.locator(`#${field}`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `#${field} aria-invalid`);
  assert.ok(
    ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).includes(`${field}-error`),
    `#${field} is described by its error`,
  );
  const summary = page.locator('.error-summary[role="alert"]');
  assert.equal(await summary.count(), 1, 'one error summary with role=alert');
  const link = summary.locator(`a[href="#${field}"]`);
  assert.equal(await link.count(), 1, `the summary links to #${field}`);
  assert.equal(await text(link), message, `summary text for #${field}`);
}

test('login: a wrong password is refused (401) next to the field and in the summary; the right one logs in; logging out makes the visitor anonymous again', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/');
  await assertAnonymousHeader(page);
  await submit(page, page.locator('header .user-menu a.user-link'));
  assert.equal(pathOf(page), '/login');
  assert.equal(await text(page.locator('#main h1')), 'Iniciar sesión');

  await page.locator('#email').fill(ADMIN.email);
  await page.locator('#password').fill('Not the right password');
  const refused = await submit(page, page.getByRole('button', { name: 'Entrar', exact: true }));
  assert.equal(refused.status(), 401, 'status of a wrong password');
  assert.equal(pathOf(page), '/login');
  await assertFieldError(page, 'email', LOGIN_INVALID);
  assert.equal(await page.locator('#email').inputValue(), ADMIN.email, 'the e-mail address is kept');
  assert.equal(await page.locator('#password').inputValue(), '', 'the password is not sent back');
  await assertAnonymousHeader(page);
  // The summary's link takes the keyboard to the field.
  await page.locator('.error-summary a[href="#email"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'focus after following the summary link');

  await page.locator('#password').fill(ADMIN.password);
  const home = await submit(page, page.getByRole('button', { name: 'Entrar', exact: true }));
  assert.equal(home.status(), 200);
  assert.equal(pathOf(page), '/', 'sent to the home page (no next)');
  await assertUserHeader(page, ADMIN.name);

  const after = await logOut(page);
  assert.equal(after.status(), 200);
  assert.equal(pathOf(page), '/');
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Ha cerrado la sesión.');
  await assertAnonymousHeader(page);
  // The session is really over: a page for users sends back to the login page.
  await page.goto('/account');
  assert.equal(page.url(), `${app.url}/login?next=%2Faccount`);
});

test('invitation: an administrator invites a member of staff, who sets a password from the e-mail, logs in and cannot administer', async (t) => {
  const SARA = { email: 'sara.sainz@besaya.example', name: 'Sara Sainz', password: 'Cueva de Altamira 15' };

  // The administrator asks for the users page and is sent through the login page.
  const admin = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await admin.goto('/admin/users');
  assert.equal(admin.url(), `${app.url}/login?next=%2Fadmin%2Fusers`);
  await logIn(admin, ADMIN);
  assert.equal(pathOf(admin), '/admin/users', 'back on the page asked for');
  const nav = admin.locator('header nav.main-nav');
  for (const [href, name] of [['/admin/users', 'Usuarios'], ['/admin/audit', 'Registro de cambios'], ['/admin/jobs', 'Tareas en segundo plano']]) {
    assert.equal(await text(nav.locator(`a[href="${href}"]`)), name, `admin link ${href}`);
  }
  assert.equal(await text(admin.locator('#main h1')), 'Usuarios');

  await submit(admin, admin.getByRole('link', { name: 'Invitar a un usuario', exact: true }));
  assert.equal(pathOf(admin), '/admin/users/new');
  assert.equal(await text(admin.locator('#main h1')), 'Invitar a un usuario');

  // First try: a broken address and no name.
  await admin.locator('#email').fill('sara.sainz@');
  await admin.locator('#name').fill('   ');
  await admin.locator('#role').selectOption('staff');
  const invalid = await submit(admin, admin.getByRole('button', { name: 'Enviar la invitación', exact: true }));
  assert.equal(invalid.status(), 422, `status of an invalid invitation: ${await shownErrors(admin)}`);
  await assertFieldError(admin, 'email', 'Escriba una dirección de correo electrónico válida, por ejemplo nombre@empresa.es.');
  await assertFieldError(admin, 'name', 'Escriba un nombre de 1 a 200 caracteres.');
  assert.equal(await admin.locator('.error-summary li').count(), 2, 'two errors in the summary');
  assert.equal(await admin.locator('#email').inputValue(), 'sara.sainz@', 'typed address kept');
  assert.equal(await admin.locator('#role').inputValue(), 'staff', 'chosen role kept');

  // Corrected.
  await admin.locator('#email').fill(SARA.email);
  await admin.locator('#name').fill(SARA.name);
  await admin.locator('#lang').selectOption('es');
  const created = await submit(admin, admin.getByRole('button', { name: 'Enviar la invitación', exact: true }));
  assert.equal(created.status(), 200, `invitation sent: ${await shownErrors(admin)}`);
  assert.match(pathOf(admin), /^\/admin\/users\/[0-9a-f-]{36}$/, 'on the new user page');
  assert.equal(await text(admin.locator('#main .flash[role="status"]')), 'Invitación enviada.');
  assert.equal(await text(admin.locator('#main h1')), SARA.name);
  await admin.goto('/admin/users');
  const row = admin.locator('tbody tr', { has: admin.getByRole('link', { name: SARA.name, exact: true }) });
  assert.match(await text(row), /sara\.sainz@besaya\.example Personal de la Oficina Invitado$/);

  // The e-mail, in Spanish, with a one-time link.
  const mail = await waitForMail(app.mailDir, { to: SARA.email, subject: /^Invitación a Besaya/ });
  assert.match(mail.to, /^"?Sara Sainz"? <sara\.sainz@besaya\.example>$/, 'recipient');
  assert.match(mail.text, /^Hola, Sara Sainz:/);
  assert.ok(mail.text.includes('Ana Admin le ha invitado a Besaya'), mail.text);
  const links = linksTo(mail.text, '/invitation');
  assert.equal(links.length, 1, `one invitation link in:\n${mail.text}`);
  const [link] = links;
  assert.match(link, TOKEN_LINK);
  assert.ok(linksTo(mail.html, '/invitation').includes(link), 'the HTML part has the same link');

  // Sara opens it in her own browser.
  const sara = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const opened = await sara.goto(link);
  assert.equal(opened.status(), 200);
  assert.equal(await text(sara.locator('#main h1')), 'Bienvenida a Besaya');
  await assertAnonymousHeader(sara);
  await sara.locator('#password').fill('corta');
  await sara.locator('#confirm').fill('corta');
  const short = await submit(sara, sara.getByRole('button', { name: 'Guardar la contraseña', exact: true }));
  assert.equal(short.status(), 422, 'a too short password is refused');
  await assertFieldError(sara, 'password', 'La contraseña debe tener al menos 10 caracteres.');
  assert.equal(await sara.locator('#password').getAttribute('aria-describedby'), 'password-hint password-error');

  await sara.locator('#password').fill(SARA.password);
  await sara.locator('#confirm').fill(SARA.password);
  const saved = await submit(sara, sara.getByRole('button', { name: 'Guardar la contraseña', exact: true }));
  assert.equal(saved.status(), 200, `password saved: ${await shownErrors(sara)}`);
  assert.equal(pathOf(sara), '/login');
  assert.equal(await text(sara.locator('#main .flash[role="status"]')), 'Contraseña guardada. Ya puede iniciar sesión.');

  await logIn(sara, SARA);
  assert.equal(pathOf(sara), '/');
  await assertUserHeader(sara, SARA.name);
  assert.equal(await sara.locator('header a[href^="/admin"]').count(), 0, 'no administration links for staff');
  for (const path of ['/admin/users', '/admin/users/new', '/admin/audit', '/admin/jobs']) {
    const res = await sara.goto(path);
    assert.equal(res.status(), 403, `staff on ${path}`);
    assert.equal(await text(sara.locator('#main h1')), 'Acceso no permitido', `page of ${path}`);
  }

  // The link works once only.
  const again = await sara.goto(link);
  assert.equal(again.status(), 410, 'a used invitation link');
  assert.equal(await text(sara.locator('#main h1')), 'Enlace no válido');
  // …and the administrator now sees her as active.
  await admin.goto('/admin/users');
  assert.match(await text(row), /Personal de la Oficina Activo$/);
});

test(
  'invite form: every field shown with an error is marked invalid, described by its error and linked from the summary',
  async (t) => {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
    await logIn(page, ADMIN); // the account's language (Spanish) wins over the browser's
    await page.goto('/admin/users/new');
    await page.locator('#email').fill('not-an-address');
    await page.locator('#tax_ids').fill('B00000000');
    const res = await submit(page, page.getByRole('button', { name: 'Enviar la invitación', exact: true }));
    assert.equal(res.status(), 422);
    assert.equal(await page.locator('.error-summary li').count(), 3, `three errors: ${await shownErrors(page)}`);
    await assertFieldError(page, 'email', 'Escriba una dirección de correo electrónico válida, por ejemplo nombre@empresa.es.');
    await assertFieldError(page, 'name', 'Escriba un nombre de 1 a 200 caracteres.');
    await assertFieldError(page, 'tax_ids', 'No hay ninguna organización registrada con el NIF B00000000.');
  },
);

test('language: English chosen while logged in is kept with the account, also after logging in again from a Spanish browser', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, LUCIA);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await assertUserHeader(page, LUCIA.name, 'Cerrar sesión');

  await submit(page, page.locator('header .lang-switch'));
  assert.equal(pathOf(page), '/', 'the switch stays on the page');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await assertUserHeader(page, LUCIA.name, 'Log out');
  await page.goto('/account');
  assert.equal(await text(page.locator('#main h1')), 'My account');
  assert.equal(await page.locator('#lang').inputValue(), 'en', 'the language of the account');

  await logOut(page);
  await assertAnonymousHeader(page, 'Log in');

  // Another browser, set to Spanish, with no cookies: Spanish until Lucía logs in.
  const other = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await other.goto('/login');
  assert.equal(await other.locator('html').getAttribute('lang'), 'es');
  assert.equal(await text(other.locator('#main h1')), 'Iniciar sesión');
  await logIn(other, LUCIA);
  assert.equal(await other.locator('html').getAttribute('lang'), 'en', 'the account language after login');
  assert.equal(await text(other.locator('#main h1')), 'Besaya industry: invest, cooperate and grow');
  await assertUserHeader(other, LUCIA.name, 'Log out');
  await other.goto('/account');
  assert.equal(await text(other.locator('#main h1')), 'My account');
  await other.goto('/password/forgot');
  assert.equal(await text(other.locator('#main h1')), 'Reset your password', 'other pages too');
});

test('password reset: "forgotten password" e-mails a one-time link; the new password replaces the old one', async (t) => {
  const NEW_PASSWORD = 'Nuevo puente de Requejada 2';
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/login');
  await submit(page, page.getByRole('link', { name: '¿Ha olvidado su contraseña?', exact: true }));
  assert.equal(pathOf(page), '/password/forgot');
  assert.equal(await text(page.locator('#main h1')), 'Restablecer la contraseña');

  await page.locator('#email').fill('rosa.ruiz');
  const invalid = await submit(page, page.getByRole('button', { name: 'Enviar el enlace', exact: true }));
  assert.equal(invalid.status(), 422);
  await assertFieldError(page, 'email', 'Escriba una dirección de correo electrónico válida, por ejemplo nombre@empresa.es.');

  await page.locator('#email').fill(ROSA.email);
  const sent = await submit(page, page.getByRole('button', { name: 'Enviar el enlace', exact: true }));
  assert.equal(sent.status(), 200);
  assert.equal(await text(page.locator('#main h1')), 'Revise su correo');

  const mail = await waitForMail(app.mailDir, { to: ROSA.email, subject: /^Restablecer su contraseña/ });
  const [link, ...more] = linksTo(mail.text, '/password/reset');
  assert.equal(more.length, 0, `one reset link in:\n${mail.text}`);
  assert.match(link ?? '', TOKEN_LINK);

  const opened = await page.goto(link);
  assert.equal(opened.status(), 200);
  assert.equal(await text(page.locator('#main h1')), 'Elegir una contraseña nueva');
  await page.locator('#password').fill(NEW_PASSWORD);
  await page.locator('#confirm').fill(`${NEW_PASSWORD}!`);
  const mismatch = await submit(page, page.getByRole('button', { name: 'Guardar la contraseña', exact: true }));
  assert.equal(mismatch.status(), 422);
  await assertFieldError(page, 'confirm', 'Las dos contraseñas no coinciden.');
  await page.locator('#password').fill(NEW_PASSWORD);
  await page.locator('#confirm').fill(NEW_PASSWORD);
  await submit(page, page.getByRole('button', { name: 'Guardar la contraseña', exact: true }));
  assert.equal(pathOf(page), '/login');
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Contraseña guardada. Ya puede iniciar sesión.');

  // The old password no longer works; the new one does.
  await page.locator('#email').fill(ROSA.email);
  await page.locator('#password').fill(ROSA.password);
  const old = await submit(page, page.getByRole('button', { name: 'Entrar', exact: true }));
  assert.equal(old.status(), 401, 'the old password after the reset');
  await logIn(page, { email: ROSA.email, password: NEW_PASSWORD });
  await assertUserHeader(page, ROSA.name);

  const again = await page.goto(link);
  assert.equal(again.status(), 410, 'a used reset link');
  assert.equal(await text(page.locator('#main h1')), 'Enlace no válido');
});

test('login throttling: after 5 wrong passwords for an account, even the right one gets 429 with a message', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/login');
  const button = page.getByRole('button', { name: 'Entrar', exact: true });
  for (let i = 1; i <= 5; i++) {
    await page.locator('#email').fill(TOMAS.email);
    await page.locator('#password').fill(`Wrong password number ${i}`);
    const res = await submit(page, button);
    assert.equal(res.status(), 401, `wrong password ${i}`);
  }
  await page.locator('#email').fill(TOMAS.email);
  await page.locator('#password').fill(TOMAS.password);
  const locked = await submit(page, button);
  assert.equal(locked.status(), 429, 'the 6th attempt');
  const alert = page.locator('.error-summary[role="alert"]');
  assert.match(await text(alert), /^Demasiados intentos fallidos\. Por seguridad, espere (un minuto|\d+ minutos) antes de volver a intentarlo\.$/);
  await assertAnonymousHeader(page);
});

test('account: an API token is shown once, works with the API, and stops working when revoked', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, PABLO);
  await page.goto('/account');
  assert.equal(await text(page.locator('#main h1')), 'Mi cuenta');
  assert.equal(await text(page.locator('#main h1 + p')), `${PABLO.email} · Miembro del Pacto`);
  assert.equal(await page.locator('#name').inputValue(), PABLO.name);
  assert.equal(await page.locator('#lang').inputValue(), 'es');

  await page.locator('#token-name').fill('Hoja de cálculo');
  const created = await submit(page, page.getByRole('button', { name: 'Crear un token', exact: true }));
  assert.equal(created.status(), 200);
  const token = await text(page.locator('#new-token'));
  assert.match(token, /^\S{20,}$/, 'the token is shown');

  const me = await fetch(`${app.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, 'GET /api/v1/me with the token');
  const body = await me.json();
  assert.equal(body.email, PABLO.email);
  assert.equal(body.role, 'pact_member');

  // Never shown again; listed as active, and revocable.
  await page.goto('/account');
  assert.equal(await page.locator('#new-token').count(), 0, 'the token is not shown again');
  const row = page.locator('tbody tr', { hasText: 'Hoja de cálculo' });
  assert.match(await text(row), /Activo/);
  await submit(page, row.getByRole('button', { name: 'Revocar: Hoja de cálculo', exact: true }));
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Token revocado.');
  assert.match(await text(row), /Revocado/);
  const revoked = await fetch(`${app.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(revoked.status, 401, 'GET /api/v1/me with the revoked token');
});

test('account: "log out on every device" ends the sessions of the other browsers too', async (t) => {
  const laptop = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const phone = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });
  await logIn(laptop, PABLO);
  await logIn(phone, PABLO);
  await assertUserHeader(phone, PABLO.name);

  await laptop.goto('/account');
  await submit(laptop, laptop.getByRole('button', { name: 'Cerrar la sesión en todos los dispositivos', exact: true }));
  assert.equal(pathOf(laptop), '/login');
  assert.equal(await text(laptop.locator('#main .flash[role="status"]')), 'Se han cerrado todas sus sesiones.');
  await assertAnonymousHeader(laptop);

  await phone.reload();
  await assertAnonymousHeader(phone);
  await phone.goto('/account');
  assert.equal(pathOf(phone), '/login', 'the phone was logged out too');
});
