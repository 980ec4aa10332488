// The catalogue of industrial sites: the demo data set the expectations are computed
// from, reading what the pages show (cards, the map, the matching results, fact tables)
// and the files the office uploads (a PDF written here; photos are drawn by the
// browser) — with no dependency beyond Node.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { text } from './directory.mjs';
import { submit } from './identity.mjs';

// ---------------------------------------------------------------------------
// The demo data set, for expectations
// ---------------------------------------------------------------------------

/**
 * The sites the server loads with `--demo` (crates/besaya/data/demo_sites.json), as the
 * file has them (a fact that is `null` is unknown).
 */
export async function demoSites() {
  const source = await readFile(new URL('../../crates/besaya/data/demo_sites.json', import.meta.url), 'utf8');
  return JSON.parse(source).sites;
}

/** The demo sites a visitor sees: published ones. */
export async function publishedDemoSites() {
  return (await demoSites()).filter((s) => s.published);
}

/** Whole days from `iso` (YYYY-MM-DD) to today, both in UTC (as the server counts). */
export function daysSince(iso) {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((today - Date.parse(`${iso}T00:00:00Z`)) / 86_400_000);
}

/** A date `days` days from today (negative: ago), as YYYY-MM-DD in UTC. */
export function isoDay(days = 0) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD as a Spanish page writes it: DD/MM/YYYY. */
export const spanishDate = (iso) => iso.split('-').reverse().join('/');

// ---------------------------------------------------------------------------
// Numbers as the pages write them
// ---------------------------------------------------------------------------

