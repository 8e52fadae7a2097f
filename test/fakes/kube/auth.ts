/**
 * Bearer tokens and authorization. A token maps to an identity; an identity
 * may do anything (`rules` unset, the admin), only what its allow-list says,
 * or (`rbac: true`) what the Roles/ClusterRoles bound to it in the store say —
 * so a test can check that the RBAC an operator writes really lets a sidecar
 * get/watch its one ConfigMap and nothing else. As in the real server, a
 * list/watch with `fieldSelector=metadata.name=<n>` is authorized by name.
 */
import { forbidden, unauthorized } from './status.js';
import type { Registry } from './resources.js';
import type { Store } from './store.js';
import type { KubeObject } from './types.js';

export interface Rule {
  verbs: string[];
  apiGroups?: string[]; // default ['*']
  resources: string[]; // 'configmaps', 'relayroutes/status', '*'
  namespaces?: string[]; // default: any
  resourceNames?: string[]; // default: any
}

export interface Identity {
  username: string;
  uid?: string;
  groups?: string[];
  /** Allow-list; unset → allowed everything (unless `rbac`). */
  rules?: Rule[];
  /** Authorize from the Roles, ClusterRoles and their bindings stored in the fake. */
  rbac?: boolean;
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string; // with '/status' for the subresource
  namespace?: string;
  name?: string;
}

const any = (list: string[] | undefined, v: string): boolean => !list || list.includes('*') || list.includes(v);

function allows(rule: Rule, a: Attributes): boolean {
  return (
    any(rule.verbs, a.verb) &&
    any(rule.apiGroups, a.group) &&
    any(rule.resources, a.resource) &&
    (!rule.namespaces || (a.namespace !== undefined && rule.namespaces.includes(a.namespace))) &&
    (!rule.resourceNames?.length || (a.name !== undefined && rule.resourceNames.includes(a.name)))
  );
}

export function serviceAccountIdentity(namespace: string, name: string): Identity {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

export class Auth {
  private readonly tokens = new Map<string, Identity>();

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
  ) {}

  addToken(token: string, identity: Identity): void {
    this.tokens.set(token, identity);
  }

  authenticate(header: string | undefined): Identity {
    const m = header?.match(/^Bearer\s+(\S+)$/i);
    const id = m ? this.tokens.get(m[1]!) : undefined;
    if (!id) throw unauthorized();
    return id;
  }

  authorize(id: Identity, a: Attributes): void {
    if (!id.rules && !id.rbac) return;
    const rules = [...(id.rules ?? []), ...(id.rbac ? this.rbacRules(id, a.namespace) : [])];
    if (!rules.some((r) => allows(r, a))) throw forbidden({ user: id.username, ...a });
  }

  /** Rules of every ClusterRoleBinding, and of every RoleBinding in `namespace`, whose subjects include `id`. */
  private rbacRules(id: Identity, namespace: string | undefined): Rule[] {
    const res = (name: string) => this.registry.find('rbac.authorization.k8s.io', 'v1', name)!;
    const bound = (b: KubeObject): boolean =>
      ((b.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? []).some((s) =>
        s.kind === 'ServiceAccount'
          ? id.username === `system:serviceaccount:${s.namespace ?? b.metadata.namespace}:${s.name}`
          : s.kind === 'User'
            ? id.username === s.name
            : (id.groups ?? []).includes(s.name),
      );
    const rulesOf = (ref: { kind: string; name: string }, ns: string | undefined): Rule[] => {
      const role = ref.kind === 'ClusterRole' ? this.store.get(res('clusterroles'), undefined, ref.name) : this.store.get(res('roles'), ns, ref.name);
      const rules = (role?.rules as Rule[] | undefined) ?? [];
      return ns ? rules.map((r) => ({ ...r, namespaces: [ns] })) : rules;
    };
    const out: Rule[] = [];
    for (const b of this.store.list(res('clusterrolebindings'))) {
      if (bound(b)) out.push(...rulesOf(b.roleRef as { kind: string; name: string }, undefined));
    }
    if (namespace) {
      for (const b of this.store.list(res('rolebindings'), namespace)) {
        if (bound(b)) out.push(...rulesOf(b.roleRef as { kind: string; name: string }, namespace));
      }
    }
    return out;
  }
}
