// No page logs an error, throws, breaks its Content-Security-Policy, fails a request or
// reaches another site — in either language.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { PAGES } from '../lib/pages.mjs';

const app = useApp('console');

for (const p of PAGES) {
  for (const lang of ['es', 'en']) {
    test(`console: ${p.name} (${p.path}, ${lang}) has no errors or CSP violations`, async (t) => {
      const page = await openPage(t, app.browser, { baseURL: app.url, lang });
      const watch = await watchPage(page, { origin: app.url });
      watch.expectDocumentStatus(`${app.url}${p.path}`, p.status);
      const res = await page.goto(p.path);
      assert.equal(res.status(), p.status);
      // The policy that makes this check meaningful is really sent.
      assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
      await p.ready(page);
      await page.waitForLoadState('networkidle');
      watch.assertClean(`${p.path} (${lang})`);
    });
  }
}
