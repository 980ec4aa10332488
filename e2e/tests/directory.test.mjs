// The directory of organisations, as the Office and its members use it: searching with
// or without accents, filtering and paging, registering an organisation (with errors
// first), text that looks like code shown as text, two people editing the same record,
// importing a spreadsheet of 1,000 firms (with errors first, then clean), exporting a
// search, who may do what, and merging a duplicate.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import {
  cif,
  csvLine,
  demoOrganizations,
  download,
  encodeWindows1252,
  findOrganization,
  fold,
  listRows,
  openList,
  parseCsv,
  pathOf,
  resultCount,
  setupDirectory,
  text,
  unzip,
  uploadForImport,
  waitForReport,
  withWrongControl,
  xlsx,
} from '../lib/directory.mjs';
import { ADMIN, createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';
import { startServer } from '../lib/server.mjs';

const STAFF = { email: 'sara.staff@besaya.example', name: 'Sara Staff', role: 'staff', lang: 'es', password: 'Puerto de Requejada 1905' };
/** Reads the directory in English (the account's language). */
const PETER = { email: 'peter.pact@besaya.example', name: 'Peter Pact', role: 'pact_member', lang: 'en', password: 'Bridge over the Saja 77' };
/** Acts for "Aceros Trefilados del Besaya, S.A. (demo)", a member of the Pact. */
const CARMEN = { email: 'carmen.company@besaya.example', name: 'Carmen Company', role: 'company', lang: 'es', org: 'A39001011', password: 'Alambre trefilado 640' };
const IVAN = { email: 'ivan.investor@besaya.example', name: 'Iván Investor', role: 'investor', lang: 'es', password: 'Inversión en Tanos 2030' };

const app = useApp('directory', { setup: setupDirectory(ADMIN, STAFF, PETER, CARMEN, IVAN) });

/** The template's columns: the header of exports and imports. */
const COLUMNS = 'tax_id,name,trade_name,kind,cnae_version,cnae_codes,municipality_code,address,lat,lon,employees,size_band,description,capabilities,certifications,website,email,phone,pact_member,dir3_code'.split(',');

const FUNDICIONES = 'Fundiciones Ejemplo del Besaya, S.A. (demo)';
const SOFTWARE = 'Ejemplo Software Industrial, S.L. (demo)';
const SCRIPT_TRADE_NAME = '<script>alert(1)</script> (demo)';

/** Searches with the form: types `q` in the search box and presses "Filtrar"/"Filter". */
async function search(page, q) {
  await page.locator('#q').fill(q);
  const res = await submit(page, page.locator('form.filters button[type="submit"]'));
  assert.equal(res.status(), 200, `search "${q}"`);
  return listRows(page);
}

/** The list shows everything on one page: the count text is the number of rows. */
async function assertCountMatchesRows(page, rows, word = 'organizaciones') {
  const { count, word: shownWord } = await resultCount(page);
  assert.equal(count, rows.length, `the count text (${count}) is the number of rows shown`);
  if (count !== 1) assert.equal(shownWord, word, 'the count is worded');
  const pager = await text(page.locator('nav.pager'));
  assert.match(pager, /^(Página|Page) 1 \/ 1$/, 'one page');
}

/** Text of the demo data a search goes through. */
const searchable = (o) => fold([o.name, o.trade_name, o.description, o.capabilities].join(' '));

// The other tests load the demo data with `besaya demo` before the server starts (a
// company user must be tied to a demo organisation); this one relies on `serve --demo`
// alone, on a fresh data directory, as a developer trying Besaya does.
test('serve --demo on a fresh data directory: the directory lists the demo organisations', async (t) => {
  const demo = await demoOrganizations();
  const server = await startServer({ label: 'directory-serve-demo', setup: createUsers(ADMIN) });
  t.after(() => server.stop());
  const page = await openPage(t, app.browser, { baseURL: server.url, lang: 'es' });
  await logIn(page, ADMIN);
  await openList(page);
  const { count } = await resultCount(page);
  assert.equal(count, demo.length, `the ${demo.length} demo organisations are listed`);
});

test('search: with or without accents and with Spanish plurals, the right organisations are listed; the count is the rows shown; English labels in English', async (t) => {
  const demo = await demoOrganizations();
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await submit(page, page.locator('header nav.main-nav a[href="/directory"]'));
  assert.equal(await text(page.locator('#main h1')), 'Directorio de organizaciones');

  const expected = demo.filter((o) => searchable(o).includes('fundicion')).map((o) => o.name).sort();
  assert.ok(expected.includes(FUNDICIONES));
  const plain = await search(page, 'fundicion');
  assert.deepEqual(plain.map((r) => r.name).sort(), expected, '"fundicion" lists every organisation that mentions fundición/fundiciones');
  await assertCountMatchesRows(page, plain);
  assert.equal(plain[0].name, FUNDICIONES, 'the foundry, whose name matches, comes first');
  assert.equal(await page.locator('#q').inputValue(), 'fundicion', 'the search box keeps the words');

  const accented = await search(page, 'Fundición');
  assert.deepEqual(accented.map((r) => r.name), plain.map((r) => r.name), '"Fundición" lists the same, in the same order');
  await assertCountMatchesRows(page, accented);

  const welding = demo.filter((o) => searchable(o).includes('soldadura')).map((o) => o.name).sort();
  assert.ok(welding.length > 10, 'the demo data has many welders');
  const plural = await search(page, 'soldaduras');
  assert.deepEqual(plural.map((r) => r.name).sort(), welding, '"soldaduras" lists every organisation whose text says "soldadura"');
  await assertCountMatchesRows(page, plural);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'soldaduras', 'the search is in the address (it can be shared)');

  // A member of the Pact who chose English.
  const en = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  await logIn(en, PETER);
  assert.equal(await text(en.locator('header nav.main-nav a[href="/directory"]')), 'Directory');
  await openList(en);
  assert.equal(await en.locator('html').getAttribute('lang'), 'en');
  assert.equal(await text(en.locator('#main h1')), 'Directory of organisations');
  assert.equal(await text(en.locator('label[for="q"]')), 'Search');
  assert.equal(await text(en.locator('form.filters button[type="submit"]')), 'Filter');
  assert.equal(await en.locator('#main a[href="/directory/new"]').count(), 0, 'a reader is not offered "New organisation"');
  const english = await search(en, 'Fundición');
  assert.deepEqual(english.map((r) => r.name), plain.map((r) => r.name), 'the same results in English');
  await assertCountMatchesRows(en, english, 'organisations');
  assert.deepEqual(
    await en.locator('#main table thead th').allInnerTexts(),
    ['Legal name', 'Kind', 'Main activity', 'Municipality', 'Company size'],
    'column headers',
  );
  const foundry = english.find((r) => r.name === FUNDICIONES);
  assert.deepEqual([foundry.kind, foundry.activity, foundry.size], ['Company', '24.51 Casting of iron', 'Large'], 'kind, activity and size in English');
  const exportLinks = await en.locator('.result-count a').allInnerTexts();
  assert.deepEqual(exportLinks, ['Export to CSV', 'Export to Excel (XLSX)']);

  // Every activity has its English title (CNAE-2025 classes 25.13 and 25.14 here).
  const structures = 'Estructuras Metálicas Buelna Ejemplo, S.L. (demo)';
  const rows = await search(en, 'Estructuras Metálicas Buelna');
  const row = rows.find((r) => r.name === structures);
  assert.ok(row, `${structures} found`);
  await submit(en, en.getByRole('link', { name: structures, exact: true }));
  const activities = await en.locator('#main dl.facts ul.plain li').allInnerTexts();
  assert.equal(activities.length, 3, `three activities: ${activities.join(' | ')}`);
  const untitled = [row.activity, ...activities].filter((a) => !/^\d\d\.\d\d \S/.test(a.trim()));
  assert.deepEqual(untitled, [], 'activities shown in English without a title (list, then record)');
});

