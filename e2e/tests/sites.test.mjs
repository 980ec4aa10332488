// The catalogue of industrial land and buildings (`/sites`), as investors and the office
// use it: the search on a phone down to a comparison and a printed sheet, the matching
// form, filters that leave out what is not known, a site's page, the open data, the
// office registering a site with photos, documents and a reservation, the list of facts
// to verify again, and who may do what. Expectations come from the demo data set
// (crates/besaya/data/demo_sites.json) that `serve --demo` loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { download, parseCsv, pathOf, text } from '../lib/directory.mjs';
import { createUsers, logIn, shownErrors, submit } from '../lib/identity.mjs';
import {
  canvasPng,
  daysSince,
  factRows,
  isoDay,
  mapMarkers,
  matchResults,
  minimalPdf,
  openCatalogue,
  pdfPageCount,
  publishedDemoSites,
  demoSites,
  siteCards,
  siteCount,
  siteIdsByReference,
  spanishDate,
  spanishNumber,
  uploadSiteFile,
} from '../lib/sites.mjs';

const STAFF = { email: 'sara.staff@besaya.example', name: 'Sara Staff', role: 'staff', lang: 'es', password: 'Puerto de Requejada 1905' };
const CARMEN = { email: 'carmen.company@besaya.example', name: 'Carmen Company', role: 'company', lang: 'es', password: 'Alambre trefilado 640' };

const app = useApp('sites', { setup: createUsers(STAFF, CARMEN) });

// The journey's search: plots of 5,000–20,000 m² with at least 1,000 kVA and a rail siding.
const AREA = [5000, 20000];
const POWER = 1000;
const fitsJourney = (s) => s.kind === 'plot' && s.area_m2 !== null && s.area_m2 >= AREA[0] && s.area_m2 <= AREA[1] && s.power_kva !== null && s.power_kva >= POWER && s.rail_siding === true;
// Near misses: they would fit, but the power or the rail siding is not known.
const NEAR_MISSES = ['TV-P07', 'TV-P15', 'BA-P05', 'RQ-P10', 'LE-P01', 'SA-P01'];

/** The page fits the window's width: no horizontal scrolling, no layout widened by the browser. */
async function assertFitsWidth(page, width, what) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.equal(m.inner, width, `${what}: the layout is ${m.inner}px wide, not ${width}px: the browser widened it`);
  assert.ok(m.scroll <= m.inner, `${what}: horizontal scroll, content ${m.scroll}px wide in a ${m.inner}px window`);
}

/** The labels of the facts a card shows, in Spanish. */
const CARD = { area: 'Superficie bruta', power: 'Potencia eléctrica disponible', rail: 'Apartadero ferroviario' };

/** Fact table labels (site page, sheet, comparison) of demo fields, in each language. */
const LABELS = {
  es: {
    area_m2: 'Superficie bruta',
    power_kva: 'Potencia eléctrica disponible',
    rail_siding: 'Apartadero ferroviario',
    gas: 'Gas natural',
    sewerage: 'Saneamiento',
    fibre: 'Fibra óptica',
    rent_m2_month: 'Alquiler',
    rent_to_buy: 'Alquiler con opción de compra',
    water_m3_day: 'Agua',
    voltage_kv: 'Tensión',
    motorway_km: 'Distancia a la autovía (A-67/A-8)',
  },
  en: {
    area_m2: 'Gross area',
    power_kva: 'Electrical capacity available',
    rail_siding: 'Rail siding',
    rent_to_buy: 'Rent with option to buy',
    motorway_km: 'Distance to the motorway (A-67/A-8)',
  },
};

