// Accessibility check with axe-core: fails on every `serious` or `critical` violation.
import assert from 'node:assert/strict';

import { AxeBuilder } from '@axe-core/playwright';

const BLOCKING = new Set(['serious', 'critical']);

/** One readable paragraph per violation: rule, impact, help, and each offending element. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const why = (n.failureSummary ?? '').split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join(' ');
          return `    target: ${n.target.join(' ')}\n      html: ${n.html.slice(0, 200)}${why ? `\n      why: ${why}` : ''}`;
        })
        .join('\n');
      return `  - ${v.id} [${v.impact}]: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe on the page as it is now. Fails listing every serious or critical violation;
 * milder ones are only reported as diagnostics of the test `t` (if given).
 *
 * @param {import('playwright-core').Page} page
 * @param {string} what what is being checked, for the message
 * @param {import('node:test').TestContext} [t]
 */
export async function assertNoSeriousA11yViolations(page, what, t) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  const minor = violations.filter((v) => !BLOCKING.has(v.impact));
  if (t && minor.length > 0) {
    t.diagnostic(`${what}: minor accessibility issues (not failing):\n${describeViolations(minor)}`);
  }
  assert.equal(
    blocking.length,
    0,
    `${what}: ${blocking.length} serious/critical accessibility violation(s):\n${describeViolations(blocking)}`,
  );
}