test('filters: kind, district, CNAE prefix, sorting by name and paging', async (t) => {
  const demo = await demoOrganizations();
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await openList(page);
  const all = (await resultCount(page)).count;
  assert.ok(all >= demo.length, `the demo organisations are listed (${all})`);

  // Administrations only.
  await page.locator('#kind').selectOption('administration');
  await submit(page, page.locator('form.filters button[type="submit"]'));
  const administrations = demo.filter((o) => o.kind === 'administration').map((o) => o.name).sort();
  const adminRows = await listRows(page);
  assert.deepEqual(adminRows.map((r) => r.name).sort(), administrations, 'exactly the administrations');
  assert.deepEqual([...new Set(adminRows.map((r) => r.kind))], ['Administración pública'], 'the Tipo column');
  assert.equal((await resultCount(page)).count, administrations.length);
  assert.equal(await page.locator('#kind').inputValue(), 'administration', 'the filter stays chosen');

  // …in the Besaya district only: fewer (the regional government sits in Santander).
  await page.locator('#district').check();
  await submit(page, page.locator('form.filters button[type="submit"]'));
  const districtRows = await listRows(page);
  const inDistrict = (await resultCount(page)).count;
  assert.equal(inDistrict, districtRows.length);
  assert.ok(inDistrict < administrations.length, `the district filter leaves out some administrations (${inDistrict} of ${administrations.length})`);
  const names = districtRows.map((r) => r.name);
  assert.ok(names.includes('Ayuntamiento de ejemplo de Torrelavega (demo)'), 'Torrelavega is in the district');
  assert.ok(!names.includes('Consejería de Industria, Empleo e Innovación de ejemplo (demo)'), 'Santander is not');
  assert.ok(await page.locator('#district').isChecked(), 'the checkbox stays checked');
  assert.ok(districtRows.every((r) => r.kind === 'Administración pública'), 'the kind filter still applies');

  // Activity: CNAE division 24 (basic metals), any kind, anywhere.
  await page.locator('#kind').selectOption('');
  await page.locator('#district').uncheck();
  await page.locator('#cnae').fill('24');
  await submit(page, page.locator('form.filters button[type="submit"]'));
  const metals = demo.filter((o) => o.cnae_codes.split(/,\s*/).some((c) => c.startsWith('24'))).map((o) => o.name).sort();
  const metalRows = await listRows(page);
  assert.deepEqual(metalRows.map((r) => r.name).sort(), metals, 'the organisations with a 24xx activity');
  for (const r of metalRows) assert.match(r.activity, /^24\.\d\d /, `${r.name}: main activity ${r.activity}`);
  // A class code narrows it down.
  await page.locator('#cnae').fill('24.51');
  await submit(page, page.locator('form.filters button[type="submit"]'));
  assert.deepEqual((await listRows(page)).map((r) => r.name), [FUNDICIONES], 'CNAE 24.51');

  // Everything, sorted by name: alphabetical ignoring accents and case, across pages.
  await page.locator('#cnae').fill('');
  await page.locator('#sort').selectOption('name');
  await submit(page, page.locator('form.filters button[type="submit"]'));
  const first = await listRows(page);
  assert.equal(first.length, 25, '25 organisations a page');
  const pages = Math.ceil(all / 25);
  assert.equal(await text(page.locator('nav.pager span')), `Página 1 / ${pages}`);
  const byName = (a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0);
  const names1 = first.map((r) => r.name);
  assert.deepEqual(names1, [...names1].sort(byName), 'page 1 is alphabetical');
  assert.equal(await page.locator('nav.pager a[rel="prev"]').count(), 0, 'no previous page on page 1');

  await submit(page, page.getByRole('link', { name: 'Página siguiente', exact: true }));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('page'), '2');
  assert.equal(url.searchParams.get('sort'), 'name', 'the sort is kept');
  assert.equal(await text(page.locator('nav.pager span')), `Página 2 / ${pages}`);
  const names2 = (await listRows(page)).map((r) => r.name);
  assert.equal(names2.length, Math.min(25, all - 25));
  assert.deepEqual(names2, [...names2].sort(byName), 'page 2 is alphabetical');
  assert.ok(byName(names1.at(-1), names2[0]) <= 0, `page 2 goes on where page 1 ended (${names1.at(-1)} → ${names2[0]})`);
  assert.equal(await page.locator('#sort').inputValue(), 'name');

  await submit(page, page.getByRole('link', { name: 'Página anterior', exact: true }));
  assert.deepEqual((await listRows(page)).map((r) => r.name), names1, 'back on page 1');
});

