/**
 * The MutatingWebhookConfiguration that sends Pod creations to the operator
 * (pure: `webhookConfiguration`), and `ensureWebhookConfiguration`, which
 * creates it or brings it up to date — chiefly `caBundle` after a CA
 * rotation. Every replica runs it; the writes are conditional and idempotent,
 * so two replicas converge on the same object.
 *
 * Who is sent to the webhook:
 * - Pod CREATE only (Namespaced). Injection happens at creation; an UPDATE
 *   cannot add containers anyway.
 * - `namespaceSelector`: not the operator's namespace, not kube-system
 *   (`kubernetes.io/metadata.name NotIn [...]`, a label every namespace has
 *   since 1.21). The operator's own pods must never wait on the operator.
 * - `objectSelector`: not pods labelled `bellwether.dev/inject: "false"`.
 *   An objectSelector sees labels only, so the documented opt-out — the
 *   *annotation* `bellwether.dev/inject: "false"` — still reaches the webhook
 *   and is refused by the pure core (inject.ts), which records the skip
 *   reason; the label is an extra, cheaper opt-out that skips the call.
 * - `failurePolicy: Ignore`, `timeoutSeconds: 5`: the operator down or slow
 *   never blocks a pod; it is created without the sidecar.
 * - `reinvocationPolicy: IfNeeded`: when a later webhook changes the pod, we
 *   are called again; the pure core is idempotent (an injected pod gets no
 *   patch), and a pod that was skipped only for a reason the other webhook
 *   fixed is injected then.
 * - `sideEffects: None`, `admissionReviewVersions: [v1]`.
 *
 * Development: with `url`, the webhook is registered by URL
 * (`https://127.0.0.1:9443/mutate-pods`) so an API server can call an
 * operator running outside the cluster; otherwise through the Service.
 */
import type { AdmissionregistrationV1Api, V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { Annotation, Label, MANAGED_BY } from '../names.js';
import { isConflict, isNotFound } from './api-status.js';

export const WEBHOOK_CONFIGURATION_NAME = 'bellwether-sidecar-injector';
export const WEBHOOK_NAME = 'inject.bellwether.dev';

export interface WebhookConfigurationInput {
  name?: string;
  /** PEM (one or more CAs) or base64 of it. */
  caBundle: string;
  service?: { namespace: string; name: string; port: number; path: string };
  url?: string;
  operatorNamespace: string;
}

/** A PEM bundle → the base64 `caBundle` wants; an already base64 value passes through. */
export function toCaBundle(pemOrBase64: string): string {
  return pemOrBase64.includes('-----BEGIN') ? Buffer.from(pemOrBase64, 'utf8').toString('base64') : pemOrBase64;
}

export function webhookConfiguration(i: WebhookConfigurationInput): V1MutatingWebhookConfiguration {
  if ((i.url === undefined) === (i.service === undefined)) throw new Error('webhookConfiguration: give exactly one of url and service');
  const clientConfig = i.url !== undefined ? { url: i.url } : { service: { ...i.service! } };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: i.name ?? WEBHOOK_CONFIGURATION_NAME, labels: { [Label.managedBy]: MANAGED_BY } },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        clientConfig: { ...clientConfig, caBundle: toCaBundle(i.caBundle) },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        failurePolicy: 'Ignore',
        matchPolicy: 'Equivalent',
        timeoutSeconds: 5,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        reinvocationPolicy: 'IfNeeded',
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set([i.operatorNamespace, 'kube-system'])] }],
        },
        objectSelector: { matchExpressions: [{ key: Annotation.inject, operator: 'NotIn', values: ['false'] }] },
      },
    ],
  };
}

/** The narrow client `ensureWebhookConfiguration` needs; AdmissionregistrationV1Api satisfies it. */
export type WebhookConfigClient = Pick<
  AdmissionregistrationV1Api,
  'readMutatingWebhookConfiguration' | 'createMutatingWebhookConfiguration' | 'replaceMutatingWebhookConfiguration'
>;

