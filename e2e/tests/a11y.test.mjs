// Accessibility: axe-core finds no serious or critical violation on any page, in either
// language; and the keyboard skip link works.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { PAGES } from '../lib/pages.mjs';

const app = useApp('a11y');

for (const p of PAGES) {
  for (const lang of ['es', 'en']) {
    test(`axe: ${p.name} (${p.path}, ${lang}) has no serious or critical violations`, async (t) => {
      const page = await openPage(t, app.browser, { baseURL: app.url, lang });
      const res = await page.goto(p.path);
      assert.equal(res.status(), p.status);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await p.ready(page);
      await assertNoSeriousA11yViolations(page, `${p.path} (${lang})`, t);
    });
  }
}

test('keyboard: the first Tab shows the skip link, which moves focus to the main content', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip-link');
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'skip link focused first');
  assert.equal((await skip.innerText()).trim(), 'Saltar al contenido');
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0, `skip link visible when focused (box ${JSON.stringify(box)})`);

  await page.keyboard.press('Enter');
  await page.waitForURL(`${app.url}/#main`);
  // The next Tab continues inside the main content, not in the header.
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
  assert.equal(inMain, true, 'after the skip link, Tab moves into <main>');
});