/**
 * The error of a form field: next to it (inside its .field), tied to it by aria-invalid and
 * aria-describedby, and repeated in the error summary as a link to it.
 */
async function assertFieldError(page, field, message) {
  const error = page.locator('.field', { has: page.locator(`#${field}`) }).locator(`#${field}-error`);
  assert.equal(await error.count(), 1, `#${field}-error is in the field of #${field}: ${await shownErrors(page)}`);
  assert.equal(await text(error), message, `#${field}-error`);
  const input = page.locator(`#${field}`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `#${field} aria-invalid`);
  assert.ok(((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).includes(`${field}-error`), `#${field} is described by its error`);
  const link = page.locator('.error-summary').locator(`a[href="#${field}"]`);
  assert.equal(await link.count(), 1, `the summary links to #${field}`);
  assert.equal(await text(link), message, `summary text for #${field}`);
}

test('create (staff): errors next to each field and in the summary, values kept; corrected, the record is saved; the same tax id again points to it', async (t) => {
  const TAX_ID = cif('B', 6100001);
  const BAD_TAX_ID = withWrongControl(TAX_ID);
  const NAME = 'Calderería Ejemplo del Saja, S.L. (prueba)';
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await openList(page);
  await submit(page, page.getByRole('link', { name: 'Nueva organización', exact: true }));
  assert.equal(pathOf(page), '/directory/new');
  assert.equal(await text(page.locator('#main h1')), 'Nueva organización');

  await page.locator('#name').fill(NAME);
  await page.locator('#tax_id').fill(BAD_TAX_ID);
  await page.locator('#cnae_1').fill('99.99');
  await page.locator('#municipality_code').fill('torrelavega');
  await page.locator('#website').fill('javascript:alert(1)');
  await page.locator('#lat').fill('43,3521');
  await page.locator('#employees').fill('23');
  await page.locator('#capabilities').fill('Calderería pesada, depósitos a presión y estructuras.');
  const button = page.getByRole('button', { name: 'Registrar organización', exact: true });
  const invalid = await submit(page, button);
  assert.equal(invalid.status(), 422, `status with errors: ${await shownErrors(page)}`);
  assert.equal(pathOf(page), '/directory/new');
  await assertFieldError(page, 'tax_id', `El carácter de control de «${BAD_TAX_ID}» no es correcto: revise el NIF.`);
  await assertFieldError(page, 'cnae_1', 'El código 99.99 (CNAE-2025) no existe en la clasificación.');
  await assertFieldError(page, 'website', '«javascript:alert(1)» no es una dirección web (https://…).');
  await assertFieldError(page, 'lon', 'Indique latitud y longitud a la vez, o ninguna.');
  assert.equal(await page.locator('.error-summary li').count(), 4, `four errors: ${await shownErrors(page)}`);
  for (const [field, value] of [['name', NAME], ['tax_id', BAD_TAX_ID], ['cnae_1', '99.99'], ['municipality_code', 'torrelavega'], ['website', 'javascript:alert(1)'], ['lat', '43,3521'], ['employees', '23'], ['capabilities', 'Calderería pesada, depósitos a presión y estructuras.']]) {
    assert.equal(await page.locator(`#${field}`).inputValue(), value, `#${field} keeps what was typed`);
  }
  // The summary's link takes the keyboard to the field.
  await page.locator('.error-summary a[href="#tax_id"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tax_id');

  await page.locator('#tax_id').fill(TAX_ID);
  await page.locator('#cnae_1').fill('25.22');
  await page.locator('#website').fill('https://caldereria-saja.example.es');
  await page.locator('#lon').fill('-4,0489');
  const created = await submit(page, button);
  assert.equal(created.status(), 200, `created: ${await shownErrors(page)}`);
  assert.match(pathOf(page), /^\/directory\/[0-9a-f-]{36}$/, 'on the new record');
  const recordPath = pathOf(page);
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Organización registrada.');
  assert.equal(await text(page.locator('#main h1')), NAME);
  const facts = await text(page.locator('#main dl.facts'));
  for (const shown of [`NIF ${TAX_ID}`, 'Tipo Empresa', '25.22 Fabricación de otras cisternas', 'Municipio Torrelavega', 'Ubicación 43.3521, -4.0489', 'Plantilla (personas) 23', 'Tamaño de empresa Pequeña']) {
    assert.ok(facts.includes(shown), `the record shows "${shown}": ${facts}`);
  }
  assert.equal(await page.locator('#main dl.facts a[href="https://caldereria-saja.example.es"]').count(), 1, 'the website is a link');
  assert.ok((await text(page.locator('#main'))).includes('Calderería pesada, depósitos a presión y estructuras.'));

  // Registering it again: the tax id is taken, and the page says by whom.
  await page.goto('/directory/new');
  await page.locator('#name').fill('Otra calderería (prueba)');
  await page.locator('#tax_id').fill(TAX_ID.toLowerCase());
  const duplicate = await submit(page, button);
  assert.equal(duplicate.status(), 409, 'a tax id already registered');
  await assertFieldError(page, 'tax_id', 'Ya hay una organización registrada con este NIF.');
  const existing = page.locator('.error-summary', { hasText: 'Ya existe una organización con este NIF:' });
  assert.equal(await existing.count(), 1, `says that it exists: ${await shownErrors(page)}`);
  const link = existing.getByRole('link', { name: NAME, exact: true });
  assert.equal(await link.getAttribute('href'), recordPath);
  assert.equal(await page.locator('#name').inputValue(), 'Otra calderería (prueba)', 'the name is kept');
  await submit(page, link);
  assert.equal(pathOf(page), recordPath);
  assert.equal(await text(page.locator('#main h1')), NAME);
  // When it was last changed, as a person reads a date (not a machine timestamp).
  const updated = await text(page.locator('#main p.muted', { hasText: 'Última actualización' }));
  assert.doesNotMatch(updated, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/, `a readable date: ${updated}`);
});

test('certifications written wrongly: the form and the import say why in Spanish', async (t) => {
  const ENGLISH = /\b(certification|expires|date|parts|that is not)\b/;
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await page.goto('/directory/new');
  await page.locator('#name').fill('Certificados Mal Escritos (prueba)');
  await page.locator('#tax_id').fill(cif('B', 6100003));
  await page.locator('#certifications').fill('ISO 9001:2015 | ES-0001/2024 | AENOR | 31/12/2027');
  const invalid = await submit(page, page.getByRole('button', { name: 'Registrar organización', exact: true }));
  assert.equal(invalid.status(), 422, `refused: ${await shownErrors(page)}`);
  const error = page.locator('.field', { has: page.locator('#certifications') }).locator('#certifications-error');
  assert.equal(await error.count(), 1, `the error is next to the field: ${await shownErrors(page)}`);
  assert.ok(((await page.locator('#certifications').getAttribute('aria-describedby')) ?? '').includes('certifications-error'));
  const message = await text(error);
  assert.match(message, /^La caducidad de la certificación 1 no es una fecha AAAA-MM-DD\.$/);
  assert.doesNotMatch(message, ENGLISH, `the whole message is in Spanish: ${message}`);

  const file = Buffer.from(`${csvLine(['tax_id', 'name', 'kind', 'certifications'])}\r\n${csvLine([cif('B', 6100004), 'Otra (prueba)', 'company', 'ISO 14001:2015 | GA-1 | AENOR | 2027-13-01'])}\r\n`);
  await uploadForImport(page, { name: 'certificaciones.csv', mimeType: 'text/csv', buffer: file });
  const reasons = await page.locator('#main table tbody tr td:nth-child(4)').allInnerTexts();
  assert.equal(reasons.length, 1, `one error: ${reasons.join(' | ')}`);
  assert.match(reasons[0], /certificación 1/);
  assert.doesNotMatch(reasons[0], ENGLISH, `the whole reason is in Spanish: ${reasons[0]}`);
});

test('text that looks like code (a <script> trade name) is shown as text on the list and the record, runs nothing, and is exported as it is', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await logIn(page, STAFF);
  await openList(page);
  const rows = await search(page, 'Ejemplo Software');
  const row = rows.find((r) => r.name === SOFTWARE);
  assert.ok(row, `"${SOFTWARE}" is found: ${rows.map((r) => r.name).join(' | ')}`);
  assert.equal(row.tradeName, SCRIPT_TRADE_NAME, 'the trade name is shown as text on the list');
  assert.equal(await page.locator('#main script').count(), 0, 'no script element in the content');

  await submit(page, page.getByRole('link', { name: SOFTWARE, exact: true }));
  const tradeName = page.locator('#main dl.facts dt', { hasText: 'Nombre comercial' }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await tradeName.innerText(), SCRIPT_TRADE_NAME, 'and on the record');
  assert.equal(await page.locator('#main script').count(), 0);

  await openList(page, { q: 'Ejemplo Software' });
  const csv = await download(page, page.getByRole('link', { name: 'Exportar a CSV', exact: true }));
  const cells = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  const exported = cells.find((r) => r[1] === SOFTWARE);
  assert.ok(exported, 'the organisation is in the export');
  assert.equal(exported[COLUMNS.indexOf('trade_name')], SCRIPT_TRADE_NAME, 'the export has the text literally');
  assert.deepEqual(dialogs, [], 'no dialog opened');
});

