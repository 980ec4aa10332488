// Loads the public map page (/sites) in headless Chromium five times, each in a
// fresh context (empty cache), and prints the bytes transferred and the time until
// the map has drawn every site (the script sets data-drawn on the map).
// Usage: node e2e/bench/map-page.mjs BASE_URL LABEL
import { launchBrowser } from '../lib/browser.mjs';

const [base, label] = process.argv.slice(2);
const browser = await launchBrowser();
const runs = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-ES' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const t0 = Date.now();
  await page.goto(`${base}/sites`, { waitUntil: 'domcontentloaded' });
  const dcl = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector('#sites-map')?.hasAttribute('data-drawn'), null, { timeout: 60000 });
  const drawnMs = Date.now() - t0;
  const drawn = await page.getAttribute('#sites-map', 'data-drawn');
  await page.waitForLoadState('networkidle');
  runs.push({ dcl, drawnMs, bytes, drawn: Number(drawn) });
  await context.close();
}
await browser.close();
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${label}: ${runs[0].drawn} markers; transferred ${(med(runs.map((r) => r.bytes)) / 1024).toFixed(0)} KiB; ` +
  `DOMContentLoaded ${med(runs.map((r) => r.dcl))} ms; map drawn ${med(runs.map((r) => r.drawnMs))} ms (medians of 5; ` +
  `drawn: ${runs.map((r) => r.drawnMs).join(', ')} ms)`);