test('journey on a phone: plots of 5.000–20.000 m² with 1.000 kVA and rail; the map shows the same sites; two compared side by side; the sheet prints on one A4 page', async (t) => {
  const expected = (await publishedDemoSites()).filter(fitsJourney).map((s) => s.reference).sort();
  assert.deepEqual(expected, ['BA-P02', 'BA-P14', 'RQ-P02', 'RQ-P06', 'TV-P03'], 'the demo data has the plots the issue names');
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es', device: 'phone' });

  await page.goto('/');
  await submit(page, page.locator('header nav.main-nav a[href="/sites"]'));
  assert.equal(pathOf(page), '/sites');
  const filters = page.getByRole('search');
  await filters.locator('#area_min').fill('5.000');
  await filters.locator('#area_max').fill('20.000');
  await filters.locator('#min_power_kva').fill('1000');
  await filters.locator('#rail').check();
  await filters.locator('#kind').selectOption({ label: 'Parcela' });
  // The map's request for the filtered sites (not the one of the page before, which may still be arriving).
  const geojson = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/open-data/sites.geojson' && u.searchParams.get('rail') === 'yes';
  });
  const res = await submit(page, filters.locator('button[type="submit"]'));
  assert.equal(res.status(), 200, `the search: ${await shownErrors(page)}`);
  const query = new URL(page.url()).searchParams;
  assert.deepEqual(
    ['area_min', 'area_max', 'min_power_kva', 'rail', 'kind'].map((k) => query.get(k)),
    ['5.000', '20.000', '1000', 'yes', 'plot'],
    'the search is in the address (it can be shared)',
  );
  assert.equal(await filters.locator('#area_min').inputValue(), '5.000', 'the form keeps what was typed');
  assert.ok(await filters.locator('#rail').isChecked(), 'the rail box stays ticked');

  const cards = await siteCards(page);
  assert.equal(await siteCount(page), cards.length, 'the count is the cards shown');
  for (const c of cards) {
    const area = c.facts[CARD.area];
    const power = c.facts[CARD.power];
    const rail = c.facts[CARD.rail];
    assert.ok(area && !area.unknown, `${c.reference}: an area (${JSON.stringify(area)})`);
    const m2 = spanishNumber(area.value);
    assert.ok(m2 >= AREA[0] && m2 <= AREA[1], `${c.reference}: ${area.value} within 5.000–20.000 m²`);
    assert.match(area.value, /^\d{1,3}(\.\d{3})* m²$/, `${c.reference}: area written the Spanish way`);
    assert.ok(power && !power.unknown && spanishNumber(power.value) >= POWER, `${c.reference}: power ${power?.value} ≥ 1.000 kVA`);
    assert.equal(rail?.value, 'Sí', `${c.reference}: rail siding`);
  }
  const shown = cards.map((c) => c.reference).sort();
  assert.deepEqual(shown, expected, 'exactly the plots that fit');
  assert.deepEqual(shown.filter((r) => NEAR_MISSES.includes(r)), [], 'no site whose power or rail siding is unknown');

  // The map draws the same sites: one marker per card.
  const sites = await (await geojson).json();
  assert.deepEqual(
    Object.fromEntries(new URL((await geojson).url()).searchParams),
    Object.fromEntries([...query].filter(([, v]) => v !== '')),
    'the map asks for the same filters (those filled in)',
  );
  assert.equal(sites.features.length, cards.length, 'the map\'s GeoJSON has one feature per card');
  const map = await mapMarkers(page);
  assert.equal(map.error, null, 'the map loaded');
  assert.equal(map.drawn, cards.length, 'the map drew one site per card');
  assert.equal(map.markers, cards.length, 'one marker per card on the map');

  await assertFitsWidth(page, 390, 'the catalogue');

  // Two of them side by side.
  const [first, second] = cards;
  await page.locator(`#${first.checkbox}`).check();
  await page.locator(`#${second.checkbox}`).check();
  const compared = await submit(page, page.getByRole('button', { name: 'Comparar los marcados', exact: true }));
  assert.equal(compared.status(), 200);
  assert.equal(pathOf(page), '/sites/compare');
  assert.deepEqual(new URL(page.url()).searchParams.getAll('id'), [first.href, second.href].map((h) => h.split('/').pop()));
  const heads = await page.locator('.compare-table thead th').allInnerTexts();
  assert.equal(heads.length, 3, `a column of labels and one per site: ${heads.join(' | ')}`);
  assert.deepEqual(
    heads.slice(1).map((h) => h.replace(/\s+/g, ' ').trim()),
    [first, second].map((c) => `${c.name} ${c.reference}`),
    'the columns name the two sites and their references',
  );
  const row = async (label) => (await page.locator('.compare-table tbody tr', { has: page.locator('th', { hasText: label }) }).first().locator('td').allInnerTexts()).map((v) => v.trim());
  assert.deepEqual(await row(CARD.area), [first.facts[CARD.area].value, second.facts[CARD.area].value], 'areas side by side');
  assert.deepEqual(await row(CARD.power), [first.facts[CARD.power].value, second.facts[CARD.power].value], 'power side by side');
  assert.deepEqual(await row(CARD.rail), ['Sí', 'Sí'], 'rail sidings side by side');
  await assertFitsWidth(page, 390, 'the comparison (its table scrolls inside itself)');

  // The sheet of the first one, printed.
  await submit(page, page.locator(`.compare-table thead a[href="${first.href}"]`));
  assert.equal(pathOf(page), first.href);
  await submit(page, page.getByRole('link', { name: 'Ficha para imprimir', exact: true }));
  assert.equal(pathOf(page), `${first.href}/sheet`);
  assert.equal(await text(page.locator('h1')), `${first.name} · ${first.reference}`);
  const sheetFacts = await factRows(page);
  assert.equal(sheetFacts[CARD.area]?.value, first.facts[CARD.area].value, 'the sheet has the area');
  await page.locator('.site-map .leaflet-marker-icon').waitFor({ state: 'attached' });

  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('.sheet-facts').isVisible(), 'the facts are printed');
  assert.ok(await page.locator('.sheet-head h1').isVisible(), 'the heading is printed');
  assert.ok(!(await page.locator('.no-print').first().isVisible()), 'the link back and the print button are not printed');
  assert.ok(!(await page.locator('button.js-print').isVisible()), 'no print button on paper');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  assert.equal(pdfPageCount(pdf), 1, 'the sheet prints on one A4 page');

  // The site page printed: no header, navigation or footer of the site; the facts.
  await page.goto(first.href);
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['header.site-header', 'nav.main-nav', 'footer.site-footer', '#main .actions']) {
    assert.ok(!(await page.locator(sel).first().isVisible()), `${sel} is not printed`);
  }
  assert.ok(await page.locator('#main .fact-group').first().isVisible(), 'the facts are printed');
  assert.ok(await page.locator('#main h1').isVisible(), 'the heading is printed');
});