test('stale edit: when two people edit the same organisation, the second save answers 409 with both values and keeps the form; saving again wins', async (t) => {
  const NAME = 'Plásticos Técnicos Cartes, S.L. (demo)';
  const FIRST = '+34 942 111 111';
  const SECOND = '+34 942 222 222';
  const sara = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const ana = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(sara, STAFF);
  await logIn(ana, ADMIN);
  const record = await findOrganization(sara, 'Plásticos Cartes', NAME);

  // Both open the form.
  for (const page of [sara, ana]) {
    await page.goto(record);
    await submit(page, page.getByRole('link', { name: 'Editar', exact: true }));
    assert.equal(pathOf(page), `${record}/edit`);
    assert.equal(await text(page.locator('#main h1')), NAME);
  }
  const stored = await sara.locator('#phone').inputValue();

  // Ana saves first.
  await ana.locator('#phone').fill(FIRST);
  const first = await submit(ana, ana.getByRole('button', { name: 'Guardar', exact: true }));
  assert.equal(first.status(), 200, `first save: ${await shownErrors(ana)}`);
  assert.equal(pathOf(ana), record);
  assert.equal(await text(ana.locator('#main .flash[role="status"]')), 'Cambios guardados.');

  // Sara, who opened the form before, saves her own phone number and her description.
  await sara.locator('#phone').fill(SECOND);
  await sara.locator('#description').fill('Transformador de plásticos técnicos (descripción revisada).');
  const stale = await submit(sara, sara.getByRole('button', { name: 'Guardar', exact: true }));
  assert.equal(stale.status(), 409, 'the second save is refused as stale');
  assert.equal(pathOf(sara), `${record}/edit`);
  const box = sara.locator('.error-summary[role="alert"]', { hasText: 'Cambios de otra persona' });
  assert.equal(await box.count(), 1, 'the box "Cambios de otra persona"');
  assert.deepEqual(await box.locator('thead th').allInnerTexts(), ['Campo', 'Guardado ahora', 'Lo suyo']);
  const phoneRow = box.locator('tbody tr', { has: sara.locator('th', { hasText: /^Teléfono$/ }) });
  assert.equal(await phoneRow.count(), 1, `a row for the phone: ${await text(box)}`);
  assert.deepEqual(await phoneRow.locator('td').allInnerTexts(), [FIRST, SECOND], 'stored now (Ana\'s) and Sara\'s');
  assert.notEqual(stored, FIRST);
  assert.equal(await sara.locator('#phone').inputValue(), SECOND, 'Sara\'s phone is still in the form');
  assert.equal(await sara.locator('#description').inputValue(), 'Transformador de plásticos técnicos (descripción revisada).', 'and her description');

  const again = await submit(sara, sara.getByRole('button', { name: 'Guardar', exact: true }));
  assert.equal(again.status(), 200, `saving again: ${await shownErrors(sara)}`);
  assert.equal(pathOf(sara), record);
  assert.equal(await text(sara.locator('#main .flash[role="status"]')), 'Cambios guardados.');
  const facts = await text(sara.locator('#main dl.facts'));
  assert.ok(facts.includes(`Teléfono ${SECOND}`), `the record has Sara's phone: ${facts}`);
  assert.ok((await text(sara.locator('#main'))).includes('(descripción revisada)'));
});