/** The number at the start of a Spanish figure: "12.500 m²" → 12500, "1,3 km" → 1.3. */
export function spanishNumber(shown) {
  const m = /^-?[\d.]+(,\d+)?/.exec(shown.trim());
  assert.ok(m, `a Spanish number at the start of "${shown}"`);
  return Number(m[0].replace(/\./g, '').replace(',', '.'));
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

/** Opens the catalogue with `query` (an object of filter fields) through the address bar. */
export async function openCatalogue(page, query = {}) {
  const qs = new URLSearchParams(query).toString();
  const res = await page.goto(`/sites${qs ? `?${qs}` : ''}`);
  assert.equal(res.status(), 200, `GET /sites?${qs}`);
  return res;
}

/**
 * The site cards in `scope` (the catalogue's list, or a matching result): name, reference,
 * address of the site page, kind and place, availability, and the facts by label, each
 * `{ value, unknown }` (unknown: shown as "Sin dato"/"Unknown" in `.unknown`).
 */
export async function siteCards(page, scope = '#main') {
  return page.locator(`${scope} .site-card`).evaluateAll((cards) =>
    cards.map((card) => {
      const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
      const link = card.querySelector('h3 a');
      const facts = {};
      for (const div of card.querySelectorAll('dl > div')) {
        const dd = div.querySelector('dd');
        facts[squash(div.querySelector('dt')?.textContent)] = {
          value: squash(dd?.textContent),
          unknown: Boolean(dd?.querySelector('.unknown') || dd?.classList.contains('unknown')),
        };
      }
      return {
        name: squash(link?.textContent),
        href: link?.getAttribute('href') ?? '',
        reference: squash(card.querySelector('h3 .muted')?.textContent).replace(/^·\s*/, ''),
        place: squash(card.querySelector('.site-card-body > p.muted')?.textContent),
        availability: squash(card.querySelector('.badge')?.textContent),
        facts,
        checkbox: card.closest('li')?.querySelector('.compare-pick input[type="checkbox"]')?.id ?? '',
      };
    }),
  );
}

/** The number at the start of the list's `.result-count` ("5 emplazamientos · Descargar…"). */
export async function siteCount(page) {
  const shown = await text(page.locator('#main .result-count'));
  const m = /^(\d+(?:\.\d{3})*) (emplazamientos|emplazamiento|sites|site)\b/.exec(shown);
  assert.ok(m, `a count of sites at the start of: ${shown}`);
  return Number(m[1].replace(/\./g, ''));
}

/**
 * Waits until a catalogue map has drawn what it fetched (sites-map.js then sets
 * `data-drawn` to the number of sites drawn) or said it could not, and resolves with that
 * number, the site markers on the map (SVG circles up to 1,000 sites) and the error shown.
 */
export async function mapMarkers(page, map = '#sites-map') {
  await page.locator(`${map}[data-drawn], ${map} .map-error`).first().waitFor({ state: 'attached' });
  const error = page.locator(`${map} .map-error`);
  return {
    drawn: Number(await page.locator(map).getAttribute('data-drawn')),
    markers: await page.locator(`${map} .leaflet-overlay-pane path.site-marker`).count(),
    error: (await error.count()) > 0 ? await text(error) : null,
  };
}

/**
 * The rows of the fact tables (site page, sheet) by their label: `{ value, unknown }`,
 * the value with its note ("4,1 km (en línea recta hasta …, calculada)").
 */
export async function factRows(page, scope = '#main') {
  const rows = await page.locator(`${scope} table.facts-table:not(.match-checks) tr`).evaluateAll((trs) =>
    trs.map((tr) => {
      const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
      const td = tr.querySelector('td');
      return [squash(tr.querySelector('th')?.textContent), { value: squash(td?.textContent), unknown: Boolean(td?.querySelector('.unknown')) }];
    }),
  );
  return Object.fromEntries(rows);
}

/**
 * The results of the matching form: the card's reference and name, the status line, and
 * one check per criterion (`outcome`: pass, fail or unknown from the class; its word; the reason).
 */
export async function matchResults(page) {
  return page.locator('#main .match-item').evaluateAll((items) =>
    items.map((li) => {
      const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
      const card = li.querySelector('.site-card');
      return {
        name: squash(card?.querySelector('h3 a')?.textContent),
        href: card?.querySelector('h3 a')?.getAttribute('href') ?? '',
        reference: squash(card?.querySelector('h3 .muted')?.textContent).replace(/^·\s*/, ''),
        status: squash(li.querySelector(':scope > p > strong')?.textContent),
        checks: [...li.querySelectorAll('table.match-checks tbody tr')].map((tr) => {
          const mark = tr.querySelector('td span[class^="check-"]');
          return {
            criterion: squash(tr.querySelector('th')?.textContent),
            outcome: (mark?.className ?? '').replace(/^check-/, ''),
            word: squash(mark?.textContent),
            reason: squash(tr.querySelector('td:last-child')?.textContent),
          };
        }),
      };
    }),
  );
}

/**
 * The ids of the published sites by reference, from the open data (ids are made when the
 * demo data is loaded).
 *
 * @param {import('playwright-core').Page} page
 */
export async function siteIdsByReference(page) {
  const res = await page.request.get('/open-data/sites.geojson');
  assert.equal(res.status(), 200, 'GET /open-data/sites.geojson');
  const data = await res.json();
  return new Map(data.features.map((f) => [f.properties.reference, f.id]));
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/** The number of pages of a PDF file (its `/Type /Page` objects). */
export function pdfPageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

/** A minimal but valid one-page PDF (1.4) saying `line`, with a correct cross-reference table. */
export function minimalPdf(line = 'Besaya (prueba)') {
  const stream = `BT /F1 18 Tf 72 720 Td (${line.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * A PNG photo drawn by the browser on a canvas (`width`×`height`, a sky and a field), as
 * the bytes a camera or an editor would give.
 *
 * @param {import('playwright-core').Page} page
 */
export async function canvasPng(page, width = 320, height = 240) {
  const dataUrl = await page.evaluate(
    ([w, h]) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d');
      const sky = g.createLinearGradient(0, 0, 0, h);
      sky.addColorStop(0, '#7fb2e5');
      sky.addColorStop(1, '#d9ecff');
      g.fillStyle = sky;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#5d8c3a';
      g.fillRect(0, h * 0.6, w, h * 0.4);
      g.fillStyle = '#8a98a4';
      g.fillRect(w * 0.3, h * 0.35, w * 0.4, h * 0.3);
      return c.toDataURL('image/png');
    },
    [width, height],
  );
  return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
}

/**
 * Sends the upload form of a site's management page (which the page must show) with
 * `kind` (photo|document), `title` and the file; resolves with the response of the page
 * reached.
 *
 * @param {import('playwright-core').Page} page
 * @param {{ kind: 'photo' | 'document', title?: string, file: { name: string, mimeType: string, buffer: Buffer } }} upload
 */
export async function uploadSiteFile(page, { kind, title = '', file }) {
  const form = page.locator('#main form[enctype="multipart/form-data"]');
  await form.locator('#kind').selectOption(kind);
  await form.locator('#title').fill(title);
  await form.locator('#file').setInputFiles(file);
  return submit(page, form.locator('button[type="submit"]'));
}