test('matching: required area, power and rail, preferred gas; full matches first, then sites lacking a required fact; errors next to the field; English reasons', async (t) => {
  const demo = await publishedDemoSites();
  const inArea = (s) => s.area_m2 !== null && s.area_m2 >= AREA[0] && s.area_m2 <= AREA[1];
  const fails = (s) => (s.area_m2 !== null && !inArea(s)) || (s.power_kva !== null && s.power_kva < POWER) || s.rail_siding === false;
  const unknown = (s) => s.area_m2 === null || s.power_kva === null || s.rail_siding === null;
  const full = demo.filter((s) => !fails(s) && !unknown(s)).map((s) => s.reference).sort();
  const incomplete = demo.filter((s) => !fails(s) && unknown(s)).map((s) => s.reference).sort();
  assert.deepEqual(incomplete, [...NEAR_MISSES].sort(), 'the demo data has the near misses the issue names');

  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await openCatalogue(page);
  await submit(page, page.getByRole('link', { name: 'Buscar según mis requisitos', exact: true }));
  assert.equal(pathOf(page), '/sites/match');
  await page.locator('#area_min').fill('5000');
  await page.locator('#area_max').fill('20000');
  await page.locator('#area_imp').selectOption('required');
  await page.locator('#power').fill('1000');
  await page.locator('#power_imp').selectOption('required');
  await page.locator('#rail').selectOption('required');
  await page.locator('#gas').selectOption('preferred');
  const button = page.locator('form.match-form button[type="submit"]');
  const res = await submit(page, button);
  assert.equal(res.status(), 200, `results: ${await shownErrors(page)}`);
  assert.equal(new URL(page.url()).searchParams.get('go'), '1');
  assert.equal(await page.locator('#power').inputValue(), '1000', 'the form keeps the criteria');
  assert.equal(await page.locator('#gas').inputValue(), 'preferred');

  assert.equal(
    await text(page.locator('.match-results [role="status"]')),
    `De ${demo.length} emplazamientos: ${full.length} cumplen todo lo obligatorio, ${incomplete.length} podrían cumplirlo pero les falta algún dato y ${demo.length - full.length - incomplete.length} quedan descartados.`,
  );
  const results = await matchResults(page);
  assert.equal(results.length, full.length + incomplete.length, 'every site that could do is listed');
  const MATCH = 'Cumple lo obligatorio';
  const INCOMPLETE = 'Falta algún dato obligatorio: consulte a la oficina';
  const head = results.slice(0, full.length);
  assert.deepEqual(head.map((r) => r.status), full.map(() => MATCH), 'the first results meet every requirement');
  assert.deepEqual(head.map((r) => r.reference).sort(), full, 'the full matches');
  const tail = results.slice(full.length);
  assert.deepEqual(tail.map((r) => r.status), incomplete.map(() => INCOMPLETE), 'then the sites lacking a required fact');
  assert.deepEqual(tail.map((r) => r.reference).sort(), incomplete);
  for (const r of results) {
    assert.deepEqual(
      r.checks.map((c) => c.criterion),
      ['Superficie', 'Potencia', 'Apartadero ferroviario', 'Gas natural (preferible)'],
      `${r.reference}: one row per criterion`,
    );
    assert.ok(r.checks.every((c) => ['pass', 'fail', 'unknown'].includes(c.outcome) && c.word), `${r.reference}: each outcome has a class and a word`);
  }
  const byRef = (ref) => results.find((r) => r.reference === ref);
  assert.deepEqual(byRef('TV-P03').checks.slice(0, 3).map((c) => c.reason), [
    'Se pide entre 5.000 y 20.000 m²; el emplazamiento: 12.500 m².',
    'Se pide al menos 1.000 kVA; el emplazamiento: 1.600 kVA.',
    'Se pide apartadero ferroviario; el emplazamiento: sí.',
  ]);
  assert.equal(byRef('RQ-P06').checks[1].outcome, 'pass', 'exactly 1.000 kVA is at least 1.000 kVA');
  const rail = byRef('TV-P15').checks[2];
  assert.deepEqual(
    [rail.outcome, rail.word, rail.reason],
    ['unknown', 'Sin dato', 'Se pide apartadero ferroviario; el emplazamiento: sin dato.'],
    'an unknown rail siding is "Sin dato", never a pass or a fail',
  );
  assert.equal(byRef('TV-P15').status, INCOMPLETE);
  const unknownMark = page.locator('.match-item', { hasText: 'TV-P15' }).locator('.check-unknown').first();
  assert.equal(await unknownMark.innerText(), 'Sin dato');
  assert.equal(results.findIndex((r) => r.reference === 'TV-P15') >= full.length, true, 'after every full match');
  assert.ok(!results.some((r) => r.reference === 'RQ-P08'), 'RQ-P08 (630 kVA) is ruled out');

  // Hiding the sites with an unknown required fact.
  await page.locator('#incomplete').check();
  await submit(page, button);
  const hidden = await matchResults(page);
  assert.deepEqual(hidden.map((r) => r.reference).sort(), full, 'only the full matches');
  assert.ok(hidden.every((r) => r.status === MATCH && r.checks.slice(0, 3).every((c) => c.outcome === 'pass')), 'none incomplete');
  assert.ok(await page.locator('#incomplete').isChecked(), 'the box stays ticked');

  // A power that is not a number.
  await page.locator('#power').fill('mucho');
  const invalid = await submit(page, button);
  assert.equal(invalid.status(), 422);
  const error = page.locator('.field', { has: page.locator('#power') }).locator('#power-error');
  assert.equal(await text(error), '«mucho» no es un número.', 'the error is next to the field');
  assert.equal(await page.locator('#power').getAttribute('aria-invalid'), 'true');
  assert.ok((await page.locator('#power').getAttribute('aria-describedby')).split(' ').includes('power-error'));
  assert.equal(await text(page.locator('.error-summary a[href="#power"]')), '«mucho» no es un número.', 'and in the summary');
  assert.deepEqual(
    await Promise.all(['#power', '#area_min', '#area_max', '#rail', '#gas'].map((s) => page.locator(s).inputValue())),
    ['mucho', '5000', '20000', 'required', 'preferred'],
    'the values are kept',
  );
  assert.equal(await page.locator('.match-item').count(), 0, 'no results with an error');

  // In English.
  const en = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  const ok = await en.goto('/sites/match?go=1&area_min=5000&area_max=20000&area_imp=required&power=1000&power_imp=required&rail=required&gas=preferred');
  assert.equal(ok.status(), 200);
  const english = await matchResults(en);
  const p03 = english.find((r) => r.reference === 'TV-P03');
  assert.equal(p03.status, 'Meets every requirement');
  assert.deepEqual(p03.checks.map((c) => c.reason).slice(0, 2), [
    'Needs between 5,000 and 20,000 m²; the site: 12,500 m².',
    'Needs at least 1,000 kVA; the site: 1,600 kVA.',
  ]);
  const p15 = english.find((r) => r.reference === 'TV-P15');
  assert.equal(p15.status, 'A required fact is unknown: ask the office');
  assert.deepEqual([p15.checks[2].word, p15.checks[2].reason], ['Unknown', 'Needs rail siding; the site: unknown.']);
});

