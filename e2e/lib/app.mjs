// One Besaya server and one Chromium per test file: `const app = useApp('home')` at the
// top of a file registers the before/after hooks; tests then read app.url and app.browser.
import { after, before } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

/**
 * @param {string} label names the server log (test-results/server-logs/<label>.log)
 * @param {{ browserArgs?: string[] }} [options]
 * @returns {{ url: string, browser: import('playwright-core').Browser }}
 */
export function useApp(label, { browserArgs = [] } = {}) {
  const app = { url: '', browser: null, server: null };
  before(async () => {
    // Start both at once: neither depends on the other.
    const [server, browser] = await Promise.allSettled([startServer({ label }), launchBrowser(browserArgs)]);
    if (server.status === 'fulfilled') app.server = server.value;
    if (browser.status === 'fulfilled') app.browser = browser.value;
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    app.url = app.server.url;
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.stop(); // throws if the server does not stop cleanly on SIGTERM
  });
  return app;
}
