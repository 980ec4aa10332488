// Launches the system's Chromium (Debian package) through playwright-core, and opens
// pages in fresh browser contexts that speak a given language.
import { chromium } from 'playwright-core';

/** Debian's Chromium; override with $CHROMIUM_BIN. */
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @param {string[]} [extraArgs] more Chromium switches (e.g. --host-resolver-rules=…). */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}

/** What a browser set to each language sends, as a real one would. */
export const LANGUAGES = {
  es: { locale: 'es-ES', acceptLanguage: 'es-ES,es;q=0.9' },
  en: { locale: 'en-US', acceptLanguage: 'en-US,en;q=0.9' },
  // A language Besaya does not offer: it must fall back to Spanish.
  de: { locale: 'de-DE', acceptLanguage: 'de-DE,de;q=0.9' },
};

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

/**
 * A new browser context (own cookies) whose browser prefers `lang`. The caller closes it
 * (tests use openPage, which does).
 *
 * @param {import('playwright-core').Browser} browser
 * @param {{ baseURL: string, lang?: keyof LANGUAGES, device?: keyof VIEWPORTS }} options
 */
export async function newContext(browser, { baseURL, lang = 'es', device = 'desktop' }) {
  const { locale, acceptLanguage } = LANGUAGES[lang];
  const context = await browser.newContext({
    baseURL,
    locale,
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage },
    ...VIEWPORTS[device],
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/**
 * A page in a new browser context (own cookies) whose browser prefers `lang`.
 * The context is closed when the test `t` ends.
 *
 * @param {import('node:test').TestContext} t
 * @param {import('playwright-core').Browser} browser
 * @param {{ baseURL: string, lang?: keyof LANGUAGES, device?: keyof VIEWPORTS }} options
 */
export async function openPage(t, browser, options) {
  const context = await newContext(browser, options);
  t.after(() => context.close());
  return context.newPage();
}