test('filters leave out what is not known: with a minimum power, no card has an unknown power', async (t) => {
  const demo = await publishedDemoSites();
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await openCatalogue(page, { min_power_kva: '1000' });
  const cards = await siteCards(page);
  const expected = demo.filter((s) => s.power_kva !== null && s.power_kva >= 1000).map((s) => s.reference).sort();
  assert.deepEqual(cards.map((c) => c.reference).sort(), expected, 'the sites known to have 1.000 kVA or more');
  for (const c of cards) {
    const power = c.facts[CARD.power];
    assert.ok(!power.unknown && power.value !== 'Sin dato', `${c.reference}: power known (${power.value})`);
    assert.ok(spanishNumber(power.value) >= 1000, `${c.reference}: ${power.value}`);
  }
  assert.equal(await text(page.locator('#main p.hint', { hasText: 'sin el dato' })), 'Un emplazamiento sin el dato por el que filtra no aparece: pregunte a la oficina si le interesa.', 'the page says why');
  // Without the filter, the sites of unknown power are there, as "Sin dato".
  await openCatalogue(page, { q: 'TV-P07' });
  const [p07] = await siteCards(page);
  assert.deepEqual(p07.facts[CARD.power], { value: 'Sin dato', unknown: true }, 'TV-P07\'s power is unknown, not 0');
});

