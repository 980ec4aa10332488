// The home page speaks the visitor's language, and the language switch remembers a choice.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';

const app = useApp('home');

const SPANISH = {
  lang: 'es',
  title: 'Inicio · Besaya',
  h1: 'Industria del Besaya: invertir, colaborar y crecer',
  switchText: 'English',
  docsH1: 'Documentación de la API',
};
const ENGLISH = {
  lang: 'en',
  title: 'Home · Besaya',
  h1: 'Besaya industry: invest, cooperate and grow',
  switchText: 'Español',
  docsH1: 'API documentation',
};

/** The home page (or API docs page) is entirely in `expected`'s language. */
async function assertHomeIn(page, expected) {
  assert.equal(await page.locator('html').getAttribute('lang'), expected.lang, 'html lang');
  assert.equal(await page.title(), expected.title, 'title');
  assert.equal((await page.locator('#main h1').innerText()).trim(), expected.h1, 'h1');
  const sw = page.locator('header .lang-switch');
  assert.match(await sw.innerText(), new RegExp(expected.switchText), 'language switch text');
}

test('home page is in Spanish for a Spanish browser', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const res = await page.goto('/');
  assert.equal(res.status(), 200);
  await assertHomeIn(page, SPANISH);
  // The switch offers English for this very page.
  assert.equal(await page.locator('header .lang-switch').getAttribute('href'), '/lang/en?next=%2F');
});

test('home page falls back to Spanish for a language Besaya does not offer', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'de' });
  await page.goto('/');
  await assertHomeIn(page, SPANISH);
});

test('home page is in English when the browser prefers English', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  const res = await page.goto('/');
  assert.equal(res.status(), 200);
  await assertHomeIn(page, ENGLISH);
  assert.equal(await page.locator('header .lang-switch').getAttribute('href'), '/lang/es?next=%2F');
});

test('choosing English on the Spanish home page persists across pages and reloads', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/');
  await assertHomeIn(page, SPANISH);

  // Click "English": back on the home page, now in English.
  await Promise.all([page.waitForURL(`${app.url}/`), page.locator('header .lang-switch').click()]);
  await assertHomeIn(page, ENGLISH);

  // Another page, reached through the main navigation, is in English too…
  await Promise.all([
    page.waitForURL(`${app.url}/api/docs`),
    page.locator('nav.main-nav a[href="/api/docs"]').click(),
  ]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('#main > h1').innerText()).trim(), ENGLISH.docsH1);

  // …and so is the home page when coming back to it, and after a reload.
  await Promise.all([page.waitForURL(`${app.url}/`), page.locator('nav.main-nav a[href="/"]').click()]);
  await assertHomeIn(page, ENGLISH);
  await page.reload();
  await assertHomeIn(page, ENGLISH);

  // The choice is remembered even though the browser still asks for Spanish.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'lang');
  assert.equal(cookie?.value, 'en', 'lang cookie');
});

test('choosing Español on an English page overrides the browser language and keeps the page', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  await page.goto('/api/docs');
  assert.equal((await page.locator('#main > h1').innerText()).trim(), ENGLISH.docsH1);

  // Switching on the API docs page comes back to the API docs page, in Spanish.
  await Promise.all([page.waitForURL(`${app.url}/api/docs`), page.locator('header .lang-switch').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal((await page.locator('#main > h1').innerText()).trim(), SPANISH.docsH1);

  await page.goto('/');
  await assertHomeIn(page, SPANISH);
  await page.reload();
  await assertHomeIn(page, SPANISH);
});
