/**
 * The chart's monitoring objects as Helm renders them: valid against the
 * prometheus-operator CRD schemas (offline, @kubernetes-models validators),
 * wired to what the operator and the webhook really expose, and the
 * dashboard ConfigMap carrying the one dashboard source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PodMonitor, PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { sidecarContainer } from '../../operator/sidecar-spec.js';
import { routeFixture } from '../../operator/testdata/fixtures.js';
import { ADMIN_PORT } from '../../operator/names.js';
import { CHART, dashboard, find, render } from './chart.js';

describe('monitoring objects (helm template)', () => {
  const on = render(['ci/monitoring-values.yaml']);

  it('are off by default, except the dashboard ConfigMap', () => {
    const kinds = render().map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PodMonitor');
    expect(kinds).not.toContain('PrometheusRule');
    expect(kinds).toContain('ConfigMap');
    expect(render([], { 'monitoring.dashboard.enabled': false }).filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'bellwether-dashboards')).toEqual([]);
  });

  it('validate against the prometheus-operator CRD schemas', () => {
    expect(() => new ServiceMonitor(find(on, 'ServiceMonitor') as never).validate()).not.toThrow();
    expect(() => new PodMonitor(find(on, 'PodMonitor') as never).validate()).not.toThrow();
    expect(() => new PrometheusRule(find(on, 'PrometheusRule') as never).validate()).not.toThrow();
    // The validators do refuse a broken object (a duration Prometheus cannot parse).
    const broken = render(['ci/monitoring-values.yaml'], { 'monitoring.prometheusRule.alerts.breakerOpen.for': '5m' });
    const rule = find(broken, 'PrometheusRule');
    rule.spec.groups[0].rules[2].for = 'five minutes';
    expect(() => new PrometheusRule(rule as never).validate()).toThrow(/for must match pattern/);
  });

  it('scrape the port the webhook gives the sidecar, keep only injected pods and label them with their route', () => {
    const pm = find(on, 'PodMonitor');
    const port = sidecarContainer(routeFixture(), { image: 'x' } as never, true).ports?.find((p) => p.containerPort === ADMIN_PORT);
    expect(pm.spec.podMetricsEndpoints[0].port).toBe(port?.name);
    expect(pm.spec.podMetricsEndpoints[0].relabelings).toEqual([
      { sourceLabels: ['__meta_kubernetes_pod_annotation_bellwether_dev_injected'], regex: 'true', action: 'keep' },
      { sourceLabels: ['__meta_kubernetes_pod_annotation_bellwether_dev_route'], targetLabel: 'route', action: 'replace' },
    ]);
    expect(pm.spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(find(render([], { 'monitoring.podMonitor.enabled': true }), 'PodMonitor').spec.namespaceSelector).toEqual({ any: true });
  });

  it('scrape the operator with its own namespace/route labels honoured', () => {
    const sm = find(on, 'ServiceMonitor');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics', honorLabels: true });
    expect(sm.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'bellwether', 'app.kubernetes.io/instance': 'bellwether', 'app.kubernetes.io/component': 'operator' });
    expect(sm.metadata.labels?.['release']).toBe('kube-prometheus-stack');
  });

  it('render the rules from values: thresholds, durations and alert labels; annotations keep Prometheus templating', () => {
    const rules = find(render(['ci/monitoring-values.yaml'], { 'monitoring.prometheusRule.alerts.spendPerHour.maxUSD': 12.5, 'monitoring.prometheusRule.alerts.breakerOpen.for': '7m' }), 'PrometheusRule').spec.groups[0].rules as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));
    expect(byName['BellwetherSpendPerHourHigh'].expr).toMatch(/> 12\.5\s*$/);
    expect(byName['BellwetherCircuitBreakerOpen'].for).toBe('7m');
    for (const r of rules) {
      expect(r.labels).toMatchObject({ team: 'platform' });
      expect(r.labels.severity).toMatch(/^(critical|warning|info)$/);
      expect(r.expr).not.toContain('{{');
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook', 'summary']);
      expect(r.annotations.summary).toContain('{{ $labels.');
    }
  });

  it('ship the dashboard source unchanged in the ConfigMap Grafana\'s sidecar picks up', () => {
    const cm = on.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'bellwether-dashboards')!;
    expect(cm.metadata.labels?.['grafana_dashboard']).toBe('1');
    expect(cm.metadata.namespace).toBe('monitoring');
    expect(cm.metadata.annotations).toEqual({ grafana_folder: 'LLM traffic' });
    expect(cm.data?.['bellwether.json']).toBe(readFileSync(join(CHART, 'dashboards/bellwether.json'), 'utf8'));
    const labelled = find(render([], { 'monitoring.dashboard.label': 'dash', 'monitoring.dashboard.labelValue': 'yes' }), 'ConfigMap');
    expect(labelled.metadata.labels?.['dash']).toBe('yes');
    expect(labelled.metadata.annotations).toBeUndefined();
  });

  it('refuse unknown monitoring values (values.schema.json)', () => {
    expect(() => render([], { 'monitoring.podMonitor.intervall': '5s' })).toThrow(/additional properties|intervall/i);
  });
});

describe('dashboard', () => {
  const d = dashboard();
  it('has a Prometheus datasource variable and namespace/route variables from label_values', () => {
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
    expect(vars['datasource']).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(vars['namespace']?.definition).toMatch(/^label_values\(/);
    expect(vars['route']?.definition).toMatch(/^label_values\(.*namespace=~"\$namespace".*, route\)$/);
  });
  it('filters every query by $namespace and $route and uses the datasource variable', () => {
    const exprs = [...d.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr), ...d.annotations.list.flatMap((a) => (a.expr ? [a.expr] : []))];
    expect(exprs.length).toBeGreaterThan(15);
    for (const e of exprs) {
      expect(e).toContain('namespace=~"$namespace"');
      expect(e).toContain('route=~"$route"');
    }
    for (const p of d.panels.filter((x) => x.type !== 'row')) expect(p).toMatchObject({ datasource: { uid: '${datasource}' } });
  });
  it('has unique panel ids and panels that do not overlap', () => {
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of d.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const k = `${x},${y}`;
          expect(cells.has(k), `${p.title} overlaps at ${k}`).toBe(false);
          cells.add(k);
        }
      }
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});
