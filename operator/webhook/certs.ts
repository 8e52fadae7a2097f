/**
 * The webhook's CA and serving certificate, kept in one Secret in the
 * operator's namespace so every replica serves the same certificate and the
 * MutatingWebhookConfiguration's `caBundle` trusts all of them.
 *
 * Secret `bellwether-webhook-tls` (type kubernetes.io/tls):
 * - `tls.crt`, `tls.key`: the serving certificate (1 year) and its key;
 * - `ca.crt`, `ca.key`: the current CA (10 years) and its key — the key is
 *   kept so a serving-certificate rotation (yearly) keeps the same CA and the
 *   caBundle does not change;
 * - `ca-previous.crt` (only after a CA rotation): the CA before it, still
 *   trusted, and the annotation `bellwether.dev/ca-rotated-at` (RFC 3339).
 *
 * Concurrency: every write is conditional. A create that meets 409
 * AlreadyExists, or a replace that meets 409 Conflict, re-reads the Secret and
 * plans again — the winner's fresh certificates need no change, so the loser
 * adopts them. Two replicas therefore end up with the same CA.
 *
 * CA rotation and the caBundle (the rule implemented here): when the CA has
 * less than a third of its validity left, a new CA is made, the serving
 * certificate is re-issued from it, and the old CA moves to
 * `ca-previous.crt`. The caBundle is `ca.crt` + `ca-previous.crt` for
 * `caOverlapMs` after the rotation (default 24 h, many times the hourly
 * re-check, by which every replica has re-read the Secret and serves the new
 * certificate) and never past the old CA's expiry; the first check after that
 * drops `ca-previous.crt`. Each replica writes the new caBundle to the
 * MutatingWebhookConfiguration *before* it starts serving a certificate from
 * the new CA (index.ts), so the API server never meets a certificate it does
 * not trust — at worst, for the moment its own cache lags, a call fails and
 * `failurePolicy: Ignore` admits the pod unmutated.
 */
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY, Label } from '../names.js';
import { rfc3339 } from '../route.js';
import { isConflict, isNotFound } from './api-status.js';
import { inspect, issueCA, issueServing, keyMatches, rotationReason, signedBy, type KeyPair, type SanSet } from './pki.js';

export { issueCA, issueServing, needsRotation, rotationReason, inspect, type KeyPair, type SanSet } from './pki.js';

export const TLS_SECRET_NAME = 'bellwether-webhook-tls';
export const CA_ROTATED_AT = 'bellwether.dev/ca-rotated-at';
const Key = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt', caKey: 'ca.key', caPrevious: 'ca-previous.crt' } as const;

/** The narrow Kubernetes client the certificates need; CoreV1Api satisfies it. */
export type SecretClient = Pick<CoreV1Api, 'readNamespacedSecret' | 'createNamespacedSecret' | 'replaceNamespacedSecret'>;

export interface CertOptions extends SanSet {
  namespace: string;
  secretName?: string;
  now: number;
  caValidityDays?: number;
  servingValidityDays?: number;
  /** How long the previous CA stays in the caBundle after a CA rotation. Default 24 h. */
  caOverlapMs?: number;
}

export interface WebhookCertificates {
  /** Serving certificate and key (PEM). */
  certPem: string;
  keyPem: string;
  /** The current CA (PEM). */
  caPem: string;
  /** What the MutatingWebhookConfiguration must trust: the current CA, then the previous while it overlaps. */
  caBundlePem: string;
  /** What this call changed (empty when the Secret was already good): e.g. `serving certificate: SANs changed`. */
  changes: string[];
}

const decode = (s: V1Secret | undefined, k: string): string | undefined => {
  const v = s?.data?.[k];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};
const encode = (v: string): string => Buffer.from(v, 'utf8').toString('base64');

interface Plan {
  data: Record<string, string>;
  annotations: Record<string, string>;
  changes: string[];
}

