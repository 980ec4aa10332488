// Watches a page for what a user never should cause: console errors, uncaught exceptions,
// Content-Security-Policy violations, failed or erroring requests, requests to other sites.
import assert from 'node:assert/strict';

// Reports every securitypolicyviolation event of every document to the test (runs before
// the page's own scripts, and is not itself subject to the page's CSP).
const CSP_LISTENER = `
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__e2eReportCsp({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile ? e.sourceFile + ':' + e.lineNumber : '',
      sample: e.sample,
    });
  });
`;

/**
 * Starts watching `page` (call before navigating). Requests to any origin other than
 * `origin` are blocked and recorded: the site must be self-contained.
 *
 * @param {import('playwright-core').Page} page
 * @param {{ origin: string }} options
 */
export async function watchPage(page, { origin }) {
  const problems = [];
  // The main document may legitimately answer with an error status (e.g. the 404 page);
  // Chromium then logs "Failed to load resource" for it. Those are expected, nothing else.
  const expectedDocuments = new Map(); // url -> status

  await page.exposeFunction('__e2eReportCsp', (v) => {
    problems.push(`CSP violation: ${v.directive} blocked ${v.blocked || '(inline)'} ${v.source} ${v.sample || ''}`.trim());
  });
  await page.addInitScript(CSP_LISTENER);

  await page.route(
    (url) => url.origin !== origin,
    (route) => {
      problems.push(`request to another origin: ${route.request().method()} ${route.request().url()}`);
      return route.abort('blockedbyclient');
    },
  );

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    const status = expectedDocuments.get(where);
    if (status && msg.text().includes(`status of ${status}`)) return;
    problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.stack || err.message}`));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    if (why === 'net::ERR_BLOCKED_BY_CLIENT') return; // already recorded by the route above
    // Cancelled by the browser because the test navigated on before it finished (the
    // favicon of a page left at once): not a failure of the site. A server that fails
    // shows as a reset, an empty response or an HTTP error status instead.
    if (why === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()} ${why}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return; // tests check these
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${req.method()} ${res.url()}`);
  });

  return {
    problems,
    /** The next main document at `url` is expected to answer `status` (e.g. 404). */
    expectDocumentStatus(url, status) {
      expectedDocuments.set(url, status);
    },
    /** Fails listing everything seen so far. */
    assertClean(what) {
      assert.deepEqual(problems, [], `${what}: the page reported problems:\n  ${problems.join('\n  ')}`);
    },
  };
}
