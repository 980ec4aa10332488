// An unknown address answers 404 with a page in the visitor's language and a way back home.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';

const app = useApp('not-found');

const CASES = [
  { lang: 'es', title: 'Página no encontrada · Besaya', h1: 'Página no encontrada', home: 'Volver al inicio', homeH1: 'Industria del Besaya: invertir, colaborar y crecer' },
  { lang: 'en', title: 'Page not found · Besaya', h1: 'Page not found', home: 'Back to the home page', homeH1: 'Besaya industry: invest, cooperate and grow' },
];

for (const c of CASES) {
  test(`unknown address: 404 page in ${c.lang}, with a working link home`, async (t) => {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang: c.lang });
    const res = await page.goto('/no-existe');
    assert.equal(res.status(), 404, 'HTTP status of /no-existe');
    assert.match(res.headers()['content-type'] ?? '', /^text\/html/);
    assert.equal(await page.locator('html').getAttribute('lang'), c.lang);
    assert.equal(await page.title(), c.title);
    assert.equal((await page.locator('h1').innerText()).trim(), c.h1);

    const home = page.getByRole('link', { name: c.home, exact: true });
    await Promise.all([page.waitForURL(`${app.url}/`), home.click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), c.homeH1);
  });
}

test('the language switch on a 404 page shows the same missing page in the other language', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/no-existe?x=1');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${app.url}/no-existe?x=1` && r.request().isNavigationRequest()),
    page.locator('header .lang-switch').click(),
  ]);
  assert.equal(res.status(), 404);
  assert.equal(page.url(), `${app.url}/no-existe?x=1`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found');
});
