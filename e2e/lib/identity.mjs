// Accounts for the tests: created with the CLI before the server starts
// (`useApp(label, { setup: createUsers(...) })`), and the steps a person takes with them
// in the browser (log in, log out, send a form).
import assert from 'node:assert/strict';

/** The administrator every identity test can rely on (the CLI's way to create the first one). */
export const ADMIN = {
  email: 'admin@besaya.example',
  name: 'Ana Admin',
  role: 'admin',
  lang: 'es',
  password: 'Faro de Suances 1938',
};

/**
 * A `setup` for useApp/startServer: creates each user with
 * `echo PASSWORD | besaya user create --email … --name … --role … [--lang …] --password-stdin`
 * and checks that the command answers one line on standard output.
 *
 * @param {...{ email: string, name: string, role: string, password: string, lang?: string }} users
 */
export function createUsers(...users) {
  return async ({ besaya }) => {
    for (const u of users) {
      const args = ['user', 'create', '--email', u.email, '--name', u.name, '--role', u.role, '--password-stdin'];
      if (u.lang) args.push('--lang', u.lang);
      const { stdout } = await besaya(args, { input: `${u.password}\n` });
      const lines = stdout.trim().split('\n');
      assert.equal(lines.length, 1, `user create ${u.email}: one line on stdout, got:\n${stdout}`);
      assert.ok(lines[0].includes(u.email), `user create ${u.email}: ${lines[0]}`);
    }
  };
}

/**
 * Clicks `button` (which sends a form or follows a link) and waits until the resulting
 * document has loaded. Resolves with the response of that document (after redirects).
 *
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} button
 */
export async function submit(page, button) {
  const isDocument = (r) =>
    r.request().isNavigationRequest() &&
    r.request().frame() === page.mainFrame() &&
    !(r.status() >= 300 && r.status() < 400);
  const [res] = await Promise.all([page.waitForResponse(isDocument), page.waitForEvent('load'), button.click()]);
  return res;
}

/** The text of the form's error summary and of each field's error, for messages. */
export async function shownErrors(page) {
  const texts = await page.locator('.error-summary, .field-error').allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ') || '(none)';
}

/**
 * Logs in through the login form (going to /login first unless the page is already
 * there) and waits for the page it leads to. Fails with the shown errors if the server
 * did not let the user in.
 *
 * @param {import('playwright-core').Page} page
 * @param {{ email: string, password: string }} user
 * @returns {Promise<import('playwright-core').Response>} the response of the page reached
 */
export async function logIn(page, { email, password }) {
  if (new URL(page.url(), 'http://x').pathname !== '/login') await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  const res = await submit(page, page.locator('form[action="/login"] button[type="submit"]'));
  assert.notEqual(
    new URL(res.url()).pathname,
    '/login',
    `login as ${email}: still on the login page (HTTP ${res.status()}): ${await shownErrors(page)}`,
  );
  return res;
}

/** The header's log-out button (a POST form). */
export function logoutButton(page) {
  return page.locator('header .user-menu form[action="/logout"] button[type="submit"]');
}

/** Logs out with the header's button; resolves with the response of the page reached. */
export async function logOut(page) {
  return submit(page, logoutButton(page));
}
