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
    assert.equal((await page.locator('#main > h1').innerText()).trim(), h1);

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

test('/api/docs: "Try it out" on an operation calls the API and shows its 200 JSON answer', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  const watch = await watchPage(page, { origin: app.url });
  await page.goto('/api/docs');
  await waitForSwagger(page);

  const op = page.locator('#swagger-ui .opblock').filter({
    has: page.locator('.opblock-summary-path[data-path="/api/v1/reference/cnae"]'),
  });
  await op.locator('.opblock-summary-control').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reference/cnae'),
    op.getByRole('button', { name: 'Execute' }).click(),
  ]);
  assert.equal(res.status(), 200);
  assert.ok(Array.isArray((await res.json()).items), 'the answer has an items list');

  // What the user sees: the request URL on this server and the 200 status.
  const shownStatus = op.locator('.live-responses-table .response .response-col_status').first();
  await shownStatus.waitFor();
  assert.equal((await shownStatus.innerText()).trim(), '200');
  const shownUrl = (await op.locator('.request-url pre').innerText()).trim();
  assert.ok(shownUrl.startsWith(`${app.url}/api/v1/reference/cnae`), `request URL shown: ${shownUrl}`);
  watch.assertClean('Try it out on /api/docs');
});

// Swagger UI behaves differently on a real host name than on localhost/127.0.0.1: e.g.
// its online-validator badge (standalone layout) loads an image from validator.swagger.io
// only then. Reach the test server through a non-loopback name, as visitors of the real
// site do, so that such loads (blocked by the CSP, and leaking the visit) are caught.
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
