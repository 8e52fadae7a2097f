/**
 * The chart as the real Helm renders it (`make tools` installs Helm into
 * .tools/bin), for the monitoring tests: the rendered objects, the rule
 * groups of the PrometheusRule and the dashboard JSON.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = join(ROOT, 'charts/bellwether');
export const HELM = process.env['HELM'] ?? join(ROOT, '.tools/bin/helm');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

/** `helm template` with these values files (relative to the chart) and typed values (`--set-json`). */
export function render(valuesFiles: string[] = [], set: Record<string, unknown> = {}): K8sObject[] {
  if (!existsSync(HELM)) throw new Error(`no Helm at ${HELM}: run \`make tools\` (or set HELM)`);
  const args = ['template', 'bellwether', CHART, '--namespace', 'bellwether-system'];
  for (const f of valuesFiles) args.push('-f', join(CHART, f));
  for (const [k, v] of Object.entries(set)) args.push('--set-json', `${k}=${JSON.stringify(v)}`);
  const out = execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export function find(objects: K8sObject[], kind: string): K8sObject {
  const o = objects.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} rendered`);
  return o;
}

/** The rule groups of the rendered PrometheusRule, as a plain Prometheus rule file holds them. */
export function renderedRuleGroups(set: Record<string, unknown> = {}): RuleGroup[] {
  return find(render(['ci/monitoring-values.yaml'], set), 'PrometheusRule').spec.groups as RuleGroup[];
}

export interface DashboardTarget {
  expr: string;
  legendFormat?: string;
  interval?: string;
  instant?: boolean;
  refId: string;
}
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: DashboardTarget[];
  fieldConfig?: {
    defaults?: {
      unit?: string;
      min?: number;
      max?: number;
      custom?: { drawStyle?: string; axisLabel?: string };
      mappings?: Array<{ type: string; options: Record<string, { text?: string }> }>;
    };
    overrides?: Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value?: unknown }> }>;
  };
  options?: { textMode?: string };
}
export interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
  annotations: { list: Array<{ name: string; expr?: string; builtIn?: number; iconColor?: string; titleFormat?: string }> };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(join(CHART, 'dashboards/bellwether.json'), 'utf8')) as Dashboard;
}