/** A firm of the generated import file. */
function firm(i) {
  return {
    tax_id: cif('B', 6000000 + i),
    name: i === 500 ? 'Fundición Peña, S.L. (prueba)' : `Talleres Importados ${String(i).padStart(4, '0')}, S.L. (prueba)`,
    kind: 'company',
    cnae_codes: '2553',
    municipality_code: '39087',
    employees: String(5 + (i % 40)),
    description: i === 500 ? 'Fundición de bronce; inversión prevista de 2 millones de €.' : 'Taller de mecanizado.',
  };
}
const IMPORT_COLUMNS = ['tax_id', 'name', 'kind', 'cnae_codes', 'municipality_code', 'employees', 'description'];

test('import: a CSV of 1,000 firms with 20 bad rows is refused with each row and column; nothing is imported; corrected (Windows-1252, semicolons), all 1,000 are', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await openList(page);
  const before = (await resultCount(page)).count;

  // 1,000 firms; 20 rows spoilt in five ways, four of each.
  const firms = Array.from({ length: 1000 }, (_, i) => firm(i));
  const bad = firms.map((f) => ({ ...f }));
  const expected = []; // [row, column, value]
  const row = (i) => i + 2; // the header is row 1
  for (const k of [0, 1, 2, 3]) {
    const base = 100 * k;
    let i = base + 10;
    bad[i].tax_id = withWrongControl(firms[i].tax_id);
    expected.push([row(i), 'tax_id', bad[i].tax_id]);
    i = base + 20;
    bad[i].municipality_code = '99999';
    expected.push([row(i), 'municipality_code', '99999']);
    i = base + 30;
    bad[i].employees = 'muchos';
    expected.push([row(i), 'employees', 'muchos']);
    i = base + 40;
    bad[i].tax_id = firms[i - 1].tax_id;
    expected.push([row(i), 'tax_id', firms[i - 1].tax_id]);
    i = base + 50;
    bad[i].kind = 'nave';
    expected.push([row(i), 'kind', 'nave']);
  }
  const toCsv = (list, delimiter) => [IMPORT_COLUMNS, ...list.map((f) => IMPORT_COLUMNS.map((c) => f[c]))].map((r) => csvLine(r, delimiter)).join('\r\n') + '\r\n';
  const badFile = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv(bad, ','), 'utf8')]);

  await submit(page, page.getByRole('link', { name: 'Importar hoja de cálculo', exact: true }));
  assert.equal(pathOf(page), '/directory/import');
  const refused = await uploadForImport(page, { name: 'empresas.csv', mimeType: 'text/csv', buffer: badFile });
  t.diagnostic(`progress bar seen while checking: ${refused.sawProgress}`);
  const summary = page.locator('#main .error-summary[role="alert"]');
  assert.equal(await text(summary.locator('h2')), '20 errores en el archivo');
  assert.ok((await text(summary)).includes('No se ha importado nada'), await text(summary));
  assert.equal(await page.locator('form[action$="/commit"]').count(), 0, 'no import button');
  assert.deepEqual(await page.locator('#main table thead th').allInnerTexts(), ['Fila', 'Columna', 'Valor', 'Motivo']);
  const shown = await page.locator('#main table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.innerText.trim())));
  assert.equal(shown.length, 20, `20 rows in the report:\n${shown.map((r) => r.join(' | ')).join('\n')}`);
  const byRow = (a, b) => a[0] - b[0];
  assert.deepEqual(
    shown.map(([r, c, v]) => [Number(r), c, v]).sort(byRow),
    expected.sort(byRow),
    'each bad row, with its row number (header = 1), column and value',
  );
  for (const [r, , , why] of shown) assert.ok(why.length > 10, `row ${r} says why: ${why}`);
  const repeated = shown.find(([r]) => Number(r) === row(40));
  assert.equal(repeated[3], `NIF repetido: ya aparece en la fila ${row(39)}.`);

  const report = await download(page, page.getByRole('link', { name: 'Descargar el informe (CSV)', exact: true }));
  const reportRows = parseCsv(report.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
  assert.deepEqual(reportRows[0], ['Fila', 'Columna', 'Valor', 'Motivo'], 'the report has a header');
  assert.deepEqual(
    reportRows.slice(1).map(([r, c, v]) => [Number(r), c, v]).sort(byRow),
    expected,
    'the downloaded report lists the same 20 errors',
  );

  await openList(page);
  assert.equal((await resultCount(page)).count, before, 'nothing was imported');

  // The corrected file, as Excel saves it on a Spanish Windows: Windows-1252, semicolons.
  const goodFile = encodeWindows1252(toCsv(firms, ';'));
  assert.ok(goodFile.includes(Buffer.from([0x50, 0x65, 0xf1, 0x61])), 'the file has "Peña" in Windows-1252');
  await page.goto('/directory/import');
  await uploadForImport(page, { name: 'empresas-corregido.csv', mimeType: 'text/csv', buffer: goodFile });
  const notice = page.locator('#main .notice[role="status"]');
  assert.match(await text(notice), /^El archivo está limpio: 1000 filas válidas\. 1000 nuevas\./, await shownErrors(page));
  const commit = page.getByRole('button', { name: 'Importar las 1000 filas', exact: true });
  await submit(page, commit);
  await page.locator('#main .notice[role="status"]', { hasText: 'organizaciones nuevas' }).waitFor({ timeout: 60_000 });
  assert.match(await text(page.locator('#main .notice[role="status"]')), /^1000 organizaciones nuevas\./);

  await openList(page);
  assert.equal((await resultCount(page)).count, before + 1000, 'the directory has 1,000 more organisations');
  const found = await search(page, 'Fundición Peña');
  const pena = found.find((r) => r.name === 'Fundición Peña, S.L. (prueba)');
  assert.ok(pena, `"Fundición Peña" is found with its accents: ${found.map((r) => r.name).join(' | ')}`);
  assert.equal(pena.municipality, 'Torrelavega');
  assert.match(pena.activity, /^25\.53 /);
  await submit(page, page.getByRole('link', { name: 'Fundición Peña, S.L. (prueba)', exact: true }));
  assert.ok((await text(page.locator('#main'))).includes('inversión prevista de 2 millones de €.'), 'the € sign of Windows-1252 too');
});

