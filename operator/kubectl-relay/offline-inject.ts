/**
 * `kubectl relay inject -f`: the webhook's own injection (inject.ts) applied
 * to the pod templates of manifests, for clusters that forbid mutating
 * webhooks. Pure apart from `routesIn`: YAML text in, YAML text out.
 *
 * The template is presented to `injectable`/`injectPatch` as the Pod its
 * controller would create (template metadata and spec, the manifest's
 * namespace), and the patch is applied to it, so the template carries
 * exactly what the webhook would have added to each pod. A template that is
 * skipped is left as it is (the reasons go to `notes`, not into a
 * skip-reason annotation that every pod would then inherit); one already
 * injected is left as it is, which makes a second run change nothing. The
 * webhook, if it also runs, sees the `bellwether` container and leaves such
 * pods alone. Documents of other kinds pass through untouched (comments
 * kept).
 */
import type { V1ObjectMeta, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { Document, parseAllDocuments } from 'yaml';
import { injectable, injectPatch, type InjectContext } from '../inject.js';
import { applyPatch } from '../json-patch.js';
import type { RelayRoute } from '../route.js';

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATH: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface OfflineInjectOptions extends Omit<InjectContext, 'routes' | 'namespace'> {
  routesIn: (namespace: string) => readonly RelayRoute[] | Promise<readonly RelayRoute[]>;
  /** For manifests without metadata.namespace (`-n`, the context's, or "default"). */
  defaultNamespace: string;
}

export interface OfflineInjectResult {
  yaml: string;
  injected: number;
  /** One line per workload not injected: `Deployment shop/web: no RelayRoute selects this pod`. */
  notes: string[];
}

type Obj = { apiVersion?: string; kind?: string; metadata?: V1ObjectMeta } & Record<string, unknown>;
type Template = { metadata?: V1ObjectMeta; spec?: V1PodSpec };

function at(obj: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export async function injectManifests(text: string, o: OfflineInjectOptions): Promise<OfflineInjectResult> {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { yaml: '', injected: 0, notes: [] };
  const out: string[] = [];
  const notes: string[] = [];
  let injected = 0;
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`YAML: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as Obj | null;
    const path = obj?.kind !== undefined ? TEMPLATE_PATH[obj.kind] : undefined;
    if (obj === null || path === undefined) {
      if (obj !== null) out.push(doc.toString());
      continue;
    }
    const namespace = obj.metadata?.namespace || o.defaultNamespace;
    const what = `${obj.kind} ${namespace}/${obj.metadata?.name ?? '<unnamed>'}`;
    const template = (path.length === 0 ? obj : at(obj, path)) as Template | undefined;
    if (!template?.spec || !Array.isArray(template.spec.containers)) {
      notes.push(`${what}: no pod template with containers; left as it is`);
      out.push(doc.toString());
      continue;
    }
    const pod: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...(template.metadata ?? {}), namespace }, spec: template.spec };
    const ctx: InjectContext = { ...o, routes: await o.routesIn(namespace), namespace };
    const decision = injectable(pod, ctx);
    if (!decision.inject) {
      notes.push(`${what}: ${decision.alreadyInjected ? 'already injected' : decision.reasons.join('; ')}; left as it is`);
      out.push(doc.toString());
      continue;
    }
    const patched = applyPatch(pod, injectPatch(pod, ctx));
    const metadata = { ...patched.metadata };
    if (template.metadata?.namespace === undefined) delete metadata.namespace;
    template.metadata = metadata;
    template.spec = patched.spec as V1PodSpec;
    injected++;
    out.push(new Document(obj).toString({ lineWidth: 0 }));
  }
  // A document that began with an explicit `---` prints it; the join puts one between documents.
  const body = out.map((d) => d.replace(/^---[ \t]*(\n|$)/, '')).map((d) => (d.endsWith('\n') ? d : `${d}\n`));
  return { yaml: body.join('---\n'), injected, notes };
}