test('site page: unknown facts are "Sin dato" (never 0 or "No"), distances say they are computed in a straight line; "Unknown" in English; the small map draws the marker', async (t) => {
  const site = (await publishedDemoSites()).find((s) => s.reference === 'TV-P07');
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  const id = (await siteIdsByReference(page)).get('TV-P07');
  const res = await page.goto(`/sites/${id}`);
  assert.equal(res.status(), 200);
  assert.equal(await text(page.locator('#main h1')), `${site.name} · TV-P07`);
  const facts = await factRows(page);
  for (const [field, label] of Object.entries(LABELS.es)) {
    const shown = facts[label];
    assert.ok(shown, `the page has "${label}"`);
    if (site[field] === null && field !== 'motorway_km') {
      assert.deepEqual(shown, { value: 'Sin dato', unknown: true }, `${label}: unknown in the data, "Sin dato" on the page`);
    } else if (site[field] === false) {
      assert.equal(shown.value, 'No', `${label}: no`);
    } else if (site[field] === true) {
      assert.equal(shown.value, 'Sí', `${label}: yes`);
    }
  }
  assert.equal(site.power_kva, null, 'the demo site has no known power');
  assert.notEqual(facts[LABELS.es.power_kva].value, '0 kVA');
  assert.equal(facts[LABELS.es.area_m2].value, '8.200 m²');
  assert.match(facts[LABELS.es.motorway_km].value, /^\d+(,\d)? km \(en línea recta hasta .+, calculada\)$/, 'the distance is computed, and says so');
  assert.match(facts['Distancia al puerto de Santander'].value, /\(en línea recta hasta .+, calculada\)$/);
  assert.ok(!(await text(page.locator('#main'))).includes(site.internal_notes), 'the office\'s internal notes are not public');

  const marker = page.locator('#main .site-map-small .leaflet-marker-pane img.leaflet-marker-icon');
  await marker.waitFor({ state: 'visible' });
  assert.equal(await marker.count(), 1, 'one marker');
  assert.equal(await marker.getAttribute('alt'), site.name);
  assert.ok(await marker.evaluate((img) => img.complete && img.naturalWidth > 0), 'the marker image loaded');
  assert.ok((await page.locator('#main .site-map-small .leaflet-overlay-pane path').count()) >= 1, 'the outline is drawn');

  const en = await openPage(t, app.browser, { baseURL: app.url, lang: 'en' });
  await en.goto(`/sites/${id}`);
  const english = await factRows(en);
  assert.deepEqual(english[LABELS.en.power_kva], { value: 'Unknown', unknown: true }, 'unknown power in English');
  assert.deepEqual(english[LABELS.en.rent_to_buy], { value: 'Unknown', unknown: true });
  assert.equal(english[LABELS.en.rail_siding].value, 'Yes');
  assert.equal(english[LABELS.en.area_m2].value, '8,200 m²');
  assert.match(english[LABELS.en.motorway_km].value, /^\d+(\.\d)? km \(straight line to .+, computed\)$/);
});

