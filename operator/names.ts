/**
 * The fixed names of DESIGN.md ("Names"), as the operator writes them. One
 * place, so the webhook, the renderer and the status reader cannot drift.
 */

export const GROUP = 'bellwether.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'RelayRoute';
export const PLURAL = 'relayroutes';

/** The sidecar container's name, in `containers` or (native sidecar) `initContainers`. */
export const SIDECAR_NAME = 'bellwether';
/** App traffic, loopback only. */
export const PROXY_PORT = 14000;
/** `/healthz`, `/readyz`, `/metrics`, `/status`. */
export const ADMIN_PORT = 14001;
export const OPENAI_BASE_URL = `http://127.0.0.1:${PROXY_PORT}/v1`;

/** Pod annotations. `inject` is the user's; the webhook writes the others. */
export const Annotation = {
  inject: 'bellwether.dev/inject',
  injected: 'bellwether.dev/injected',
  route: 'bellwether.dev/route',
  skipReason: 'bellwether.dev/skip-reason',
} as const;

/** Labels on every object the operator renders. */
export const Label = {
  managedBy: 'app.kubernetes.io/managed-by',
  route: 'bellwether.dev/route',
} as const;
export const MANAGED_BY = 'bellwether';

/** ConfigMap `bellwether-<route>`: the rendered route the sidecars read. */
export function configMapName(route: string): string {
  return `bellwether-${route}`;
}

/** Role and RoleBinding `bellwether-<route>-config`: read access to that one ConfigMap. */
export function rbacName(route: string): string {
  return `bellwether-${route}-config`;
}

/** The key of the rendered ConfigMap that holds the route document. */
export const ROUTE_KEY = 'route.yaml';

/**
 * Longest RelayRoute name the operator can serve: the name is a label value
 * (`bellwether.dev/route`), and label values are at most 63 characters.
 * (`bellwether-<route>-config`, the longest derived name, stays far below the
 * 253 characters object names allow.)
 */
export const MAX_ROUTE_NAME = 63;
