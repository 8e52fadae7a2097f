/**
 * The resources the fake serves: a table of built-ins plus every CRD, and the
 * discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>`) that
 * client-node's KubernetesObjectApi reads to map a kind to a path.
 */
import { resourceKey, type ResourceInfo, type SchemaNode } from './types.js';

type Builtin = [group: string, version: string, resource: string, kind: string, namespaced: boolean, status: boolean, shortNames?: string[]];

const BUILTINS: Builtin[] = [
  ['', 'v1', 'namespaces', 'Namespace', false, true, ['ns']],
  ['', 'v1', 'pods', 'Pod', true, true, ['po']],
  ['', 'v1', 'configmaps', 'ConfigMap', true, false, ['cm']],
  ['', 'v1', 'secrets', 'Secret', true, false],
  ['', 'v1', 'services', 'Service', true, true, ['svc']],
  ['', 'v1', 'events', 'Event', true, false, ['ev']],
  ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, false, ['sa']],
  ['apps', 'v1', 'deployments', 'Deployment', true, true, ['deploy']],
  ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, false],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, false],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, false],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false, false],
  ['coordination.k8s.io', 'v1', 'leases', 'Lease', true, false],
  ['admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false, false],
  ['admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false, false],
  ['events.k8s.io', 'v1', 'events', 'Event', true, false, ['ev']],
  ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, true, ['crd', 'crds']],
];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface CrdVersion {
  name: string;
  served?: boolean;
  subresources?: { status?: object };
  schema?: { openAPIV3Schema?: SchemaNode };
}
export interface CrdManifest {
  metadata?: { name?: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[] };
    versions: CrdVersion[];
  };
}

export class Registry {
  private readonly byPath = new Map<string, ResourceInfo>(); // `${group}/${version}/${resource}`

  constructor() {
    for (const [group, version, resource, kind, namespaced, status, shortNames] of BUILTINS) {
      this.add({ group, version, resource, kind, listKind: `${kind}List`, singular: kind.toLowerCase(), namespaced, status, custom: false, ...(shortNames ? { shortNames } : {}) });
    }
  }

  add(r: ResourceInfo): void {
    this.byPath.set(`${r.group}/${r.version}/${r.resource}`, r);
  }

  /** Serve every served version of a CRD (as POSTed to apiextensions or passed to startFakeKube). */
  addCrd(crd: CrdManifest): ResourceInfo[] {
    const { group, scope, names } = crd.spec;
    const added: ResourceInfo[] = [];
    for (const v of crd.spec.versions) {
      if (v.served === false) continue;
      const schema = v.schema?.openAPIV3Schema;
      const r: ResourceInfo = {
        group,
        version: v.name,
        resource: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: scope === 'Namespaced',
        status: v.subresources?.status !== undefined,
        custom: true,
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
        ...(schema ? { schema } : {}),
      };
      this.add(r);
      added.push(r);
    }
    return added;
  }

  find(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  /** The resource that stores objects of this apiVersion/kind (owner references, webhooks). */
  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    for (const r of this.byPath.values()) {
      if ((r.group ? `${r.group}/${r.version}` : r.version) === apiVersion && r.kind === kind) return r;
    }
    return undefined;
  }

  /** Any served version of the resource stored under `key` (see resourceKey). */
  byKey(key: string): ResourceInfo | undefined {
    return this.all().find((r) => resourceKey(r) === key);
  }

  all(): ResourceInfo[] {
    return [...this.byPath.values()];
  }

  /** One ResourceInfo per storage key (versions of one resource share storage). */
  keys(): string[] {
    return [...new Set(this.all().map(resourceKey))];
  }

  private groups(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const r of this.all()) {
      if (!r.group) continue;
      const vs = m.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      m.set(r.group, vs);
    }
    return m;
  }

  apiVersions(serverAddress: string): object {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  apiGroup(name: string): object | undefined {
    const versions = this.groups().get(name);
    if (!versions) return undefined;
    const vs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { kind: 'APIGroup', apiVersion: 'v1', name, versions: vs, preferredVersion: vs[0] };
  }

  apiGroupList(): object {
    const groups = [...this.groups().keys()].map((g) => {
      const { kind: _k, apiVersion: _a, ...rest } = this.apiGroup(g) as Record<string, unknown>;
      return rest;
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  resourceList(group: string, version: string): object | undefined {
    const rs = this.all().filter((r) => r.group === group && r.version === version);
    if (rs.length === 0) return undefined;
    const resources: object[] = [];
    for (const r of rs) {
      resources.push({
        name: r.resource,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      });
      if (r.status) {
        resources.push({ name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }
}
