/**
 * Validates rendered Kubernetes objects offline against the API's schemas, in
 * two ways, for two Kubernetes versions:
 *
 * 1. JSON Schema: the `kubernetes-models` packages ship, per type, the API's
 *    OpenAPI schema compiled by ajv (types, required fields, enums, formats
 *    such as int-or-string). `new Deployment(obj).validate()` runs it.
 * 2. Unknown fields: those schemas do not refuse unknown keys (neither does the
 *    OpenAPI document they come from), so every object is also type-checked
 *    by the TypeScript compiler as an object literal of the package's
 *    interface — an excess property anywhere in it is an error
 *    ("'bogus' does not exist in type 'IContainer'").
 *
 * The versions (npm aliases install both side by side):
 * - floor: `kubernetes-models-1-25` = kubernetes-models 4.1.0, generated from
 *   Kubernetes 1.25.2. No release tracks 1.26 (4.1 is 1.25, 4.3 is 1.27). For
 *   the GA APIs a chart uses, fields are only ever added, so an object valid
 *   against 1.25 is valid against 1.26, our oldest supported version; a field
 *   added in 1.26 would be refused here (a false alarm, never a miss).
 * - current: `kubernetes-models` 5.1.0, the newest release. Its README badge
 *   still says 1.27.1, but its schemas carry resource.k8s.io/v1 and the pod's
 *   hostnameOverride (1.34) and schedulingGroup (newer still): a current API,
 *   1.34 or later.
 * Custom resources of other projects are checked against their CRDs' schemas
 * (the same for every Kubernetes version): CRD_MODELS.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { K8sObject } from './helm.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Target {
  name: string;
  /** The npm package (or alias) holding the core API types. */
  core: string;
  resolution: ts.ModuleResolutionKind;
}

export const TARGETS: readonly Target[] = [
  { name: 'Kubernetes 1.25.2 (floor for 1.26)', core: 'kubernetes-models-1-25', resolution: ts.ModuleResolutionKind.Node10 },
  { name: 'Kubernetes 1.34+ (current)', core: 'kubernetes-models', resolution: ts.ModuleResolutionKind.Bundler },
];

/** API groups of other projects → the kubernetes-models package with their CRDs' types and schemas. */
export const CRD_MODELS: Record<string, string> = {
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** Group-versions removed by 1.26 that the 1.25 models still carry. */
const REMOVED_BY_1_26 = new Set(['flowcontrol.apiserver.k8s.io/v1beta1', 'autoscaling/v2beta2']);

/** The module holding a kind's model, e.g. `kubernetes-models/apps/v1/Deployment`; undefined when no package covers the group. */
export function modelModule(o: Pick<K8sObject, 'apiVersion' | 'kind'>, target: Target): string | undefined {
  const [group, version] = o.apiVersion.includes('/') ? (o.apiVersion.split('/') as [string, string]) : ['', o.apiVersion];
  if (group.includes('.') && !group.endsWith('.k8s.io')) {
    const pkg = CRD_MODELS[group];
    return pkg === undefined ? undefined : `${pkg}/${group}/${version}/${o.kind}`;
  }
  return `${target.core}/${group === '' ? version : `${group}/${version}`}/${o.kind}`;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** JSON Schema validation of one object; returns the problems (empty: valid). */
export async function schemaErrors(o: K8sObject, target: Target): Promise<string[]> {
  const mod = modelModule(o, target);
  if (mod === undefined) return [`no schema for ${o.apiVersion} ${o.kind}: add its @kubernetes-models package to CRD_MODELS in test/chart/k8s-schemas.ts`];
  if (target.core === 'kubernetes-models-1-25' && REMOVED_BY_1_26.has(o.apiVersion)) return [`${o.apiVersion} is not served by Kubernetes 1.26`];
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(mod)) as Record<string, ModelClass>)[o.kind];
  } catch {
    const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(mod)![1]!;
    if (!existsSync(`${ROOT}node_modules/${pkg}/package.json`)) return [`${pkg} is not installed: npm install --no-audit --no-fund -D ${pkg}`];
    Model = undefined;
  }
  if (Model === undefined) return [`${o.apiVersion} ${o.kind} does not exist in ${target.name}`];
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/**
 * Unknown-field check: one TypeScript program per target, one virtual file per
 * group of objects, one object per line. Returns, per group, the problems per
 * object index.
 */
export function unknownFieldErrors(groups: Record<string, readonly K8sObject[]>, target: Target): Record<string, Map<number, string[]>> {
  const files = new Map<string, { group: string; text: string }>();
  for (const [group, objs] of Object.entries(groups)) {
    const imports: string[] = [];
    const lines: string[] = [];
    objs.forEach((o, i) => {
      const mod = modelModule(o, target);
      if (mod === undefined) {
        lines.push(`// ${i}: no model`);
        return;
      }
      imports.push(`import type { I${o.kind} as T${i} } from '${mod}';`);
      lines.push(`export const o${i}: T${i} = ${JSON.stringify(o)};`);
    });
    const name = `${ROOT}test/chart/__fields_${group.replace(/[^a-z0-9]+/gi, '_')}.ts`;
    // Objects first (line i = object i), imports after: imports are hoisted.
    files.set(name, { group, text: `${lines.join('\n')}\n${imports.join('\n')}\n` });
  }
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: target.resolution === ts.ModuleResolutionKind.Node10 ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
    moduleResolution: target.resolution,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => {
    const virtual = files.get(file);
    return virtual ? ts.createSourceFile(file, virtual.text, lang) : read(file, lang, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const out: Record<string, Map<number, string[]>> = Object.fromEntries(Object.keys(groups).map((g) => [g, new Map()]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const virtual = d.file ? files.get(d.file.fileName) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!virtual || d.start === undefined) throw new Error(`type check of the models failed outside the objects: ${message}`);
    const line = d.file!.getLineAndCharacterOfPosition(d.start).line;
    const problems = out[virtual.group]!;
    problems.set(line, [...(problems.get(line) ?? []), message]);
  }
  return out;
}
