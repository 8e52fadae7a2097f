/**
 * The Helm chart, checked with the real tools: `helm lint --strict` and
 * `helm template` over every values file in charts/bellwether/ci/, and every
 * rendered object validated offline against the Kubernetes API schemas of
 * two versions (k8s-schemas.ts says which and how), strictly: unknown fields
 * are refused. Then what the objects must say: the operator's flags parse,
 * the RBAC is operator/rbac.yaml's, the webhook matches the operator's own
 * registration, and the safe defaults hold.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../../operator/cli.js';
import { createRelayRouteValidator, loadCrdSchema } from '../../sidecar/config/schema.js';
import { webhookConfiguration } from '../../operator/webhook/registration.js';
import { CHART, NAMESPACE, RELEASE, ROOT, ciValuesFiles, find, helm, idOf, render, requireHelm, type K8sObject } from './helm.js';
import { TARGETS, schemaErrors, unknownFieldErrors } from './k8s-schemas.js';

const FILES = ciValuesFiles();
const rendered: Record<string, K8sObject[]> = {};

type Container = { name: string; command?: string[]; args?: string[]; image?: string; securityContext?: Record<string, unknown>; resources?: unknown; livenessProbe?: { httpGet: { path: string; port: string } }; readinessProbe?: { httpGet: { path: string; port: string } }; ports?: Array<{ name: string; containerPort: number }> };
type PodSpec = { containers: Container[]; securityContext?: Record<string, unknown>; volumes?: Array<{ name: string; secret?: { secretName: string } }>; topologySpreadConstraints?: unknown[]; affinity?: unknown };
const podSpec = (o: K8sObject) => (o.spec as { template: { spec: PodSpec } }).template.spec;
const operatorContainer = (objs: K8sObject[]) => podSpec(find(objs, 'Deployment', 'bellwether-operator')!).containers[0]!;
const hook = (objs: K8sObject[]) => (find(objs, 'MutatingWebhookConfiguration')! as unknown as { webhooks: Array<Record<string, unknown>> }).webhooks[0]!;

beforeAll(() => {
  requireHelm();
  for (const f of FILES) rendered[f] = render(f);
});

describe('helm lint --strict and helm template, every ci/ values file', () => {
  it('finds the values files', () => {
    expect(FILES).toEqual(expect.arrayContaining(['ci/default-values.yaml', 'ci/cert-manager-values.yaml', 'ci/networkpolicy-values.yaml', 'ci/everything-values.yaml']));
  });
  it.each(FILES)('%s lints clean', (f) => {
    expect(helm(['lint', '--strict', CHART, '--values', `${CHART}/${f}`])).toContain('0 chart(s) failed');
  });
  it.each(FILES)('%s renders the CRD, the operator and its webhook', (f) => {
    const ids = rendered[f]!.map(idOf);
    expect(ids).toEqual(expect.arrayContaining(['CustomResourceDefinition/relayroutes.bellwether.dev', 'Deployment/bellwether-operator', 'ServiceAccount/bellwether-operator', 'ClusterRole/bellwether-operator', 'Role/bellwether-operator', 'ClusterRoleBinding/bellwether-operator', 'RoleBinding/bellwether-operator', 'Service/bellwether-webhook', 'MutatingWebhookConfiguration/bellwether-sidecar-injector']));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(TARGETS)('every rendered object is valid for $name', (target) => {
  let fieldProblems: Record<string, Map<number, string[]>>;
  beforeAll(() => {
    fieldProblems = unknownFieldErrors(rendered, target);
  });
  it.each(FILES)('%s: schema (types, required fields, enums)', async (f) => {
    const problems: string[] = [];
    for (const o of rendered[f]!) for (const p of await schemaErrors(o, target)) problems.push(`${idOf(o)}: ${p}`);
    expect(problems).toEqual([]);
  });
  it.each(FILES)('%s: no unknown fields', (f) => {
    const objs = rendered[f]!;
    const problems = [...fieldProblems[f]!].map(([i, ps]) => `${objs[i] ? idOf(objs[i]) : `line ${i}`}: ${ps.join('; ')}`);
    expect(problems).toEqual([]);
  });
});

describe('the validators catch what they must (so a pass means something)', () => {
  const bad = (): K8sObject => structuredClone(find(rendered['ci/default-values.yaml']!, 'Deployment')!);
  it.each(TARGETS)('$name: an unknown field deep in a pod template and one in metadata', (target) => {
    const a = bad();
    (podSpec(a).containers[0] as unknown as Record<string, unknown>).readinessGate = true;
    const b = bad();
    (b.metadata as Record<string, unknown>).owner = 'team';
    const problems = unknownFieldErrors({ a: [a], b: [b] }, target);
    expect([...problems.a!.values()].flat().join()).toMatch(/'"readinessGate"' does not exist in type 'IContainer'/);
    expect([...problems.b!.values()].flat().join()).toMatch(/'"owner"' does not exist in type 'IObjectMeta'/);
  });
  it.each(TARGETS)('$name: a wrong type, a missing required field, an unknown kind', async (target) => {
    const a = bad();
    (podSpec(a).containers[0]!.ports![0] as unknown as Record<string, unknown>).containerPort = 'eighty';
    expect((await schemaErrors(a, target)).join()).toMatch(/containerPort must be integer/);
    const b = bad();
    delete (podSpec(b).containers[0] as Partial<Container>).name;
    expect((await schemaErrors(b, target)).join()).toMatch(/must have required property '?name'?/);
    expect(await schemaErrors({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }, target)).toEqual([`apps/v1 Deploymnet does not exist in ${target.name}`]);
    expect((await schemaErrors({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } }, target))[0]).toMatch(/no schema for example.com\/v1 Thing/);
  });
  it('the floor models are kubernetes-models 4.1.0, generated from Kubernetes 1.25.2', () => {
    const dir = `${ROOT}node_modules/kubernetes-models-1-25`;
    expect((JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { version: string }).version).toBe('4.1.0');
    expect(readFileSync(`${dir}/README.md`, 'utf8')).toContain('kubernetes-1.25.2');
  });
  it('the 1.26 floor refuses a field newer than 1.26 (container restartPolicy, 1.28)', () => {
    const a = bad();
    (podSpec(a).containers[0] as unknown as Record<string, unknown>).restartPolicy = 'Always';
    expect(unknownFieldErrors({ a: [a] }, TARGETS[0]!).a!.size).toBe(1);
    expect(unknownFieldErrors({ a: [a] }, TARGETS[1]!).a!.size).toBe(0);
  });
  it('values.schema.json refuses an unknown key and a wrong type', () => {
    expect(() => render(undefined, ['--set', 'operator.replica=2'])).toThrow(/Additional property replica is not allowed/);
    expect(() => render(undefined, ['--set', 'sidecar.logLevel=loud'])).toThrow(/sidecar.logLevel/);
  });
});

describe('what the objects say', () => {
  it.each(FILES)('%s: the operator flags parse with the operator’s own parser', (f) => {
    const objs = rendered[f]!;
    const c = operatorContainer(objs);
    expect(c.command).toEqual(['node', '/app/dist/operator/main.js']);
    const parsed = parseCli(c.args!, { POD_NAMESPACE: NAMESPACE, POD_NAME: 'bellwether-operator-0' });
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    const values = parse(readFileSync(`${CHART}/${f}`, 'utf8')) ?? {};
    const certManager = values.webhook?.certManager?.enabled === true;
    expect(parsed.cli.webhookRegistration).toBe(certManager ? 'none' : 'ca-bundle');
    expect(parsed.cli.webhookCertDir).toBe(certManager ? '/etc/bellwether/webhook-tls' : undefined);
    expect([parsed.cli.metricsPort, parsed.cli.healthPort, parsed.cli.webhookPort]).toEqual([8080, 8081, 9443]);
    expect(parsed.cli.sidecar.resources).toEqual(values.sidecar?.resources ?? parse(readFileSync(`${CHART}/values.yaml`, 'utf8')).sidecar.resources);
    if (certManager) {
      expect(podSpec(find(objs, 'Deployment')!).volumes).toContainEqual({ name: 'webhook-tls', secret: { secretName: 'bellwether-webhook-cert' } });
      const cert = find(objs, 'Certificate', 'bellwether-webhook') as unknown as { spec: { secretName: string; dnsNames: string[] } };
      expect(cert.spec.secretName).toBe('bellwether-webhook-cert');
      expect(cert.spec.dnsNames).toEqual([`bellwether-webhook.${NAMESPACE}.svc`, `bellwether-webhook.${NAMESPACE}.svc.cluster.local`]);
      expect(find(objs, 'MutatingWebhookConfiguration')!.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `${NAMESPACE}/bellwether-webhook` });
    } else {
      expect(objs.some((o) => o.apiVersion.startsWith('cert-manager.io/'))).toBe(false);
    }
  });

  it('defaults: one image for both programs, tagged with the appVersion, the same one the sidecar gets', () => {
    const objs = rendered['ci/default-values.yaml']!;
    const chart = parse(readFileSync(`${CHART}/Chart.yaml`, 'utf8')) as { appVersion: string };
    const c = operatorContainer(objs);
    expect(c.image).toBe(`ghcr.io/bellwether/bellwether:${chart.appVersion}`);
    expect(c.args).toContain(`--sidecar-image=ghcr.io/bellwether/bellwether:${chart.appVersion}`);
    const everything = operatorContainer(rendered['ci/everything-values.yaml']!);
    expect(everything.image).toBe('registry.example.com/platform/bellwether@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(everything.args).toContain('--sidecar-image=registry.example.com/platform/bellwether-sidecar:0.1.0-debug');
  });

  it.each(FILES)('%s: restricted pod security, probes on :8081, resources, spread', (f) => {
    const objs = rendered[f]!;
    const spec = podSpec(find(objs, 'Deployment')!);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const c = spec.containers[0]!;
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(c.ports).toContainEqual({ name: 'health', containerPort: 8081, protocol: 'TCP' });
    expect(c.resources).toMatchObject({ requests: expect.any(Object), limits: expect.any(Object) });
    expect(spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
    const replicas = (find(objs, 'Deployment')!.spec as { replicas: number }).replicas;
    expect(find(objs, 'PodDisruptionBudget') !== undefined).toBe(replicas > 1);
    expect(parseCli(c.args!, {}).kind === 'run' && (parseCli(c.args!, {}) as { cli: { leaderElect: boolean } }).cli.leaderElect).toBe(replicas > 1);
    for (const test of objs.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test')) {
      expect((test.spec as PodSpec).containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });

  it('the RBAC is operator/rbac.yaml’s, bound to the operator’s ServiceAccount', () => {
    const objs = rendered['ci/default-values.yaml']!;
    const source = readFileSync(`${ROOT}operator/rbac.yaml`, 'utf8').split(/^---\s*$/m).map((d) => parse(d) as K8sObject & { rules: unknown[] });
    for (const s of source) {
      const r = find(objs, s.kind, s.metadata.name) as (K8sObject & { rules: unknown[] }) | undefined;
      // The registration ClusterRole is for --webhook-registration=create, which the chart never runs.
      if (s.metadata.name === 'bellwether-operator-webhook-registration') expect(r).toBeUndefined();
      else expect(r?.rules).toEqual(s.rules);
    }
    for (const f of FILES) {
      const rules = rendered[f]!.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => (o as unknown as { rules: Array<{ resources: string[]; verbs: string[] }> }).rules);
      expect(rules.some((r) => r.resources.includes('mutatingwebhookconfigurations') && r.verbs.includes('create')), `${f}: create on mutatingwebhookconfigurations`).toBe(false);
    }
    expect(find(objs, 'Role')!.metadata.namespace).toBe(NAMESPACE);
    const subject = { kind: 'ServiceAccount', name: 'bellwether-operator', namespace: NAMESPACE };
    expect(find(objs, 'ClusterRoleBinding')!.subjects).toEqual([subject]);
    expect(find(objs, 'RoleBinding')!.subjects).toEqual([subject]);
    expect((podSpec(find(objs, 'Deployment')!) as unknown as { serviceAccountName: string }).serviceAccountName).toBe('bellwether-operator');
  });

  it.each(FILES)('%s: the webhook is the one the operator would register, with the release namespace excluded', (f) => {
    const chart = hook(rendered[f]!);
    const own = webhookConfiguration({ caBundle: 'x', operatorNamespace: NAMESPACE, service: { namespace: NAMESPACE, name: 'bellwether-webhook', port: 443, path: '/mutate-pods' } }).webhooks![0]!;
    for (const field of ['name', 'rules', 'failurePolicy', 'matchPolicy', 'sideEffects', 'admissionReviewVersions', 'reinvocationPolicy', 'objectSelector'] as const) {
      expect(chart[field], field).toEqual(JSON.parse(JSON.stringify(own[field])));
    }
    expect(chart.clientConfig).toEqual({ service: own.clientConfig.service }); // no caBundle: the operator or cert-manager writes it
    expect(chart.failurePolicy).toBe('Ignore');
    expect(chart.timeoutSeconds).toBeLessThanOrEqual(10);
    const excluded = (chart.namespaceSelector as { matchExpressions: Array<{ key: string; operator: string; values: string[] }> }).matchExpressions[0]!;
    expect(excluded).toMatchObject({ key: 'kubernetes.io/metadata.name', operator: 'NotIn' });
    expect(excluded.values).toEqual(expect.arrayContaining([NAMESPACE, 'kube-system']));
  });

  it('the NetworkPolicy lets in the webhook and metrics, and out the API server, the sidecars’ :14001 and DNS', () => {
    expect(find(rendered['ci/default-values.yaml']!, 'NetworkPolicy')).toBeUndefined();
    const np = find(rendered['ci/everything-values.yaml']!, 'NetworkPolicy')!.spec as {
      ingress: Array<{ ports: Array<{ port: number }>; from?: unknown[] }>;
      egress: Array<{ ports: Array<{ port: number; protocol: string }>; to?: unknown[] }>;
    };
    expect(np.ingress.map((r) => r.ports[0]!.port)).toEqual([9443, 8080, 8081]);
    const testPod = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'bellwether', 'app.kubernetes.io/instance': RELEASE, 'app.kubernetes.io/component': 'test' } } };
    expect(np.ingress[0]!.from).toEqual([{ ipBlock: { cidr: '172.18.0.0/16' } }, testPod]);
    expect(np.ingress[2]!.from).toEqual([testPod]);
    expect(np.egress.map((r) => r.ports.map((p) => p.port))).toEqual([[443, 6443], [14001], [53, 53]]);
    expect(np.egress[0]!.to).toEqual([{ ipBlock: { cidr: '10.96.0.1/32' } }, { ipBlock: { cidr: '172.18.0.2/32' } }]);
    const open = find(rendered['ci/networkpolicy-values.yaml']!, 'NetworkPolicy')!.spec as typeof np;
    expect(open.egress[0]!.to).toBeUndefined(); // no CIDRs given: any address on the API server ports
  });

  it.each(FILES)('%s: the NetworkPolicy admits the helm test pod on every port it checks (8081 and the webhook’s 9443)', (f) => {
    const objs = rendered[f]!;
    const policy = find(objs, 'NetworkPolicy');
    if (!policy) return; // no policy: nothing is denied
    const pod = objs.find((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test')!;
    const labels = pod.metadata.labels ?? {};
    type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: unknown };
    const admits = (peer: Peer) =>
      peer.ipBlock === undefined && peer.namespaceSelector === undefined && Object.entries(peer.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const ingress = (policy.spec as { ingress: Array<{ ports: Array<{ port: number }>; from?: Peer[] }> }).ingress;
    for (const port of [8081, 9443]) {
      const rules = ingress.filter((r) => r.ports.some((p) => p.port === port));
      expect(rules.some((r) => r.from === undefined || r.from.some(admits)), `port ${port}`).toBe(true);
    }
  });

  it('the chart’s CRD is crds/relayroute.yaml', () => {
    const crd = find(rendered['ci/default-values.yaml']!, 'CustomResourceDefinition');
    expect(crd).toEqual(parse(readFileSync(`${ROOT}crds/relayroute.yaml`, 'utf8')));
  });
});

describe('RelayRoutes against the chart CRD’s openAPIV3Schema (CEL rules included)', () => {
  const validate = createRelayRouteValidator(loadCrdSchema(`${CHART}/crds/relayroute.yaml`));
  const examples = readdirSync(`${ROOT}examples`).filter((f) => f.endsWith('.yaml'));
  it.each(examples)('examples/%s is valid', (f) => {
    const doc = parse(readFileSync(`${ROOT}examples/${f}`, 'utf8'));
    const result = validate(doc);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
  it('refuses an unknown field and an out-of-bounds weight', () => {
    const doc = parse(readFileSync(`${ROOT}examples/route.yaml`, 'utf8'));
    doc.spec.canary.wieght = 5;
    doc.spec.canary.weight = 150;
    const result = validate(doc);
    expect(result.ok ? [] : result.errors.join('\n')).toMatch(/wieght/);
    expect(result.ok ? [] : result.errors.join('\n')).toMatch(/spec.canary.weight: must be <= 100/);
  });
});

