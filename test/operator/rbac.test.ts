/**
 * The operator's RBAC, written once (operator/rbac.yaml; the chart gets a copy):
 * it says what docs/rbac.md's table says, every rule carries its reason, and
 * the webhook works on a fake API server as a ServiceAccount holding exactly
 * these rules.
 */
import { readFileSync } from 'node:fs';
import { AdmissionregistrationV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startWebhook } from '../../operator/webhook/index.js';
import { webhookConfiguration } from '../../operator/webhook/registration.js';
import { OPERATOR_NS, SIDECAR, createPod, createRoute, fakeKube, freePort, silentLog } from './webhook-harness.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface RoleDoc {
  kind: 'ClusterRole' | 'Role';
  metadata: { name: string; namespace?: string };
  rules: Rule[];
}

const rbacText = readFileSync(new URL('../../operator/rbac.yaml', import.meta.url), 'utf8');
const roles = (parseAllDocuments(rbacText) as unknown as Array<{ toJS(): RoleDoc }>).map((d) => d.toJS());
const docText = readFileSync(new URL('../../docs/rbac.md', import.meta.url), 'utf8');

/** One row per (scope, group, resource, names): its verbs. */
function fromFile(): string[] {
  const rows: string[] = [];
  for (const role of roles) {
    const scope = role.kind === 'ClusterRole' ? 'cluster' : 'namespace';
    for (const r of role.rules) {
      for (const g of r.apiGroups) {
        for (const res of r.resources) rows.push([scope, g === '' ? 'core' : g, res, [...r.verbs].sort().join(','), [...(r.resourceNames ?? [])].sort().join(',')].join(' | '));
      }
    }
  }
  return rows.sort();
}

function fromTable(): string[] {
  const lines = docText.split('\n').filter((l) => /^\| (cluster|namespace) \|/.test(l));
  return lines
    .map((l) => {
      const [scope, group, resource, verbs, names] = l.split('|').slice(1, 6).map((c) => c.trim());
      const list = (s: string | undefined) => (s ?? '').split(',').map((v) => v.trim()).filter(Boolean).sort().join(',');
      return [scope, group, resource, list(verbs), list(names)].join(' | ');
    })
    .sort();
}

/** Creates the roles and binds each to the operator's ServiceAccount, as the chart does (a binding per role). */
async function bind(kube: Awaited<ReturnType<typeof fakeKube>>, which: RoleDoc[]): Promise<void> {
  const rbac = kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api);
  const subject = { kind: 'ServiceAccount', name: 'bellwether-operator', namespace: OPERATOR_NS };
  for (const role of which) {
    const binding = { metadata: { name: role.metadata.name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.metadata.name }, subjects: [subject] };
    if (role.kind === 'ClusterRole') {
      await rbac.createClusterRole({ body: role });
      await rbac.createClusterRoleBinding({ body: binding });
    } else {
      await rbac.createNamespacedRole({ namespace: OPERATOR_NS, body: role });
      await rbac.createNamespacedRoleBinding({ namespace: OPERATOR_NS, body: binding });
    }
  }
}

describe('operator RBAC', () => {
  it('is exactly what docs/rbac.md lists', () => {
    expect(fromTable().length).toBeGreaterThan(10);
    expect(fromFile()).toEqual(fromTable());
  });

  it('has a ClusterRole, a namespaceless Role and the registration ClusterRole, no wildcards, and a reason above every rule', () => {
    expect(roles.map((r) => [r.kind, r.metadata.name, r.metadata.namespace])).toEqual([
      ['ClusterRole', 'bellwether-operator', undefined],
      ['Role', 'bellwether-operator', undefined],
      ['ClusterRole', 'bellwether-operator-webhook-registration', undefined],
    ]);
    // create on webhook configurations (unlimited by name) is in the registration ClusterRole only.
    const createsHooks = (r: RoleDoc) => r.rules.some((x) => x.resources.includes('mutatingwebhookconfigurations') && x.verbs.includes('create'));
    expect(roles.filter(createsHooks).map((r) => r.metadata.name)).toEqual(['bellwether-operator-webhook-registration']);
    expect(roles[2]?.rules).toHaveLength(1);
    for (const r of roles.flatMap((x) => x.rules)) {
      expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
      if (r.resourceNames) expect(r.verbs).not.toContain('create'); // create cannot be limited by name
    }
    const lines = rbacText.split('\n');
    lines.forEach((l, i) => {
      if (/^\s+- apiGroups:/.test(l)) expect(lines[i - 1]?.trim().startsWith('#'), `rule at line ${i + 1} has no comment`).toBe(true);
    });
  });

  it('is enough for the webhook: certificates, registration and injection as the operator ServiceAccount', async () => {
    const kube = await fakeKube();
    try {
      await bind(kube, roles);
      const sa = kube.serviceAccount(OPERATOR_NS, 'bellwether-operator');
      // Without the bindings the same ServiceAccount is refused: the check below means something.
      const stranger = kube.serviceAccount('shop', 'default');
      await expect(stranger.kubeconfig.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace: OPERATOR_NS, name: 'x' })).rejects.toMatchObject({ code: 403 });

      await createRoute(kube);
      const port = await freePort();
      const webhook = await startWebhook({
        kube: sa.kubeconfig,
        namespace: OPERATOR_NS,
        port,
        host: '127.0.0.1',
        url: `https://127.0.0.1:${port}/mutate-pods`,
        serviceName: 'bellwether-webhook',
        sidecar: SIDECAR,
        log: silentLog,
        registry: new Registry(),
      });
      try {
        const pod = await createPod(kube, 'shop', 'app-1');
        expect(pod.spec?.initContainers?.[0]?.name).toBe('bellwether');
        await webhook.recheck();
        const denied = kube.requests.filter((r) => r.user?.includes('bellwether-operator') && r.code === 403);
        expect(denied).toEqual([]);
      } finally {
        await webhook.close();
      }
    } finally {
      await kube.close();
    }
  });

  it('without the registration ClusterRole (what the chart renders) is enough for --webhook-registration=ca-bundle, and create is refused', async () => {
    const kube = await fakeKube();
    try {
      await bind(kube, roles.filter((r) => r.metadata.name !== 'bellwether-operator-webhook-registration'));
      const sa = kube.serviceAccount(OPERATOR_NS, 'bellwether-operator');
      const port = await freePort();
      const url = `https://127.0.0.1:${port}/mutate-pods`;
      const hooks = sa.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
      await expect(hooks.createMutatingWebhookConfiguration({ body: webhookConfiguration({ caBundle: 'x', operatorNamespace: OPERATOR_NS, url }) })).rejects.toMatchObject({ code: 403 });
      // The chart's configuration, created by Helm (the admin here).
      await kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({ body: webhookConfiguration({ caBundle: '', operatorNamespace: OPERATOR_NS, url }) });
      await createRoute(kube);
      const from = kube.requests.length;
      const webhook = await startWebhook({ kube: sa.kubeconfig, namespace: OPERATOR_NS, port, host: '127.0.0.1', url, serviceName: 'bellwether-webhook', sidecar: SIDECAR, log: silentLog, registry: new Registry(), registration: 'ca-bundle' });
      try {
        const pod = await createPod(kube, 'shop', 'app-1');
        expect(pod.spec?.initContainers?.[0]?.name).toBe('bellwether');
        await webhook.recheck();
        const denied = kube.requests.slice(from).filter((r) => r.user?.includes('bellwether-operator') && r.code === 403);
        expect(denied).toEqual([]);
      } finally {
        await webhook.close();
      }
    } finally {
      await kube.close();
    }
  });
});