/** The fields we own, as the server stores them (it adds defaults we do not set, e.g. matchConditions). */
function owned(c: V1MutatingWebhookConfiguration) {
  return (c.webhooks ?? []).map((w) => ({
    name: w.name,
    clientConfig: w.clientConfig,
    rules: w.rules,
    failurePolicy: w.failurePolicy,
    matchPolicy: w.matchPolicy,
    timeoutSeconds: w.timeoutSeconds,
    sideEffects: w.sideEffects,
    admissionReviewVersions: w.admissionReviewVersions,
    reinvocationPolicy: w.reinvocationPolicy,
    namespaceSelector: w.namespaceSelector,
    objectSelector: w.objectSelector,
  }));
}

/**
 * Creates `desired` or replaces the stored one when a field we own differs
 * (GET, then PUT with its resourceVersion; 409 → read again and retry).
 * Labels and annotations others set are kept. Returns what it did.
 */
export async function ensureWebhookConfiguration(kube: WebhookConfigClient, desired: V1MutatingWebhookConfiguration): Promise<'created' | 'updated' | 'unchanged'> {
  const name = desired.metadata?.name ?? WEBHOOK_CONFIGURATION_NAME;
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: V1MutatingWebhookConfiguration | undefined;
    try {
      current = await kube.readMutatingWebhookConfiguration({ name });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      if (current === undefined) {
        await kube.createMutatingWebhookConfiguration({ body: desired });
        return 'created';
      }
      const labelsOk = Object.entries(desired.metadata?.labels ?? {}).every(([k, v]) => current.metadata?.labels?.[k] === v);
      if (labelsOk && isDeepStrictEqual(JSON.parse(JSON.stringify(owned(current))), JSON.parse(JSON.stringify(owned(desired))))) return 'unchanged';
      await kube.replaceMutatingWebhookConfiguration({
        name,
        body: {
          ...desired,
          metadata: { ...current.metadata, labels: { ...(current.metadata?.labels ?? {}), ...(desired.metadata?.labels ?? {}) } },
        },
      });
      return 'updated';
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  throw new Error(`MutatingWebhookConfiguration ${name}: still conflicting after 5 attempts`);
}

/** Who writes the MutatingWebhookConfiguration (`--webhook-registration`). */
export type Registration = 'create' | 'ca-bundle' | 'none';

/**
 * `current` with `caBundle` set on the webhook named `webhookName`, or
 * undefined when that webhook already carries it (nothing to write). Every
 * other field — the chart's selectors, timeout, labels — is left as it is.
 */
export function withCaBundle(current: V1MutatingWebhookConfiguration, webhookName: string, caBundle: string): V1MutatingWebhookConfiguration | undefined {
  const want = toCaBundle(caBundle);
  const hooks = current.webhooks ?? [];
  const hook = hooks.find((w) => w.name === webhookName);
  if (hook === undefined) throw new Error(`MutatingWebhookConfiguration ${current.metadata?.name ?? '?'} has no webhook named ${webhookName}`);
  if (hook.clientConfig.caBundle === want) return undefined;
  return { ...current, webhooks: hooks.map((w) => (w.name === webhookName ? { ...w, clientConfig: { ...w.clientConfig, caBundle: want } } : w)) };
}

/**
 * `--webhook-registration=ca-bundle`: the configuration belongs to someone
 * else (the Helm chart); only its `caBundle` is ours. Never creates it: a
 * missing configuration is an error the caller logs and retries.
 */
export async function ensureCaBundle(kube: WebhookConfigClient, name: string, webhookName: string, caBundle: string): Promise<'updated' | 'unchanged'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: V1MutatingWebhookConfiguration;
    try {
      current = await kube.readMutatingWebhookConfiguration({ name });
    } catch (e) {
      if (isNotFound(e)) throw new Error(`MutatingWebhookConfiguration ${name} not found: with --webhook-registration=ca-bundle it is created by the Helm chart, not by the operator`);
      throw e;
    }
    const next = withCaBundle(current, webhookName, caBundle);
    if (next === undefined) return 'unchanged';
    try {
      await kube.replaceMutatingWebhookConfiguration({ name, body: next });
      return 'updated';
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  throw new Error(`MutatingWebhookConfiguration ${name}: still conflicting after 5 attempts`);
}
