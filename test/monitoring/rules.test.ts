/**
 * The alerts as the chart renders them (real `helm template`), checked by
 * Prometheus' own tool: `promtool check rules` on the full rendered file and
 * `promtool test rules` with the committed unit tests (rules.promtool.yaml).
 * `make prometheus` installs promtool (Debian's prometheus package).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderedRuleGroups } from './chart.js';

const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const dir = mkdtempSync(join(tmpdir(), 'bellwether-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const groups = renderedRuleGroups();
const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert!));
const unitTests = parse(readFileSync(new URL('./rules.promtool.yaml', import.meta.url), 'utf8')) as {
  tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
};

function promtool(...args: string[]): { code: number; out: string } {
  const r = spawnSync(PROMTOOL, args, { encoding: 'utf8', cwd: dir });
  if (r.error) throw new Error(`${PROMTOOL} did not run (${r.error.message}): run \`make prometheus\``);
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('alert rules (rendered by helm template)', () => {
  it('are the eleven alerts the chart promises', () => {
    expect(alerts.sort()).toEqual([
      'BellwetherBudgetExceeded',
      'BellwetherBudgetNearlyExhausted',
      'BellwetherCacheBackendErrors',
      'BellwetherCircuitBreakerOpen',
      'BellwetherConfigReloadFailed',
      'BellwetherNoTraffic',
      'BellwetherPodsNotReporting',
      'BellwetherRelayErrorRateHigh',
      'BellwetherRelayRolledBack',
      'BellwetherShadowBelowEquivalence',
      'BellwetherSpendPerHourHigh',
    ]);
  });

  it('pass promtool check rules', () => {
    writeFileSync(join(dir, 'full.yaml'), stringify({ groups }));
    const r = promtool('check', 'rules', 'full.yaml');
    expect(r.out).toContain('SUCCESS: 11 rules found');
    expect(r.code).toBe(0);
  });

  it('pass the promtool unit tests, each alert with a case that fires it and one that does not', () => {
    for (const alert of alerts) {
      const cases = unitTests.tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === alert);
      expect(cases.some((c) => c.exp_alerts.length > 0), `${alert} has a firing case`).toBe(true);
      expect(cases.some((c) => c.exp_alerts.length === 0), `${alert} has a quiet case`).toBe(true);
    }
    // promtool compares annotations exactly: the copy under test keeps the summary only.
    const summaries = groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, annotations: { summary: r.annotations!['summary']! } })) }));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: summaries }));
    writeFileSync(join(dir, 'rules.promtool.yaml'), readFileSync(new URL('./rules.promtool.yaml', import.meta.url)));
    const r = promtool('test', 'rules', 'rules.promtool.yaml');
    expect(r.out, r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('promtool does catch a rule that would not fire as tested (the tests can fail)', () => {
    const broken = groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, annotations: { summary: r.annotations!['summary']! }, ...(r.alert === 'BellwetherPodsNotReporting' ? { for: '30m' } : {}) })) }));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: broken }));
    const r = promtool('test', 'rules', 'rules.promtool.yaml');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('BellwetherPodsNotReporting');
  });
});

