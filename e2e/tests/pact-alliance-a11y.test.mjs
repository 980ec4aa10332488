// axe (no serious or critical violation) and the console watcher (no error, CSP violation,
// failed request or other origin) on every page of the Pact as an alliance (issue #9), on
// the demo data, in Spanish (administrator) and English (staff): the public member list
// (anonymous and secretariat), a member, the working groups and one, the meetings and a
// held one (minutes, attendance, agreements), the meeting form with errors, the
// commitments tree, a commitment, its form with errors, the import page with an error
// report, the indicators and one's records, the semester report, and the public progress
// page (anonymous). One server, one browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { DEMO, assertFormErrors, follow } from '../lib/alliance.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { setupDirectory } from '../lib/directory.mjs';
import { ADMIN, logIn, submit } from '../lib/identity.mjs';

const STAFF_EN = { email: 'helen.staff@besaya.example', name: 'Helen Staff', role: 'staff', lang: 'en', password: 'Pas river bridge 1884' };

const app = useApp('pact-alliance-a11y', { setup: setupDirectory(ADMIN, STAFF_EN) });

/** A CSV the import refuses (an unknown status, a progress over 100). */
const BAD_CSV = 'title,status,progress,weight\nCompromiso de prueba,terminadísimo,150,1\n';

async function check(t, page, what, status = 200) {
  await page.waitForLoadState('load');
  await assertNoSeriousA11yViolations(page, what, t);
  return status;
}

for (const [lang, user] of [
  ['es', ADMIN],
  ['en', STAFF_EN],
]) {
  test(`the alliance's pages have no serious accessibility violation and a clean console (${lang})`, async (t) => {
    const origin = new URL(app.url).origin;

    // The public pages, anonymous.
    const visitor = await openPage(t, app.browser, { baseURL: app.url, lang });
    const publicWatch = await watchPage(visitor, { origin });
    let res = await visitor.goto('/pact/members');
    assert.equal(res.status(), 200);
    await check(t, visitor, `${lang} public member list`);
    res = await visitor.goto('/pact/progress');
    assert.equal(res.status(), 200);
    await check(t, visitor, `${lang} public progress`);
    publicWatch.assertClean(`${lang} public alliance pages`);

    // The workspace, as the secretariat.
    const page = await openPage(t, app.browser, { baseURL: app.url, lang });
    const watcher = await watchPage(page, { origin });
    await logIn(page, user);

    await page.goto('/pact/members');
    await check(t, page, `${lang} member list (secretariat)`);
    await follow(page, DEMO.member);
    await check(t, page, `${lang} member page`);

    await page.goto('/pact/groups');
    await check(t, page, `${lang} working groups`);
    const group = await follow(page, DEMO.group);
    await check(t, page, `${lang} working group`);

    await page.goto('/pact/meetings');
    await check(t, page, `${lang} meetings`);
    await follow(page, DEMO.heldMeeting);
    assert.ok(await page.locator('ol.pact-meet-agreements > li').count(), 'a held meeting with agreements');
    await check(t, page, `${lang} held meeting`);

    await page.goto(`${group}/meetings/new`);
    watcher.expectDocumentStatus(`${app.url}${group}/meetings/new`, 422);
    res = await submit(page, page.locator('form.form button[type="submit"]'));
    assert.equal(res.status(), 422);
    await assertFormErrors(page, `${lang} meeting form`);
    await check(t, page, `${lang} meeting form with errors`);

    await page.goto('/pact/commitments');
    await check(t, page, `${lang} commitments tree`);
    await follow(page, DEMO.commitment);
    await check(t, page, `${lang} commitment`);

    await page.goto('/pact/commitments/new');
    watcher.expectDocumentStatus(`${app.url}/pact/commitments/new`, 422);
    res = await submit(page, page.locator('form.form button[type="submit"]'));
    assert.equal(res.status(), 422);
    await assertFormErrors(page, `${lang} commitment form`);
    await check(t, page, `${lang} commitment form with errors`);

    await page.goto('/pact/commitments/import');
    await check(t, page, `${lang} import page`);
    watcher.expectDocumentStatus(`${app.url}/pact/commitments/import`, 422);
    await page.locator('#file').setInputFiles({ name: 'compromisos.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    res = await submit(page, page.locator('form[action="/pact/commitments/import"] button[type="submit"]').last());
    assert.equal(res.status(), 422);
    assert.ok(await page.locator('.error-summary').count(), 'the import reports its errors');
    await check(t, page, `${lang} import with an error report`);

    await page.goto('/pact/indicators');
    await check(t, page, `${lang} indicators`);
    await page.goto('/pact/indicators/needs_within_target');
    await check(t, page, `${lang} an indicator's records`);

    await page.goto('/pact/report');
    await check(t, page, `${lang} semester report`);

    watcher.assertClean(`${lang} alliance workspace`);
  });
}
