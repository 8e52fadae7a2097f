/**
 * Mutating admission webhooks, called the way the real server calls them: a
 * POST of an `admission.k8s.io/v1` AdmissionReview over HTTPS trusting the
 * configuration's caBundle, with `?timeout=<n>s`, the returned base64
 * JSONPatch applied, and failurePolicy deciding what an error means (Ignore:
 * carry on unpatched; Fail: a 500 InternalError). Configurations run in name
 * order, webhooks in list order, each seeing the previous one's result.
 * Every call is recorded for assertions. matchConditions, reinvocation and
 * validating webhooks are not modelled.
 */
import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { jsonPatch, parseJsonPatch } from './patch.js';
import type { Registry } from './resources.js';
import { matchLabelSelector, type LabelSelector } from './selectors.js';
import { ApiError, internalError } from './status.js';
import type { Store } from './store.js';
import { clone, type KubeObject, type ResourceInfo } from './types.js';
import type { Identity } from './auth.js';

interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: '*' | 'Namespaced' | 'Cluster';
}
interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}
interface MutatingWebhook {
  name: string;
  clientConfig: { url?: string; service?: ServiceReference; caBundle?: string };
  rules?: RuleWithOperations[];
  failurePolicy?: 'Ignore' | 'Fail';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  timeoutSeconds?: number;
}

export interface WebhookCall {
  configuration: string;
  webhook: string;
  url: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  latencyMs: number;
  error?: string;
  /** What happened to the object: patched, allowed unchanged, denied, or failed (then failurePolicy applies). */
  outcome: 'patched' | 'allowed' | 'denied' | 'failed';
}

/** Maps a webhook's `clientConfig.service` to a base URL such as `https://127.0.0.1:9443`. */
export type ServiceResolver = (svc: ServiceReference) => string | undefined;

const anyOf = (list: string[] | undefined, v: string): boolean => !!list && (list.includes('*') || list.includes(v));

function ruleMatches(rule: RuleWithOperations, r: ResourceInfo, op: string): boolean {
  const scope = rule.scope ?? '*';
  return (
    anyOf(rule.operations, op) &&
    anyOf(rule.apiGroups, r.group) &&
    anyOf(rule.apiVersions, r.version) &&
    (anyOf(rule.resources, r.resource) || (rule.resources ?? []).includes('*/*')) &&
    (scope === '*' || (scope === 'Namespaced') === r.namespaced)
  );
}

