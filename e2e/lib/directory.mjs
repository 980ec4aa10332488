// The directory of organisations: accounts tied to organisations, what the list page
// shows, downloads, and the files a person uploads to the import (Spanish tax ids, CSV in
// UTF-8 or Windows-1252, a minimal XLSX written here) — with no dependency beyond Node.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { submit } from './identity.mjs';

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

/**
 * A `setup` for useApp: loads the demo data first (`besaya demo`, which `serve --demo`
 * repeats harmlessly) so that users can be tied to a demo organisation by its tax id
 * (`org`), then creates each user with `besaya user create … [--org TAX_ID]`.
 *
 * @param {...{ email: string, name: string, role: string, password: string, lang?: string, org?: string }} users
 */
export function setupDirectory(...users) {
  return async ({ besaya }) => {
    await besaya(['demo']);
    for (const u of users) {
      const args = ['user', 'create', '--email', u.email, '--name', u.name, '--role', u.role, '--password-stdin'];
      if (u.lang) args.push('--lang', u.lang);
      if (u.org) args.push('--org', u.org);
      const { stdout } = await besaya(args, { input: `${u.password}\n` });
      assert.ok(stdout.includes(u.email), `user create ${u.email}: ${stdout}`);
    }
  };
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

/** Text of an element with white space collapsed. */
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** The path of the page's address. */
export const pathOf = (page) => new URL(page.url()).pathname;

/**
 * The number of the list's `.result-count` ("16 organizaciones · Exportar…",
 * "1 organisation"), with any thousands separator.
 */
export async function resultCount(page) {
  const shown = await text(page.locator('.result-count'));
  const m = /^(\d{1,3}(?:[.,\u00a0\u202f ]?\d{3})*) (organizaciones|organización|organisations|organisation)\b/.exec(shown);
  assert.ok(m, `a result count at the start of: ${shown}`);
  return { count: Number(m[1].replace(/\D/g, '')), word: m[2] };
}

/** The rows of the list's table: name (the link), its address, and the other cells. */
export async function listRows(page) {
  return page.locator('#main table tbody tr').evaluateAll((rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim());
      const link = tr.querySelector('td a');
      const tradeName = tr.querySelector('td .muted');
      return {
        name: link?.textContent.trim() ?? '',
        href: link?.getAttribute('href') ?? '',
        tradeName: tradeName?.textContent ?? null,
        kind: cells[1],
        activity: cells[2],
        municipality: cells[3],
        size: cells[4],
      };
    }),
  );
}

/** Opens the list with `query` (an object of form fields) through the address bar. */
export async function openList(page, query = {}) {
  const qs = new URLSearchParams(query).toString();
  const res = await page.goto(`/directory${qs ? `?${qs}` : ''}`);
  assert.equal(res.status(), 200, `GET /directory?${qs}`);
  return res;
}

/** The address of the detail page of the first row named exactly `name` (searched by `q`). */
export async function findOrganization(page, q, name) {
  await openList(page, { q });
  const rows = await listRows(page);
  const row = rows.find((r) => r.name === name);
  assert.ok(row, `"${name}" listed when searching "${q}"; got: ${rows.map((r) => r.name).join(' | ') || '(none)'}`);
  return row.href;
}

/**
 * Clicks `link` (a file download) and resolves with the file's suggested name and bytes.
 *
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} link
 */
export async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const failure = await file.failure();
  assert.equal(failure, null, `download of ${file.url()} failed`);
  return { name: file.suggestedFilename(), url: file.url(), bytes: await readFile(await file.path()) };
}

/**
 * Uploads a file with the import form (on /directory/import) and waits for the report
 * (the status page refreshes itself every second while the file is checked). Resolves
 * with the status of the first page reached and whether a progress bar was seen.
 */
export async function uploadForImport(page, { name, mimeType, buffer }) {
  if (pathOf(page) !== '/directory/import') await page.goto('/directory/import');
  await page.locator('#file').setInputFiles({ name, mimeType, buffer });
  const res = await submit(page, page.getByRole('button', { name: /^(Comprobar el archivo|Check the file)$/ }));
  assert.match(pathOf(page), /^\/directory\/import\/[A-Za-z0-9_-]+$/, `sent to the import's own page (HTTP ${res.status()})`);
  const sawProgress = (await page.locator('progress').count()) > 0;
  await waitForReport(page);
  return { status: res.status(), sawProgress };
}

