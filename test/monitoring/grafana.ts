/**
 * What Grafana does to a dashboard's queries before Prometheus sees them,
 * for the tests that run every query against a real Prometheus: template
 * variables substituted, the legend format applied. Pure.
 */
import type { Dashboard, DashboardTarget } from './chart.js';

export interface Variables {
  namespace: string;
  route: string;
  /** Grafana: max(4 × scrape interval, $__interval + scrape interval). */
  rateInterval: string;
  interval: string;
  /** The dashboard's time range as a duration, e.g. `95s`. */
  range: string;
}

/** `$__rate_interval` before `$__range`/`$__interval` (a prefix of it), `$name` and `${name}` for the rest. */
export function substitute(expr: string, v: Variables): string {
  const out = expr
    .replaceAll('$__rate_interval', v.rateInterval)
    .replaceAll('$__range', v.range)
    .replaceAll('$__interval', v.interval)
    .replace(/\$\{?(namespace|route)\}?/g, (_m, name: 'namespace' | 'route') => v[name]);
  const left = /\$\{?[A-Za-z_]+\}?/.exec(out);
  if (left) throw new Error(`unknown variable ${left[0]} in ${expr}`);
  return out;
}

/** `{{label}}` in a legend format, from a series' labels. */
export function legend(format: string | undefined, labels: Record<string, string>): string {
  if (!format) return Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ') || 'value';
  return format.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, k: string) => labels[k] ?? '');
}

/** A query the dashboard runs, wherever it sits: a panel target, an annotation or a variable. */
export interface DashboardQuery {
  where: string;
  kind: 'range' | 'instant' | 'annotation' | 'variable';
  expr: string;
  target?: DashboardTarget;
  panelId?: number;
}

export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of d.panels) {
    for (const t of p.targets ?? []) {
      out.push({ where: `panel "${p.title}" ${t.refId}`, kind: t.instant || t.interval ? 'instant' : 'range', expr: t.expr, target: t, panelId: p.id });
    }
  }
  for (const a of d.annotations.list) if (a.expr) out.push({ where: `annotation "${a.name}"`, kind: 'annotation', expr: a.expr });
  for (const v of d.templating.list) if (v.type === 'query' && v.definition) out.push({ where: `variable $${v.name}`, kind: 'variable', expr: v.definition });
  return out;
}

/** `label_values(selector, label)` → its parts. */
export function parseLabelValues(def: string): { match: string; label: string } {
  const m = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(def.trim());
  if (!m) throw new Error(`not a label_values() query: ${def}`);
  return { match: m[1]!.trim(), label: m[2]! };
}