function post(url: string, body: string, caBundle: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
        ...(caBundle ? { ca: Buffer.from(caBundle, 'base64') } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded')), timeoutMs);
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded')));
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

export class Admission {
  readonly calls: WebhookCall[] = [];

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly resolveService: ServiceResolver = () => undefined,
  ) {}

  private namespaceLabels(ns: string): Record<string, string> {
    const nsRes = this.registry.find('', 'v1', 'namespaces')!;
    return { ...(this.store.get(nsRes, undefined, ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
  }

  /** Run every matching mutating webhook over `obj`; return the object as patched. */
  async mutate(r: ResourceInfo, operation: 'CREATE' | 'UPDATE', input: KubeObject, old: KubeObject | undefined, user: Identity): Promise<KubeObject> {
    let obj = clone(input);
    const cfgRes = this.registry.find('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations')!;
    for (const cfg of this.store.list(cfgRes)) {
      for (const hook of (cfg.webhooks as MutatingWebhook[] | undefined) ?? []) {
        if (!(hook.rules ?? []).some((rule) => ruleMatches(rule, r, operation))) continue;
        const ns = obj.metadata.namespace;
        if (r.namespaced && ns && !matchLabelSelector(hook.namespaceSelector, this.namespaceLabels(ns))) continue;
        if (!matchLabelSelector(hook.objectSelector, obj.metadata.labels) && !(old && matchLabelSelector(hook.objectSelector, old.metadata.labels))) continue;
        obj = await this.call(cfg.metadata.name!, hook, r, operation, obj, old, user);
      }
    }
    return obj;
  }

  private async call(configuration: string, hook: MutatingWebhook, r: ResourceInfo, operation: string, obj: KubeObject, old: KubeObject | undefined, user: Identity): Promise<KubeObject> {
    const timeoutSeconds = hook.timeoutSeconds ?? 10;
    const base = hook.clientConfig.url ?? (hook.clientConfig.service ? this.resolveService(hook.clientConfig.service) : undefined);
    const svc = hook.clientConfig.service;
    const url = base ? `${base}${hook.clientConfig.url ? '' : (svc?.path ?? '')}${base.includes('?') ? '&' : '?'}timeout=${timeoutSeconds}s` : `https://${svc?.name}.${svc?.namespace}.svc:${svc?.port ?? 443}${svc?.path ?? ''}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const gvr = { group: r.group, version: r.version, resource: r.resource };
    const uid = randomUUID();
    const request = {
      uid,
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      requestResource: gvr,
      name: obj.metadata.name ?? '',
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      operation,
      userInfo: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups ?? ['system:authenticated'] },
      object: obj,
      oldObject: old ?? null,
      dryRun: false,
      options: { kind: operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' },
    };
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
    const started = performance.now();
    const record: WebhookCall = { configuration, webhook: hook.name, url, request: review, latencyMs: 0, outcome: 'failed' };
    this.calls.push(record);
    try {
      if (!base) throw new Error(`failed to call webhook: Post "${url}": no route to service`);
      let reply: { status: number; text: string };
      try {
        reply = await post(url, JSON.stringify(review), hook.clientConfig.caBundle, timeoutSeconds * 1000);
      } catch (e) {
        throw new Error(`failed to call webhook: Post "${url}": ${(e as Error).message}`);
      }
      if (reply.status !== 200) throw new Error(`received invalid webhook response: unexpected status ${reply.status}: ${reply.text.slice(0, 200)}`);
      const body = JSON.parse(reply.text) as { apiVersion?: string; kind?: string; response?: Record<string, unknown> };
      record.response = body as Record<string, unknown>;
      const resp = body.response;
      if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview' || !resp) {
        throw new Error(`received invalid webhook response: expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${body.apiVersion ?? ''}, Kind=${body.kind ?? ''}`);
      }
      if (resp.uid !== uid) throw new Error(`received invalid webhook response: expected response.uid="${uid}", got "${String(resp.uid)}"`);
      if (resp.allowed !== true) {
        record.outcome = 'denied';
        const st = (resp.status ?? {}) as { code?: number; message?: string; reason?: string };
        const why = st.message ? `: ${st.message}` : st.reason ? `: ${st.reason}` : ' without explanation';
        throw new ApiError(Math.max(st.code ?? 400, 400), st.reason ?? '', `admission webhook "${hook.name}" denied the request${why}`);
      }
      if (!resp.patch) {
        record.outcome = 'allowed';
        return obj;
      }
      if (resp.patchType !== 'JSONPatch') throw new Error(`received invalid webhook response: unsupported patch type "${String(resp.patchType)}"`);
      let patched: KubeObject;
      try {
        patched = jsonPatch(obj, parseJsonPatch(JSON.parse(Buffer.from(String(resp.patch), 'base64').toString('utf8')))) as KubeObject;
      } catch (e) {
        throw new Error(`JSON Patch: ${(e as Error).message}`);
      }
      record.outcome = 'patched';
      return patched;
    } catch (e) {
      record.error = (e as Error).message;
      if (e instanceof ApiError) throw e;
      if ((hook.failurePolicy ?? 'Fail') === 'Ignore') return obj;
      throw internalError(`failed calling webhook "${hook.name}": ${(e as Error).message}`);
    } finally {
      record.latencyMs = performance.now() - started;
    }
  }
}