/** Waits (the page reloads itself every second) until the import page shows a result. */
export async function waitForReport(page, timeout = 60_000) {
  await page
    .locator('#main .notice[role="status"], #main .error-summary[role="alert"]')
    .first()
    .waitFor({ state: 'visible', timeout });
}

// ---------------------------------------------------------------------------
// Spanish tax ids
// ---------------------------------------------------------------------------

/**
 * A CIF (tax id of a legal entity) with a digit control: `letter` + 7 digits + control.
 * Digits in even positions are added; those in odd positions are doubled and the digits
 * of the product added; control = (10 − sum mod 10) mod 10.
 */
export function cif(letter, number) {
  const digits = String(number).padStart(7, '0');
  assert.equal(digits.length, 7, `7 digits: ${digits}`);
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    if (i % 2 === 1) sum += d;
    else sum += Math.floor((2 * d) / 10) + ((2 * d) % 10);
  }
  return `${letter}${digits}${(10 - (sum % 10)) % 10}`;
}

/** The same CIF with a wrong control digit. */
export function withWrongControl(taxId) {
  const control = Number(taxId.at(-1));
  return `${taxId.slice(0, -1)}${(control + 1) % 10}`;
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/** One CSV line: cells quoted when they contain the delimiter, a quote or a line break. */
export function csvLine(cells, delimiter = ',') {
  return cells
    .map((c) => {
      const s = String(c ?? '');
      return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(delimiter);
}

/** Parses RFC 4180 CSV text (quoted cells, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(source, delimiter = ',') {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Windows-1252 bytes 0x80–0x9F, by the character they stand for. */
const CP1252_HIGH = new Map(
  [
    [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86],
    [0x2021, 0x87], [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c],
    [0x017d, 0x8e], [0x2018, 0x91], [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95],
    [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98], [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b],
    [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
  ],
);

/** Encodes text as Windows-1252 (what Excel writes on Spanish Windows), byte by byte. */
export function encodeWindows1252(str) {
  const bytes = [];
  for (const ch of str) {
    const code = ch.codePointAt(0);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else if (CP1252_HIGH.has(code)) bytes.push(CP1252_HIGH.get(code));
    else throw new Error(`"${ch}" (U+${code.toString(16)}) has no Windows-1252 byte`);
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------------------
// ZIP and XLSX (stored by Office as a ZIP of XML parts)
// ---------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of `files` (name -> text), deflated, as Office writes them. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5b21, 12); // date: 2025-09-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    local.copy(central, 6, 4, 30); // version needed … name length, extra length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The files of a ZIP archive (name -> Buffer), read from its central directory. */
export function unzip(buf) {
  const endAt = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endAt >= 0, 'a ZIP end-of-central-directory record');
  const count = buf.readUInt16LE(endAt + 10);
  let at = buf.readUInt32LE(endAt + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a ZIP central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const localAt = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    files[name] = method === 0 ? data : inflateRawSync(data);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Column letters of a 0-based index (0 → A, 26 → AA). */
function columnName(i) {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * A minimal but valid XLSX workbook with one worksheet: `rows` (arrays of strings and
 * numbers; the first is the header). Text is written as inline strings, numbers as numbers.
 */
export function xlsx(rows) {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const sheetRows = rows
    .map((cells, r) => {
      const cs = cells
        .map((v, c) => {
          const ref = `${columnName(c)}${r + 1}`;
          if (v === '' || v === null || v === undefined) return '';
          if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
          return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${cs}</row>`;
    })
    .join('');
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  return zip({
    '[Content_Types].xml':
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '</Types>',
    '_rels/.rels':
      `${head}<Relationships xmlns="${PKG}">` +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `${head}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `${head}<Relationships xmlns="${PKG}">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${head}<worksheet xmlns="${NS}"><sheetData>${sheetRows}</sheetData></worksheet>`,
  });
}

// ---------------------------------------------------------------------------
// The demo data set, for expectations
// ---------------------------------------------------------------------------

/** Lower case without accents: how a person expects a search to compare words. */
export const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The organisations the server loads with `--demo`
 * (crates/besaya/data/demo_organizations.csv), as objects keyed by the template's columns.
 */
export async function demoOrganizations() {
  const source = await readFile(new URL('../../crates/besaya/data/demo_organizations.csv', import.meta.url), 'utf8');
  const [header, ...rows] = parseCsv(source.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
