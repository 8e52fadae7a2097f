/**
 * The dashboard and the alerts against a real Prometheus scraping a real
 * operator and real sidecars under generated traffic (scenario.ts tells the
 * story): every dashboard query (panels, annotations, variables, with
 * Grafana's variables substituted) and every alert expression, as the chart
 * renders it, must parse and return data. Then every panel is drawn to a PNG
 * in .panels/ from that data (render.ts).
 *
 * Needs `npm run build` (the sidecars run from dist/), `make tools` (Helm)
 * and `make prometheus`; `make test` does all three.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, dashboard, renderedRuleGroups } from './chart.js';
import { dashboardQueries, legend, parseLabelValues, substitute, type Variables } from './grafana.js';
import { Prometheus, type Series } from './prometheus.js';
import { panelPNG, type PanelAnnotation, type PanelData } from './render.js';
import { BUDGET_DAILY_USD, BUDGET_DEEPSEEK_USD, Cluster, NS, ROUTE } from './scenario.js';
import { eventually } from '../fakes/kube/poll.js';

const OUT = join(ROOT, '.panels');
const cluster = new Cluster();
const prom = new Prometheus();
let start = 0;
let end = 0;
let vars: Variables;
const panelSeries = new Map<string, Series[]>(); // `${panelId}/${refId}` → result
const annotations: PanelAnnotation[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/sidecar/main.js'))) throw new Error('dist/sidecar/main.js is missing: run `npm run build` (make test does)');
  try {
    await cluster.start();
    await prom.start(cluster.targets());
    start = Date.now() / 1000;
    const scraped = async () => {
      const counters = await prom.query(`bellwether_operator_canary_advances_total{route="${ROUTE}"} == 0 and on () bellwether_rollbacks_total{pod="${ROUTE}-a", scope="pod", reason="error_rate"} == 0`, Date.now() / 1000);
      return counters.length > 0;
    };
    await cluster.play(
      () => eventually(scraped, { timeoutMs: 15_000, intervalMs: 200, what: 'a first scrape of the operator and the sidecars' }),
      (line) => process.env['BELLWETHER_TEST_LOG'] && console.log(line),
    );
    end = Date.now() / 1000;
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nPrometheus said:\n${prom.output()}`);
  }
  vars = { namespace: NS, route: ROUTE, rateInterval: '5s', interval: '2s', range: `${Math.ceil(end - start)}s` };
}, 120_000);

afterAll(async () => {
  await prom.stop();
  await cluster.stop();
});

/** A result "has data" when some series has a finite sample (NaN/Inf alone does not count). */
const hasData = (r: Series[]) => r.some((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));

