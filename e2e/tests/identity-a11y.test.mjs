// The identity pages, in both languages, as anonymous visitors and administrators see
// them — also with form errors shown: axe finds no serious or critical violation, and the
// page logs no console error, breaks no Content-Security-Policy rule, fails no request
// and contacts no other site.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { newContext } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { ADMIN, createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { linksTo, waitForMail } from '../lib/mail.mjs';

/** One administrator per language: a logged-in user sees the pages in the account's language. */
const ADMINS = {
  es: ADMIN,
  en: { email: 'alan.admin@besaya.example', name: 'Alan Admin', role: 'admin', lang: 'en', password: 'Cape of Ajo lighthouse 9' },
};
const INVITEE = { email: 'ines.invitada@besaya.example', name: 'Inés Invitada' };

const app = useApp('identity-a11y', { setup: createUsers(ADMINS.es, ADMINS.en) });

/** Browser contexts by who looks and language; and what the invitation e-mail links to. */
const contexts = { visitor: {}, admin: {} };
const found = { invitation: '' };

/**
 * Opens the contexts (one per visitor language, one per logged-in administrator), and
 * sends an invitation, once for all the tests of the file (called by each: root-level
 * before() hooks of node:test do not wait for useApp's). The contexts close with the
 * browser. Sharing them is safe: the pages checked change nothing in them.
 */
let preparing;
function prepare() {
  preparing ??= Promise.all(
    ['es', 'en'].map(async (lang) => {
      contexts.visitor[lang] = await newContext(app.browser, { baseURL: app.url, lang });
      contexts.admin[lang] = await newContext(app.browser, { baseURL: app.url, lang });
      const page = await contexts.admin[lang].newPage();
      await logIn(page, ADMINS[lang]);
      assert.equal(await page.locator('html').getAttribute('lang'), lang, `admin ${lang} logged in`);
      if (lang === 'es') {
        // An invitation, for the page its link opens (viewing it does not use it up).
        await page.goto('/admin/users/new');
        await page.locator('#email').fill(INVITEE.email);
        await page.locator('#name').fill(INVITEE.name);
        const res = await submit(page, page.locator('#main form button[type="submit"]'));
        assert.equal(res.status(), 200, `invitation sent: ${await shownErrors(page)}`);
        const mail = await waitForMail(app.mailDir, { to: INVITEE.email });
        [found.invitation] = linksTo(mail.text, '/invitation');
        assert.ok(found.invitation, `an invitation link in:\n${mail.text}`);
      }
      await page.close();
    }),
  );
  return preparing;
}

/** The form of the page's main content. */
const FORM = '#main form[method="post"]';

/** Sends the form of the main content after filling `fields` (selector -> value). */
function sendForm(fields) {
  return async (page) => {
    for (const [selector, value] of Object.entries(fields)) await page.locator(selector).fill(value);
    return submit(page, page.locator(FORM).first().locator('button[type="submit"]'));
  };
}

/**
 * The pages checked: who looks (an anonymous visitor or the administrator), where, and
 * optionally what is done there first (a form sent with errors) and the status then.
 */
const PAGES = [
  { name: 'login', as: 'visitor', path: () => '/login', status: 200 },
  {
    name: 'login with errors',
    as: 'visitor',
    path: () => '/login',
    act: sendForm({ '#email': 'nadie@besaya.example', '#password': 'Not the right password' }),
    status: 401,
  },
  { name: 'forgotten password', as: 'visitor', path: () => '/password/forgot', status: 200 },
  { name: 'invitation', as: 'visitor', path: () => found.invitation, status: 200 },
  {
    name: 'invitation with errors',
    as: 'visitor',
    path: () => found.invitation,
    act: sendForm({ '#password': 'corta', '#confirm': 'corta' }),
    status: 422,
  },
  { name: 'account', as: 'admin', path: () => '/account', status: 200 },
  { name: 'users', as: 'admin', path: () => '/admin/users', status: 200 },
  {
    name: 'invite form with errors',
    as: 'admin',
    path: () => '/admin/users/new',
    act: sendForm({ '#email': 'no-es-un-correo', '#name': '' }),
    status: 422,
  },
  { name: 'change log', as: 'admin', path: () => '/admin/audit', status: 200 },
  { name: 'background jobs', as: 'admin', path: () => '/admin/jobs', status: 200 },
];

for (const p of PAGES) {
  for (const lang of ['es', 'en']) {
    test(`${p.name} (${lang}, ${p.as}): no serious/critical axe violations, no console errors or CSP violations`, async (t) => {
      await prepare();
      const page = await contexts[p.as][lang].newPage();
      t.after(() => page.close());
      const watch = await watchPage(page, { origin: app.url });
      const path = p.path();
      let res = await page.goto(path);
      assert.equal(res.status(), 200, `GET ${path}`);
      assert.ok(res.headers()['content-security-policy'], 'the page has a Content-Security-Policy');
      if (p.act) {
        // The form answers with an error status: Chromium logs that, and only that is expected.
        const action = await page.locator(FORM).first().getAttribute('action');
        watch.expectDocumentStatus(new URL(action, app.url).href, p.status);
        res = await p.act(page);
        assert.equal(res.status(), p.status, `status after sending the form: ${await shownErrors(page)}`);
        assert.ok(await page.locator('.error-summary').isVisible(), 'the errors are shown');
      }
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const who = await page.locator('header .user-menu a.user-link').innerText();
      assert.equal(who, p.as === 'admin' ? ADMINS[lang].name : { es: 'Iniciar sesión', en: 'Log in' }[lang], 'who looks');
      // No wait for "network idle" (it costs half a second a page): goto() and submit()
      // wait for the load event, after which these pages request only the favicon of the
      // base template — the same on every page, checked by console.test.mjs.
      watch.assertClean(`${p.name}: ${path} (${lang})`);
      await assertNoSeriousA11yViolations(page, `${p.name}: ${path} (${lang})`, t);
    });
  }
}