test('open data: the GeoJSON is a FeatureCollection of every published site with coordinates; the CSV downloads with a header row', async (t) => {
  const demo = await publishedDemoSites();
  const located = demo.filter((s) => s.lat !== null && s.lon !== null);
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await page.goto('/open-data');
  assert.equal(await text(page.locator('#main h1')), 'Datos abiertos');
  assert.ok((await text(page.locator('#main'))).includes(`${demo.length} emplazamientos publicados.`), 'the page counts the published sites');

  const got = await page.evaluate(async () => {
    const r = await fetch('/open-data/sites.geojson');
    return { status: r.status, type: r.headers.get('content-type'), data: await r.json() };
  });
  assert.equal(got.status, 200);
  assert.match(got.type, /^application\/geo\+json/);
  assert.equal(got.data.type, 'FeatureCollection');
  assert.equal(got.data.features.length, located.length, 'one feature per published site with coordinates');
  assert.deepEqual(got.data.features.map((f) => f.properties.reference).sort(), located.map((s) => s.reference).sort());
  for (const f of got.data.features) {
    assert.equal(f.geometry.type, 'Point');
    const [lon, lat] = f.geometry.coordinates;
    assert.ok(lat > 42.7 && lat < 43.6 && lon > -4.9 && lon < -3.1, `${f.properties.reference}: [lon, lat] in Cantabria (${lon}, ${lat})`);
  }
  const unpublished = (await demoSites()).filter((s) => !s.published).map((s) => s.reference);
  assert.ok(unpublished.length > 0 && !got.data.features.some((f) => unpublished.includes(f.properties.reference)), 'no unpublished site');

  const csv = await download(page, page.locator('#main a[href="/open-data/sites.csv"]'));
  assert.match(csv.name, /\.csv$/);
  const [header, ...rows] = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''));
  for (const column of ['id', 'reference', 'name', 'kind', 'lat', 'lon', 'area_m2', 'power_kva', 'rail_siding', 'availability', 'url']) {
    assert.ok(header.includes(column), `the header has "${column}": ${header.join(',')}`);
  }
  assert.equal(rows.length, demo.length, 'one row per published site');
  const p07 = rows.find((r) => r[header.indexOf('reference')] === 'TV-P07');
  assert.equal(p07[header.indexOf('power_kva')], '', 'an unknown fact is an empty cell');
  assert.equal(p07[header.indexOf('area_m2')].replace(/\.0$/, ''), '8200');
});

