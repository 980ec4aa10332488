// One Besaya server and one Chromium per test file: `const app = useApp('home')` at the
// top of a file registers the before/after hooks; tests then read app.url and app.browser
// (and app.mailDir, where the server writes its e-mails).
import { after, before } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

/**
 * @param {string} label names the server log (test-results/server-logs/<label>.log)
 * @param {{ browserArgs?: string[], setup?: import('./server.mjs').Setup }} [options]
 *   setup runs commands of the binary on the data directory before the server starts
 *   (e.g. `createUsers(...)` of identity.mjs).
 * @returns {{ url: string, mailDir: string, dataDir: string, browser: import('playwright-core').Browser }}
 */
export function useApp(label, { browserArgs = [], setup } = {}) {
  const app = { url: '', mailDir: '', dataDir: '', browser: null, server: null };
  before(async () => {
    // Start both at once: neither depends on the other.
    const [server, browser] = await Promise.allSettled([startServer({ label, setup }), launchBrowser(browserArgs)]);
    if (server.status === 'fulfilled') app.server = server.value;
    if (browser.status === 'fulfilled') app.browser = browser.value;
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    app.url = app.server.url;
    app.mailDir = app.server.mailDir;
    app.dataDir = app.server.dataDir;
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.stop(); // throws if the server does not stop cleanly on SIGTERM
  });
  return app;
}
