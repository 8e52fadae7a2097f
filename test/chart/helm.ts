/**
 * The real Helm binary (installed by `make tools` into .tools/bin) and the
 * chart's rendered objects. Every test in test/chart/ renders through here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART = `${ROOT}charts/bellwether`;
export const HELM = `${ROOT}.tools/bin/helm`;
export const RELEASE = 'bw';
export const NAMESPACE = 'bellwether-system';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Fails with the fix in the message when Helm is not installed. */
export function requireHelm(): string {
  if (!existsSync(HELM)) throw new Error(`Helm is not installed at ${HELM}: run \`make tools\` (make test runs it first)`);
  return HELM;
}

export function helm(args: readonly string[]): string {
  try {
    return execFileSync(requireHelm(), args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: `${ROOT}.tools/helm/cache`, HELM_CONFIG_HOME: `${ROOT}.tools/helm/config`, HELM_DATA_HOME: `${ROOT}.tools/helm/data` } });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`helm ${args.join(' ')} failed:\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

/** The values files CI renders: every charts/bellwether/ci/*-values.yaml (adding a file there is enough). */
export function ciValuesFiles(): string[] {
  return readdirSync(`${CHART}/ci`)
    .filter((f) => f.endsWith('-values.yaml'))
    .sort()
    .map((f) => `ci/${f}`);
}

/** Parses a multi-document YAML stream strictly: a duplicate key or a syntax error throws. */
export function parseObjects(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const obj = doc.toJS() as K8sObject | null;
    if (obj !== null) out.push(obj);
  }
  return out;
}

/** `helm template` with a values file (relative to the chart) and extra flags; CRDs included, helm test hooks included. */
export function render(valuesFile?: string, extra: readonly string[] = []): K8sObject[] {
  const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, '--include-crds', ...(valuesFile ? ['--values', `${CHART}/${valuesFile}`] : []), ...extra];
  return parseObjects(helm(args), `helm template ${valuesFile ?? '(defaults)'}`);
}

export const idOf = (o: K8sObject): string => `${o.kind}/${o.metadata?.name}`;
export const find = (objs: readonly K8sObject[], kind: string, name?: string): K8sObject | undefined => objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
