// axe (no serious or critical violation) and the console watcher on the Pact's pages, in
// Spanish and English: the needs list, a need's page with its matches and answers (the
// demo's high-voltage maintenance), a candidate's answer page (Ingeniería Eléctrica
// Polanco's, at the meeting stage in the demo), the dashboard and the public summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoSeriousA11yViolations } from '../lib/a11y.mjs';
import { useApp } from '../lib/app.mjs';
import { openPage } from '../lib/browser.mjs';
import { watchPage } from '../lib/console.mjs';
import { setupDirectory } from '../lib/directory.mjs';
import { ADMIN, logIn } from '../lib/identity.mjs';

const STAFF_EN = { email: 'helen.staff@besaya.example', name: 'Helen Staff', role: 'staff', lang: 'en', password: 'Pas river bridge 1884' };
const IEP_ES = { email: 'ofertas-es@iep.example', name: 'Marta Ofertas', role: 'company', lang: 'es', password: 'Corriente de Polanco 54', org: 'B39001078' };
const IEP_EN = { email: 'bids-en@iep.example', name: 'Mark Bids', role: 'company', lang: 'en', password: 'Polanco current 54 en', org: 'B39001078' };

const app = useApp('pact-a11y', { setup: setupDirectory(ADMIN, STAFF_EN, IEP_ES, IEP_EN) });

const DEMO_NEED = 'Mantenimiento preventivo de subestaciones y centros de transformación (alta tensión)';

async function check(t, page, what) {
  await page.waitForLoadState('load');
  await assertNoSeriousA11yViolations(page, what, t);
}

for (const [lang, office, candidate] of [
  ['es', ADMIN, IEP_ES],
  ['en', STAFF_EN, IEP_EN],
]) {
  test(`the Pact's pages have no serious accessibility violation (${lang})`, async (t) => {
    const page = await openPage(t, app.browser, { baseURL: app.url, lang });
    const watcher = await watchPage(page, { origin: new URL(app.url).origin });
    await logIn(page, office);

    await page.goto('/pact');
    await check(t, page, `${lang} needs list`);
    const link = page.locator('a', { hasText: DEMO_NEED }).first();
    assert.ok(await link.count(), 'the demo need is listed');
    await Promise.all([page.waitForEvent('load'), link.click()]);
    assert.ok(await page.locator('#answers').count(), 'its answers');
    await check(t, page, `${lang} need page`);

    await page.goto('/pact/dashboard');
    assert.equal(await page.locator('#table-kinds tbody tr').count(), 8);
    await check(t, page, `${lang} dashboard`);

    const visitor = await openPage(t, app.browser, { baseURL: app.url, lang });
    await visitor.goto('/pact/summary');
    assert.equal(await visitor.locator('#table-summary-kinds tbody tr').count(), 8);
    await check(t, visitor, `${lang} public summary`);

    const cand = await openPage(t, app.browser, { baseURL: app.url, lang });
    await logIn(cand, candidate);
    await cand.goto('/pact/invitations');
    await check(t, cand, `${lang} invitations`);
    const answer = cand.locator('a[href*="/answers/"]').first();
    assert.ok(await answer.count(), 'an invitation');
    await Promise.all([cand.waitForEvent('load'), answer.click()]);
    await check(t, cand, `${lang} answer page`);

    watcher.assertClean(`${lang} pact pages`);
  });
}
