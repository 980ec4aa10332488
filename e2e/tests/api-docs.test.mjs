// /api/docs: the vendored Swagger UI renders the OpenAPI document of the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { waitForSwagger } from '../lib/pages.mjs';

const app = useApp('api-docs');

for (const [lang, h1] of [
  ['es', 'Documentación de la API'],
  ['en', 'API documentation'],
]) {
  test(`/api/docs (${lang}) shows Swagger UI with the "Besaya API" document and its operations`, async (t) => {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang });
    const res = await page.goto('/api/docs');
    assert.equal(res.status(), 200);
    assert.equal((await page.locator('main h1').innerText()).trim(), h1);

    const title = await waitForSwagger(page);
    // The title holds the version badges too ("Besaya API 1 OAS 3.1").
    assert.match(await title.innerText(), /^Besaya API\b/);
    // The operations of the document are listed (at least one, each with method and path).
    const ops = page.locator('#swagger-ui .opblock-summary-path');
    await ops.first().waitFor();
    const paths = await ops.allInnerTexts();
    assert.ok(paths.some((p) => p.includes('/api/v1/')), `operations listed: ${paths.join(', ')}`);
    // Swagger UI did not end up in its error state.
    assert.equal(await page.locator('#swagger-ui .errors-wrapper').count(), 0, 'Swagger UI shows errors');
  });
}

// Swagger UI behaves differently on a real host name than on localhost/127.0.0.1 (it
// then adds an "online validator" badge image from validator.swagger.io). Reach the test
// server through a non-loopback name, as visitors of the real site do.
test('/api/docs on a public host name loads nothing from other sites (no CSP violation)', async (t) => {
  const port = new URL(app.url).port;
  const host = `besaya.test:${port}`;
  const browser = await launchBrowser(['--host-resolver-rules=MAP besaya.test 127.0.0.1']);
  t.after(() => browser.close());
  const page = await openPage(t, browser, { baseURL: `http://${host}`, lang: 'en' });
  const watch = await watchPage(page, { origin: `http://${host}` });
  await page.goto('/api/docs');
  await waitForSwagger(page);
  await page.waitForLoadState('networkidle');
  watch.assertClean(`/api/docs at http://${host}`);
});
