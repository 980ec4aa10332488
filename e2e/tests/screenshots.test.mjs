// The home page at desktop and phone sizes in both languages: screenshots for humans
// (test-results/screenshots/), and no horizontal scrolling on a phone.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage, VIEWPORTS } from '../lib/browser.mjs';
import { RESULTS_DIR } from '../lib/paths.mjs';

const app = useApp('screenshots');
const SHOTS = path.join(RESULTS_DIR, 'screenshots');

for (const device of ['desktop', 'phone']) {
  for (const lang of ['es', 'en']) {
    test(`home page (${lang}) on a ${device}: fits the screen; screenshot saved`, async (t) => {
      const { width } = VIEWPORTS[device].viewport;
      const page = await openPage(t, app.browser, { baseURL: app.url, lang, device });
      await page.goto('/');
      await page.locator('h1').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await page.evaluate(() => document.fonts.ready);
      // Saved first, so that a failing layout can be looked at too.
      await mkdir(SHOTS, { recursive: true });
      const file = path.join(SHOTS, `home-${lang}-${device}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);

      const m = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      // The browser must not have widened the layout to fit wide content either.
      assert.equal(m.innerWidth, width, 'layout viewport width');
      assert.ok(m.scrollWidth <= m.innerWidth, `horizontal scroll: content ${m.scrollWidth}px wide in a ${m.innerWidth}px window`);

      // The language switch and the main heading are on screen, not cut off.
      for (const sel of ['header .lang-switch', 'h1']) {
        const box = await page.locator(sel).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${sel} within the ${width}px screen: ${JSON.stringify(box)}`);
      }
    });
  }
}