describe('Prometheus under the generated traffic', () => {
  it('scraped the operator and both sidecars with the labels the Service/PodMonitor give', async () => {
    const up = await prom.queryRange('max_over_time(up[5m])', end, end, 1);
    const pods = up.map((s) => `${s.metric['job']}/${s.metric['pod']}`).sort();
    expect(pods).toEqual(['bellwether-operator/bellwether-operator-0', `bellwether-sidecars/${ROUTE}-a`, `bellwether-sidecars/${ROUTE}-b`]);
    expect(up.every((s) => s.values[0]?.[1] === '1')).toBe(true);
    // honor_labels: the operator's per-route series keep the route's namespace, not the operator's.
    const phase = await prom.query('bellwether_operator_route_phase{phase="RolledBack"}', end);
    expect(phase.map((s) => [s.metric['namespace'], s.metric['route'], s.values[0]![1]])).toEqual([[NS, ROUTE, '1']]);
  });

  it('holds what the story claims: a canary step, rollbacks, a stream error, a refused reload, an open breaker', async () => {
    const at = async (q: string) => Number((await prom.query(q, end))[0]?.values[0]?.[1] ?? 'NaN');
    expect(await at(`max(bellwether_operator_canary_advances_total{route="${ROUTE}"})`)).toBeGreaterThanOrEqual(1);
    expect(await at(`max(bellwether_operator_rollbacks_total{route="${ROUTE}"})`)).toBe(1);
    expect(await at('sum(max_over_time(bellwether_stream_errors_total{side="official", reason="cut"}[5m]))')).toBeGreaterThanOrEqual(1);
    expect(await at('sum(max_over_time(bellwether_config_reload_errors_total{file="relay_key"}[5m]))')).toBeGreaterThanOrEqual(1);
    expect(await at('sum(max_over_time(bellwether_circuit_state{model="glm-4", state="open"}[5m]))')).toBeGreaterThanOrEqual(1);
    expect(await at('sum(max_over_time(bellwether_fallbacks_total{from="glm-4", to="official"}[5m]))')).toBeGreaterThan(0);
    expect(await at(`max(bellwether_operator_route_pods{state="selected"})`)).toBe(3);
  });

  it('holds what the story claims of shadow, cache and budget: a passed gate, drift, hits, caps reached', async () => {
    const at = async (q: string) => Number((await prom.query(q, end))[0]?.values[0]?.[1] ?? 'NaN');
    expect(await at(`max(bellwether_operator_shadow_passed_total{route="${ROUTE}"})`)).toBe(1);
    expect(await at('sum(max_over_time(bellwether_shadow_pairs_total{verdict="equivalent"}[5m]))')).toBeGreaterThanOrEqual(20);
    expect(await at('sum(max_over_time(bellwether_shadow_pairs_total{verdict="different"}[5m]))')).toBeGreaterThan(0);
    expect(await at(`min_over_time(bellwether_operator_route_shadow_equivalence{route="${ROUTE}"}[5m])`)).toBeLessThan(0.9);
    expect(await at('sum(max_over_time(bellwether_cache_lookups_total{result="hit"}[5m]))')).toBeGreaterThan(0);
    expect(await at('sum(max_over_time(bellwether_cache_savings_usd_total[5m]))')).toBeGreaterThan(0);
    // action alert: the caps are reached and reported, nothing is blocked.
    expect(await at(`max(bellwether_operator_budget_exceeded{route="${ROUTE}"})`)).toBe(1);
    expect(await at(`max(bellwether_operator_budget_spent_usd{route="${ROUTE}"})`)).toBeGreaterThan(BUDGET_DAILY_USD);
    expect(await at('max(max_over_time(bellwether_budget_spent_usd{scope="model", model="deepseek-chat"}[5m]))')).toBeGreaterThan(BUDGET_DEEPSEEK_USD);
    expect(await at('sum(max_over_time(bellwether_budget_blocked_total[5m]))')).toBe(0);
  });

  it('answers every dashboard query (panels, annotations, variables) with data', async () => {
    const d = dashboard();
    const failures: string[] = [];
    const queries = dashboardQueries(d);
    expect(queries.length).toBeGreaterThan(20);
    for (const q of queries) {
      try {
        if (q.kind === 'variable') {
          const { match, label } = parseLabelValues(q.expr);
          const values = await prom.labelValues(label, substitute(match, vars));
          if (!values.includes(label === 'namespace' ? NS : ROUTE)) failures.push(`${q.where}: ${JSON.stringify(values)}`);
          continue;
        }
        const expr = substitute(q.expr, vars);
        const result = q.kind === 'instant' ? await prom.query(expr, end) : await prom.queryRange(expr, start, end, q.kind === 'annotation' ? 2 : 1);
        if (!hasData(result)) failures.push(`${q.where}: no data for ${expr}`);
        if (q.panelId !== undefined) panelSeries.set(`${q.panelId}/${q.target!.refId}`, result);
        if (q.kind === 'annotation') {
          const a = d.annotations.list.find((x) => x.expr === q.expr)!;
          for (const s of result) for (const [t] of s.values) annotations.push({ name: a.name, title: a.titleFormat ?? a.name, color: a.iconColor ?? 'gray', time: t });
        }
      } catch (e) {
        failures.push(`${q.where}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
    // The story's rollback and step show as annotations.
    expect(new Set(annotations.map((a) => a.name))).toEqual(new Set(['Fleet rollbacks', 'Pod rollbacks', 'Canary steps', 'Shadow passed', 'Budget exceeded']));
  });

  it('answers every alert expression, as the chart renders it, with data', async () => {
    // The spend threshold is lowered to what a test's traffic costs; every other value is the
    // chart's (ci/monitoring-values.yaml). The expressions are evaluated without waiting for
    // their `for`: minutes-long holds cannot pass in a short test (the promtool unit tests in
    // rules.promtool.yaml check them); each scenario step makes the condition itself true.
    // One exception: the story's cache is in memory, which cannot fail, so the cache error share
    // is 0 throughout; BellwetherCacheBackendErrors is evaluated at `>= 0`, which still needs its
    // ratio to return series with the route's labels (test/sidecar/cache-redis.test.ts makes real
    // Redis errors; the promtool tests fire the alert).
    const groups = renderedRuleGroups({ 'monitoring.prometheusRule.alerts.spendPerHour.maxUSD': 0.000001, 'monitoring.prometheusRule.alerts.cacheBackendErrors.maxErrorRate': 0 });
    const failures: string[] = [];
    let n = 0;
    for (const rule of groups.flatMap((g) => g.rules)) {
      n++;
      try {
        const expr = rule.alert === 'BellwetherCacheBackendErrors' ? rule.expr.replace(/\) > 0\s*$/, ') >= 0') : rule.expr;
        if (rule.alert === 'BellwetherCacheBackendErrors' && expr === rule.expr) throw new Error(`the threshold moved: ${rule.expr}`);
        const result = await prom.queryRange(expr, start, end, 1);
        if (!hasData(result)) failures.push(`${rule.alert}: no data for ${rule.expr}`);
        else if (!result.every((s) => s.metric['namespace'] === NS && s.metric['route'] === ROUTE)) failures.push(`${rule.alert}: labels ${JSON.stringify(result.map((s) => s.metric))}`);
      } catch (e) {
        failures.push(`${rule.alert}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(n).toBe(11);
    expect(failures).toEqual([]);
  });

  it('draws every panel as a PNG from that data', async () => {
    const d = dashboard();
    mkdirSync(OUT, { recursive: true });
    const written: string[] = [];
    const datas: PanelData[] = [];
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      const series = (p.targets ?? []).flatMap((t) =>
        (panelSeries.get(`${p.id}/${t.refId}`) ?? []).map((s) => ({ legend: legend(t.legendFormat, s.metric), points: s.values.map(([ts, v]): [number, number] => [ts, Number(v)]) })),
      );
      expect(series.length, `panel "${p.title}" has series`).toBeGreaterThan(0);
      const data: PanelData = {
        panel: p,
        series,
        annotations: p.type === 'timeseries' ? annotations : [],
        kind: p.type === 'stat' ? 'stat' : 'timeseries',
        ...(p.options?.textMode ? { textMode: p.options.textMode as 'name' | 'value' | 'value_and_name' } : {}),
      };
      datas.push(data);
      const png = await panelPNG(data);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5000);
      const file = join(OUT, `${String(p.id).padStart(2, '0')}-${p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`);
      writeFileSync(file, png);
      written.push(file);
    }
    expect(written.length).toBe(d.panels.filter((x) => x.type !== 'row').length);
    // The data behind the pictures, for whoever wants to redraw them without a new run.
    writeFileSync(join(OUT, 'panels.json'), JSON.stringify(datas));
  }, 60_000);
});