test('import: an XLSX workbook is read too, with the row numbers of the sheet', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  const header = ['NIF', 'Razón social', 'Tipo', 'CNAE', 'Municipio', 'Empleados'];
  const rows = [
    [cif('B', 6200001), 'Mecanizados Hoja de Cálculo, S.L. (prueba)', 'Empresa', '25.62', 'Torrelavega', 12],
    [cif('B', 6200002), 'Pinturas Industriales Ñansa, S.L. (prueba)', 'company', '2561', '39087', 7],
  ];
  const spoilt = xlsx([header, ...rows, [cif('B', 6200003), 'Tercera (prueba)', 'company', '2562', '39087', 'muchos']]);
  await uploadForImport(page, { name: 'empresas.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: spoilt });
  assert.equal(await text(page.locator('#main .error-summary h2')), '1 error en el archivo', await shownErrors(page));
  const shown = await page.locator('#main table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 3).map((td) => td.innerText.trim())));
  assert.deepEqual(shown, [['4', 'employees', 'muchos']], 'row 4 of the sheet, column employees');

  await uploadForImport(page, { name: 'empresas.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx([header, ...rows]) });
  assert.match(await text(page.locator('#main .notice[role="status"]')), /^El archivo está limpio: 2 filas válidas\./, await shownErrors(page));
  await submit(page, page.getByRole('button', { name: 'Importar las 2 filas', exact: true }));
  await page.locator('#main .notice[role="status"]', { hasText: 'organizaciones nuevas' }).waitFor({ timeout: 30_000 });
  const found = await openList(page, { q: 'Ñansa' }).then(() => listRows(page));
  assert.deepEqual(found.map((r) => [r.name, r.kind, r.municipality]), [['Pinturas Industriales Ñansa, S.L. (prueba)', 'Empresa', 'Torrelavega']]);
  const first = await openList(page, { q: 'Hoja de Cálculo' }).then(() => listRows(page));
  assert.deepEqual(first.map((r) => [r.name, r.kind, r.municipality, r.activity.slice(0, 6)]), [['Mecanizados Hoja de Cálculo, S.L. (prueba)', 'Empresa', 'Torrelavega', '25.62 ']], 'kind and municipality given by their Spanish names');
});

test('import template: downloadable from the import page with the columns; its example row passes the check as it is', async (t) => {
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await page.goto('/directory/import');
  assert.equal(await text(page.locator('#main h1')), 'Importar organizaciones');
  const template = await download(page, page.getByRole('link', { name: 'Descargar la plantilla (CSV)', exact: true }));
  assert.match(template.name, /\.csv$/);
  assert.deepEqual([...template.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
  const [header, example, ...more] = parseCsv(template.bytes.toString('utf8').slice(1)).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(header, COLUMNS, 'the columns of the import');
  assert.equal(more.length, 0, 'one example row');
  assert.equal(example.length, COLUMNS.length);

  // People start from the example: as downloaded, it must be a valid row.
  await uploadForImport(page, { name: template.name, mimeType: 'text/csv', buffer: template.bytes });
  const notice = page.locator('#main .notice[role="status"]');
  assert.equal(await notice.count(), 1, `the template's example row is valid: ${await shownErrors(page)} ${(await page.locator('#main table tbody').allInnerTexts()).join(' ')}`);
  assert.match(await text(notice), /^El archivo está limpio: 1 fila válida\. 1 nueva\./, 'one row, in the singular');
  assert.equal(await text(page.locator('form[action$="/commit"] button')), 'Importar la fila', 'the button, in the singular');
});

test('export: the links download the filtered search as CSV (BOM, template header, one row per result, formulas neutralised) and as XLSX', async (t) => {
  const demo = await demoOrganizations();
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await openList(page);
  await page.locator('#kind').selectOption('administration');
  await submit(page, page.locator('form.filters button[type="submit"]'));
  const { count } = await resultCount(page);
  const administrations = demo.filter((o) => o.kind === 'administration');
  assert.equal(count, administrations.length);

  const csvLink = page.getByRole('link', { name: 'Exportar a CSV', exact: true });
  assert.match(await csvLink.getAttribute('href'), /^\/directory\/export\.csv\?.*\bkind=administration\b/, 'the link carries the filter');
  const csv = await download(page, csvLink);
  assert.match(csv.name, /\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark (for Excel)');
  const source = csv.bytes.toString('utf8').slice(1);
  const [header, ...rows] = parseCsv(source).filter((r) => r.some((c) => c !== ''));
  assert.deepEqual(header.slice(0, COLUMNS.length), COLUMNS, 'the template\'s columns first');
  assert.deepEqual(header.slice(COLUMNS.length), ['updated_on'], 'then only the date of the last change (read-only)');
  assert.equal(rows.length, count, 'one row per result');
  assert.deepEqual(rows.map((r) => r[1]).sort(), administrations.map((o) => o.name).sort(), 'the administrations');
  assert.ok(rows.every((r) => r[COLUMNS.indexOf('kind')] === 'administration'));
  const reocin = rows.find((r) => r[0] === 'P3900208D');
  assert.equal(reocin?.[1], 'Ayuntamiento de ejemplo de Reocín (demo)', 'accents intact');
  assert.equal(reocin[COLUMNS.indexOf('dir3_code')], 'L01390600');

  // The export goes back in as it is: every row updates its record, none is new.
  await page.goto('/directory/import');
  await uploadForImport(page, { name: csv.name, mimeType: 'text/csv', buffer: csv.bytes });
  const notice = page.locator('#main .notice[role="status"]');
  assert.equal(await notice.count(), 1, `the export imports back cleanly: ${await shownErrors(page)} ${(await page.locator('#main table tbody').allInnerTexts()).join(' ')}`);
  assert.match(await text(notice), new RegExp(`^El archivo está limpio: ${count} filas válidas\\. 0 nuevas\\. ${count} actualizaciones\\.$`));
  await openList(page, { kind: 'administration' });

  const xlsxLink = page.getByRole('link', { name: 'Exportar a Excel (XLSX)', exact: true });
  assert.match(await xlsxLink.getAttribute('href'), /^\/directory\/export\.xlsx\?.*\bkind=administration\b/);
  const book = await download(page, xlsxLink);
  assert.match(book.name, /\.xlsx$/);
  assert.equal(book.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a ZIP (Office Open XML) file');
  const parts = unzip(book.bytes);
  const sheetName = Object.keys(parts).find((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  assert.ok(sheetName, `a worksheet in ${Object.keys(parts).join(', ')}`);
  const sheet = parts[sheetName].toString('utf8');
  assert.equal(sheet.match(/<row\b/g)?.length, count + 1, 'header and one row per result in the sheet');
  const allText = Object.values(parts).map((b) => b.toString('utf8')).join('');
  assert.ok(allText.includes('Ayuntamiento de ejemplo de Reocín (demo)'), 'accents intact in the workbook');

  // A capability that starts with "=" must not become a formula in Excel.
  await openList(page, { q: 'Datos y Nube' });
  const nube = await download(page, page.getByRole('link', { name: 'Exportar a CSV', exact: true }));
  const [, ...nubeRows] = parseCsv(nube.bytes.toString('utf8').slice(1));
  const datos = nubeRows.find((r) => r[1] === 'Datos y Nube Ejemplo, S.L. (demo)');
  assert.ok(datos, 'the organisation is exported');
  assert.ok(
    datos[COLUMNS.indexOf('capabilities')].startsWith(`'=HYPERLINK("http://example.es","x")`),
    `the formula is neutralised with an apostrophe: ${datos[COLUMNS.indexOf('capabilities')].slice(0, 40)}`,
  );
  assert.equal(datos[COLUMNS.indexOf('phone')], "'+34 942 000 840", 'so is a phone number starting with +');
});

test('roles: a company edits its own organisation (not its kind, tax id or Pact membership), and not another', async (t) => {
  const OWN = 'Aceros Trefilados del Besaya, S.A. (demo)';
  const carmen = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(carmen, CARMEN);
  assert.equal(await text(carmen.locator('header nav.main-nav a[href="/directory"]')), 'Directorio');
  await openList(carmen);
  assert.equal(await carmen.locator('#main a[href="/directory/new"], #main a[href="/directory/import"]').count(), 0, 'no "Nueva organización" or import for a company');
  const own = await findOrganization(carmen, 'Aceros Trefilados', OWN);
  const other = await findOrganization(carmen, 'Fundiciones', FUNDICIONES);

  await carmen.goto(own);
  assert.ok((await text(carmen.locator('#main dl.facts'))).includes('Miembro del Pacto Industrial Sí'));
  await submit(carmen, carmen.getByRole('link', { name: 'Editar', exact: true }));
  assert.equal(pathOf(carmen), `${own}/edit`);
  assert.ok(await carmen.locator('#kind').isDisabled(), 'the kind cannot be changed');
  assert.equal(await carmen.locator('#tax_id').getAttribute('readonly'), '', 'the tax id is read-only');
  assert.ok(await carmen.locator('#pact_member').isDisabled(), 'Pact membership is the Office\'s');
  await carmen.locator('#capabilities').fill('Trefilado en frío de alambrón; nueva línea de galvanizado (2026).');
  // Someone editing the page by hand cannot change what the form does not let them.
  await carmen.evaluate(() => {
    const kind = document.getElementById('kind');
    kind.disabled = false;
    kind.value = 'union';
    const tax = document.getElementById('tax_id');
    tax.readOnly = false;
    tax.value = 'B39001029';
  });
  const saved = await submit(carmen, carmen.getByRole('button', { name: 'Guardar', exact: true }));
  assert.equal(saved.status(), 200, `saved: ${await shownErrors(carmen)}`);
  assert.equal(pathOf(carmen), own);
  assert.equal(await text(carmen.locator('#main .flash[role="status"]')), 'Cambios guardados.');
  assert.ok((await text(carmen.locator('#main'))).includes('nueva línea de galvanizado (2026)'), 'the capabilities changed');
  const facts = await text(carmen.locator('#main dl.facts'));
  assert.ok(facts.includes('Tipo Empresa'), `still a company: ${facts}`);
  assert.ok(facts.includes('NIF A39001011'), `same tax id: ${facts}`);

  await carmen.goto(other);
  assert.equal(await carmen.getByRole('link', { name: 'Editar', exact: true }).count(), 0, 'no "Editar" on another organisation');
  const forbidden = await carmen.goto(`${other}/edit`);
  assert.equal(forbidden.status(), 403, 'another organisation\'s form');
  assert.equal(await text(carmen.locator('#main h1')), 'Acceso no permitido');
  assert.equal((await carmen.goto('/directory/new')).status(), 403, 'a company cannot register organisations');
  assert.equal((await carmen.goto('/directory/import')).status(), 403, 'nor import');

  // Saving its profile does not take the company out of the Pact (a disabled checkbox is
  // not sent with the form).
  await carmen.goto(own);
  const after = await text(carmen.locator('#main dl.facts'));
  assert.ok(after.includes('Miembro del Pacto Industrial Sí'), `still a member of the Pact after its own edit: ${after}`);
});

test('roles: an investor has no directory; a member of the Pact reads it and changes nothing', async (t) => {
  const reader = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(reader, STAFF);
  const other = await findOrganization(reader, 'Fundiciones', FUNDICIONES);

  // An investor, outside the alliance.
  const ivan = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(ivan, IVAN);
  assert.equal(await ivan.locator('header a[href^="/directory"]').count(), 0, 'no "Directorio" link for an investor');
  for (const path of ['/directory', other, '/directory/export.csv?kind=company']) {
    const res = await ivan.goto(path).catch((e) => (/Download is starting/.test(e.message) ? { status: () => 'a download' } : Promise.reject(e)));
    assert.equal(res.status(), 403, `investor on ${path}`);
  }
  assert.equal(await text(ivan.locator('#main h1')), 'Acceso no permitido');

  // A member of the Pact reads, and changes nothing.
  const peter = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  await logIn(peter, PETER);
  assert.equal((await peter.goto(other)).status(), 200, 'a Pact member reads a record');
  assert.equal(await text(peter.locator('#main h1')), FUNDICIONES);
  assert.equal(await peter.getByRole('link', { name: 'Edit', exact: true }).count(), 0, 'no "Edit"');
  assert.equal(await peter.locator('#from_tax_id').count(), 0, 'no merge form');
  assert.equal((await peter.goto(`${other}/edit`)).status(), 403, 'a Pact member edits nothing');
});

test('merge (administrator): a duplicate registered under another tax id is merged by its tax id into the record that stays; its page is gone; the change log shows it', async (t) => {
  const NAME = 'Refractarios Ejemplo, S.L. (demo)';
  const DUP_TAX_ID = cif('B', 6100002);
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, ADMIN);
  const survivor = await findOrganization(page, 'Refractarios', NAME);

  // The duplicate, with a trade name the record that stays lacks.
  await page.goto('/directory/new');
  await page.locator('#name').fill(NAME);
  await page.locator('#trade_name').fill('Refractarios Tanos');
  await page.locator('#tax_id').fill(DUP_TAX_ID);
  await page.locator('#municipality_code').fill('Torrelavega');
  const created = await submit(page, page.getByRole('button', { name: 'Registrar organización', exact: true }));
  assert.equal(created.status(), 200, `duplicate created: ${await shownErrors(page)}`);
  const duplicate = pathOf(page);
  assert.notEqual(duplicate, survivor);
  await openList(page, { q: 'Refractarios' });
  assert.equal((await listRows(page)).filter((r) => r.name === NAME).length, 2, 'two records with the same name');

  await page.goto(survivor);
  const box = page.locator('#main .admin-box');
  assert.equal(await text(box.locator('h2')), 'Fusionar un duplicado');
  const candidate = box.getByRole('link', { name: NAME, exact: true });
  assert.equal(await candidate.getAttribute('href'), duplicate, 'the duplicate is suggested');
  assert.ok((await text(box)).includes(DUP_TAX_ID), 'with its tax id');
  await page.locator('#from_tax_id').fill(DUP_TAX_ID);
  const merged = await submit(page, page.getByRole('button', { name: 'Fusionar en esta ficha', exact: true }));
  assert.equal(merged.status(), 200, `merged: ${await shownErrors(page)}`);
  assert.equal(pathOf(page), survivor, 'still on the record that stays');
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Duplicado fusionado en esta ficha.');
  const facts = await text(page.locator('#main dl.facts'));
  assert.ok(facts.includes('NIF B39001359'), `the record keeps its tax id: ${facts}`);
  assert.ok(facts.includes('Nombre comercial Refractarios Tanos'), `the missing trade name came from the duplicate: ${facts}`);
  assert.equal(await box.getByRole('link', { name: NAME, exact: true }).count(), 0, 'no duplicate suggested any more');

  const gone = await page.goto(duplicate);
  assert.equal(gone.status(), 404, 'the duplicate\'s page');
  await openList(page, { q: 'Refractarios' });
  assert.equal((await listRows(page)).filter((r) => r.name === NAME).length, 1, 'one record with the name');

  await page.goto(survivor);
  await submit(page, box.getByRole('link', { name: 'Registro de cambios', exact: true }));
  assert.equal(pathOf(page), '/admin/audit');
  assert.equal(await text(page.locator('#main h1')), 'Registro de cambios');
  const entries = await page.locator('#main table tbody tr').allInnerTexts();
  const id = survivor.split('/').pop();
  assert.ok(entries.length > 0 && entries.every((e) => e.includes(id)), `only this record's entries:\n${entries.join('\n')}`);
  assert.ok(entries.some((e) => e.includes(ADMIN.email) && e.includes('Refractarios Tanos')), `the change by the merge:\n${entries.join('\n')}`);
  // The duplicate's own entries end with the merge.
  const duplicateLog = await page.goto(`/admin/audit?entity=organization&entity_id=${duplicate.split('/').pop()}`);
  assert.equal(duplicateLog.status(), 200);
  const merges = await page.locator('#main table tbody tr').allInnerTexts();
  assert.ok(merges.some((e) => /\bmerge\b/.test(e) && e.includes(ADMIN.email) && e.includes(id)), `the duplicate's log has the merge into ${id}:\n${merges.join('\n')}`);
  // …but the record that stays must say so too: its change log is the one linked from its page.
  assert.ok(
    entries.some((e) => /\bmerge\b/.test(e) || e.includes(DUP_TAX_ID)),
    `the change log of the record that stays names the merge (or the duplicate's tax id):\n${entries.join('\n')}`,
  );
});