/** The Secret contents wanted at `now`, given what it holds (undefined: nothing yet). */
async function plan(secret: V1Secret | undefined, o: CertOptions): Promise<Plan> {
  const changes: string[] = [];
  const annotations: Record<string, string> = {};
  let ca: KeyPair | undefined;
  const caPem = decode(secret, Key.ca);
  const caKeyPem = decode(secret, Key.caKey);
  let previous = decode(secret, Key.caPrevious);
  let rotatedAt = secret?.metadata?.annotations?.[CA_ROTATED_AT];

  const caProblem = caPem === undefined || caKeyPem === undefined ? 'missing' : rotationReason(caPem, o.now) ?? ((await keyMatches(caPem, caKeyPem)) ? undefined : 'key does not match');
  if (caProblem === undefined) {
    ca = { certPem: caPem as string, keyPem: caKeyPem as string };
  } else {
    if (caPem !== undefined && rotationReason(caPem, o.now) !== 'expired' && caProblem !== 'missing') {
      previous = caPem;
      rotatedAt = rfc3339(o.now);
    } else {
      previous = undefined;
      rotatedAt = undefined;
    }
    ca = await issueCA({ now: o.now, validityDays: o.caValidityDays ?? 3650 });
    changes.push(`CA: ${caProblem}`);
  }

  if (previous !== undefined) {
    const until = Math.min(inspect(previous).notAfter, Date.parse(rotatedAt ?? '') + (o.caOverlapMs ?? 86_400_000));
    if (!(o.now < until)) {
      previous = undefined;
      rotatedAt = undefined;
      changes.push('previous CA: overlap over, dropped from the caBundle');
    }
  }
  if (rotatedAt !== undefined) annotations[CA_ROTATED_AT] = rotatedAt;

  let serving: KeyPair;
  const certPem = decode(secret, Key.cert);
  const keyPem = decode(secret, Key.key);
  const want: SanSet = { dnsNames: o.dnsNames, ipAddresses: o.ipAddresses ?? [] };
  const servingProblem =
    certPem === undefined || keyPem === undefined
      ? 'missing'
      : (rotationReason(certPem, o.now, want) ??
        (!(await signedBy(certPem, ca.certPem)) ? 'not signed by the current CA' : !(await keyMatches(certPem, keyPem)) ? 'key does not match' : undefined));
  if (servingProblem === undefined) {
    serving = { certPem: certPem as string, keyPem: keyPem as string };
  } else {
    serving = await issueServing({ ca, now: o.now, validityDays: o.servingValidityDays ?? 365, ...want });
    changes.push(`serving certificate: ${servingProblem}`);
  }

  const data: Record<string, string> = { [Key.cert]: serving.certPem, [Key.key]: serving.keyPem, [Key.ca]: ca.certPem, [Key.caKey]: ca.keyPem };
  if (previous !== undefined) data[Key.caPrevious] = previous;
  return { data, annotations, changes };
}

function result(p: Plan): WebhookCertificates {
  const d = p.data;
  return {
    certPem: d[Key.cert] as string,
    keyPem: d[Key.key] as string,
    caPem: d[Key.ca] as string,
    caBundlePem: (d[Key.ca] as string) + (d[Key.caPrevious] ?? ''),
    changes: p.changes,
  };
}

function secretFor(o: CertOptions, name: string, p: Plan, current?: V1Secret): V1Secret {
  const annotations = { ...(current?.metadata?.annotations ?? {}) };
  delete annotations[CA_ROTATED_AT];
  Object.assign(annotations, p.annotations);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      ...(current?.metadata ?? {}),
      name,
      namespace: o.namespace,
      labels: { ...(current?.metadata?.labels ?? {}), [Label.managedBy]: MANAGED_BY },
      ...(Object.keys(annotations).length > 0 ? { annotations } : { annotations: undefined }),
    },
    data: Object.fromEntries(Object.entries(p.data).map(([k, v]) => [k, encode(v)])),
  };
}

/**
 * Reads the Secret, creates or rotates what needs it, and returns the PEMs to
 * serve and trust. Safe to run from every replica at once (see above).
 */
export async function ensureCertificates(kube: SecretClient, o: CertOptions): Promise<WebhookCertificates> {
  const name = o.secretName ?? TLS_SECRET_NAME;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: V1Secret | undefined;
    try {
      current = await kube.readNamespacedSecret({ name, namespace: o.namespace });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const p = await plan(current, o);
    if (current !== undefined && p.changes.length === 0) return result(p);
    try {
      if (current === undefined) await kube.createNamespacedSecret({ namespace: o.namespace, body: secretFor(o, name, p) });
      else await kube.replaceNamespacedSecret({ name, namespace: o.namespace, body: secretFor(o, name, p, current) });
      return result(p);
    } catch (e) {
      if (!isConflict(e)) throw e;
      lastError = e; // another replica wrote first: re-read and adopt its certificates
    }
  }
  throw new Error(`Secret ${o.namespace}/${name}: still conflicting after 5 attempts: ${String(lastError)}`);
}