test('office: registers a site (errors first: cadastral control letters, swapped coordinates), adds a photo and a PDF (a text file and a file over the limit refused), reserves it; a visitor sees "Reservado"; the list of facts to verify again', async (t) => {
  const NAME = 'Parcela de prueba E2E';
  const REFERENCE = 'E2E-P01';
  const page = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(page, STAFF);
  await openCatalogue(page);
  await submit(page, page.getByRole('link', { name: 'Nuevo emplazamiento', exact: true }));
  assert.equal(pathOf(page), '/sites/new');

  const typed = {
    '#name': NAME,
    '#reference': REFERENCE,
    '#address': 'Polígono de Tanos-Viérnoles, parcela de prueba',
    '#lat': '-4.05',
    '#lon': '43.35',
    '#cadastral_refs': '9872023VH5797S0001WA',
    '#area_m2': '12.500',
    '#sale_price_m2': '55',
    '#description': 'Parcela creada por las pruebas del navegador.',
  };
  for (const [sel, value] of Object.entries(typed)) await page.locator(sel).fill(value);
  await page.locator('#kind').selectOption('plot');
  await page.locator('#municipality_code').selectOption({ label: 'Torrelavega' });
  await page.locator('#availability').selectOption('available');
  await page.locator('#published').check();
  const create = page.getByRole('button', { name: 'Crear el emplazamiento', exact: true });
  const invalid = await submit(page, create);
  assert.equal(invalid.status(), 422, `refused: ${await shownErrors(page)}`);
  const fieldError = async (field) => {
    const error = page.locator('.field', { has: page.locator(`#${field}`) }).locator(`#${field}-error`);
    assert.equal(await error.count(), 1, `#${field}-error next to the field: ${await shownErrors(page)}`);
    assert.equal(await page.locator(`#${field}`).getAttribute('aria-invalid'), 'true', `#${field} aria-invalid`);
    assert.ok((await page.locator(`#${field}`).getAttribute('aria-describedby')).split(' ').includes(`${field}-error`));
    assert.equal(await page.locator(`.error-summary a[href="#${field}"]`).count(), 1, `the summary links to #${field}`);
    return text(error);
  };
  assert.equal(await fieldError('cadastral_refs'), 'Las letras de control de «9872023VH5797S0001WA» no son correctas: deberían ser WX.');
  const swapped = await fieldError('lat');
  assert.match(swapped, /intercambiadas/, `suggests the swap: ${swapped}`);
  assert.ok(swapped.includes('43.35, -4.05'), `with the right order: ${swapped}`);
  assert.equal(await page.locator('.error-summary li').count(), 2, `two errors: ${await shownErrors(page)}`);
  for (const [sel, value] of Object.entries(typed)) assert.equal(await page.locator(sel).inputValue(), value, `${sel} keeps what was typed`);
  assert.equal(await page.locator('#municipality_code option:checked').innerText(), 'Torrelavega');
  assert.ok(await page.locator('#published').isChecked());

  await page.locator('#cadastral_refs').fill('9872023VH5797S0001WX');
  await page.locator('#lat').fill('43.35');
  await page.locator('#lon').fill('-4.05');
  await page.locator('#last_verified_on').fill(isoDay(0));
  const created = await submit(page, create);
  assert.equal(created.status(), 200, `created: ${await shownErrors(page)}`);
  assert.match(pathOf(page), /^\/sites\/[0-9a-f-]{36}$/, 'on the new site\'s page');
  const sitePath = pathOf(page);
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Emplazamiento guardado.');
  assert.equal(await text(page.locator('#main h1')), `${NAME} · ${REFERENCE}`);
  let facts = await factRows(page);
  assert.equal(facts['Superficie bruta'].value, '12.500 m²', '"12.500" is twelve thousand five hundred');
  assert.equal(facts['Precio de venta'].value, '55 €/m²');
  assert.equal(facts['Referencias catastrales'].value, '9872023VH5797S0001WX');
  assert.equal(facts['Municipio'].value, 'Torrelavega');
  for (const label of ['Potencia eléctrica disponible', 'Apartadero ferroviario', 'Gas natural', 'Superficie neta']) {
    assert.deepEqual(facts[label], { value: 'Sin dato', unknown: true }, `${label}: left blank, "Sin dato"`);
  }

  // Photos and documents, on the management page.
  await submit(page, page.getByRole('link', { name: 'Disponibilidad, fotos y documentos', exact: true }));
  assert.equal(pathOf(page), `${sitePath}/manage`);
  const photo = await canvasPng(page);
  let sent = await uploadSiteFile(page, { kind: 'photo', title: 'Vista desde el vial', file: { name: 'vista.png', mimeType: 'image/png', buffer: photo } });
  assert.equal(sent.status(), 200, `photo added: ${await shownErrors(page)}`);
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Archivo añadido.');

  sent = await uploadSiteFile(page, { kind: 'photo', title: 'Notas', file: { name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('Esto no es una foto.\n') } });
  assert.equal(sent.status(), 422, 'a text file is not a photo');
  assert.equal(await text(page.locator('#file-error')), 'El archivo no es una imagen: suba una foto JPEG, PNG o WebP.');
  assert.equal(await page.locator('#file').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#title').inputValue(), 'Notas', 'the title is kept');

  sent = await uploadSiteFile(page, { kind: 'photo', title: 'Demasiado grande', file: { name: 'enorme.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(11 * 1024 * 1024, 0xff) } });
  assert.equal(sent.status(), 413, 'a file over upload_max_mb (10 MB)');
  assert.equal(await text(page.locator('#file-error')), 'El archivo supera el límite de 10 MB.', 'says what the limit is, next to the field');
  assert.ok((await text(page.locator('.error-summary'))).includes('El archivo supera el límite de 10 MB.'));
  assert.equal(await text(page.locator('#main h1')), `Gestionar: ${NAME}`, 'on the management page, not a bare error');

  sent = await uploadSiteFile(page, { kind: 'document', title: 'Plano de la parcela', file: { name: 'plano.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Plano de la parcela E2E-P01') } });
  assert.equal(sent.status(), 200, `document added: ${await shownErrors(page)}`);
  assert.deepEqual(await page.locator('#photos table tbody tr td:first-child a').allInnerTexts(), ['Plano de la parcela'], 'listed under documents');

  await page.goto(sitePath);
  const thumb = page.locator('#main .photo-grid img');
  assert.equal(await thumb.count(), 1, 'a thumbnail on the site page');
  assert.equal(await thumb.getAttribute('alt'), 'Vista desde el vial');
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
  for (const url of [await thumb.getAttribute('src'), await page.locator('#main .photo-grid a').getAttribute('href')]) {
    const r = await page.request.get(url);
    assert.equal(r.status(), 200, url);
    assert.equal(r.headers()['content-type'], 'image/jpeg', `${url} is served as JPEG`);
  }
  // Its sheet, photo included, still prints on one A4 page.
  await page.goto(`${sitePath}/sheet`);
  const sheetPhoto = page.locator('img.sheet-photo');
  assert.equal(await sheetPhoto.getAttribute('alt'), 'Vista desde el vial', 'the sheet shows the photo');
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await sheetPhoto.elementHandle());
  await page.locator('.site-map .leaflet-marker-icon').waitFor({ state: 'attached' });
  const printed = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  assert.equal(pdfPageCount(printed), 1, 'pages of the printed sheet with a photo');

  await page.goto(sitePath);
  const doc = page.locator('#main .fact-group', { has: page.locator('h2', { hasText: 'Documentos' }) }).getByRole('link', { name: 'Plano de la parcela' });
  assert.equal(await doc.count(), 1, 'the document is listed on the site page');
  const pdf = await page.request.get(await doc.getAttribute('href'));
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 8).toString('latin1'), '%PDF-1.4');

  // Reserved, from a date.
  const effective = isoDay(-3);
  await page.goto(`${sitePath}/manage`);
  assert.ok((await text(page.locator('#availability'))).includes('Situación actual: Disponible'));
  await page.locator('#to').selectOption({ label: 'Reservado' });
  await page.locator('#effective_on').fill(effective);
  await page.locator('#note').fill('Reserva de prueba (E2E)');
  const moved = await submit(page, page.getByRole('button', { name: 'Registrar el cambio', exact: true }));
  assert.equal(moved.status(), 200, `moved: ${await shownErrors(page)}`);
  assert.equal(await text(page.locator('#main .flash[role="status"]')), 'Disponibilidad actualizada.');
  assert.ok((await text(page.locator('#availability'))).includes('Situación actual: Reservado'));
  const history = (await page.locator('#availability table tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  const reservation = history.find((r) => r.includes('Disponible → Reservado'));
  assert.ok(reservation, `the history shows the move: ${history.join(' | ')}`);
  assert.ok(reservation.startsWith(spanishDate(effective)), `with its date (${spanishDate(effective)}): ${reservation}`);
  assert.ok(reservation.includes('Reserva de prueba (E2E)'), 'and its note');

  const visitor = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await visitor.goto(sitePath);
  assert.equal(await text(visitor.locator('#main .badge')), 'Reservado', 'a visitor sees it reserved');
  assert.equal(await visitor.locator('#main a[href$="/manage"], #main a[href$="/edit"]').count(), 0, 'and no office links');
  await openCatalogue(visitor, { q: REFERENCE });
  const [card] = await siteCards(visitor);
  assert.equal(card?.availability, 'Reservado', 'also on the card');

  // Facts nobody has checked for more than a year (365 days, the default).
  const all = await demoSites();
  const stale = all.filter((s) => s.last_verified_on === null || daysSince(s.last_verified_on) > 365).map((s) => s.reference).sort();
  const recent = all.filter((s) => s.last_verified_on !== null && daysSince(s.last_verified_on) <= 365).map((s) => s.reference);
  assert.ok(stale.length >= 5 && recent.length >= 5, 'the demo data has both');
  await page.goto('/sites');
  await submit(page, page.getByRole('link', { name: 'Datos sin verificar', exact: true }));
  assert.equal(pathOf(page), '/sites/stale');
  assert.equal(await page.locator('#days').inputValue(), '365');
  const listed = await page.locator('#main table tbody tr td:first-child .muted').allInnerTexts();
  assert.deepEqual(listed.map((r) => r.trim()).sort(), stale, 'exactly the sites verified more than a year ago');
  assert.ok(!listed.includes(REFERENCE), 'not the site verified today');
  const days = await page.locator('#main table tbody tr td:nth-child(5)').allInnerTexts();
  assert.ok(days.every((d) => Number(d) > 365), `each verified more than 365 days ago: ${days.join(', ')}`);
  assert.deepEqual(days.map(Number), [...days.map(Number)].sort((a, b) => b - a), 'the oldest first');
});

test('who may edit: a visitor is sent to log in; a company user gets 403 on the office\'s pages', async (t) => {
  const anonymous = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await openCatalogue(anonymous);
  assert.equal(await anonymous.locator('#main a[href="/sites/new"]').count(), 0, 'no "Nuevo emplazamiento" for a visitor');
  const res = await anonymous.goto('/sites/new');
  assert.equal(res.status(), 200);
  const login = new URL(anonymous.url());
  assert.equal(login.pathname, '/login', 'sent to log in');
  assert.equal(login.searchParams.get('next'), '/sites/new', 'and back afterwards');
  assert.equal(res.request().redirectedFrom()?.url(), `${app.url}/sites/new`);

  const carmen = await openPage(t, app.browser, { baseURL: app.url, lang: 'es' });
  await logIn(carmen, CARMEN);
  await openCatalogue(carmen);
  assert.equal(await carmen.locator('#main a[href="/sites/new"], #main a[href="/sites/stale"], #main a[href="/estates"]').count(), 0, 'no office links for a company');
  const id = (await siteIdsByReference(carmen)).get('TV-P03');
  for (const path of ['/sites/new', `/sites/${id}/edit`, `/sites/${id}/manage`, '/sites/stale', '/estates', '/estates/new']) {
    const r = await carmen.goto(path);
    assert.equal(r.status(), 403, `company user on ${path}`);
  }
  assert.equal(await text(carmen.locator('#main h1')), 'Acceso no permitido');
});
