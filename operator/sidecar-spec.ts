/**
 * What the webhook adds to a pod for a RelayRoute (DESIGN.md "Injection"):
 * the `bellwether` container, its volumes, and the env for app containers.
 * Pure data; inject.ts decides whether and where.
 *
 * - Native sidecar (1.29+): an init container with `restartPolicy: Always`,
 *   first among the init containers, so it is up (startup probe) before any
 *   other init container or app container starts, and it is stopped after
 *   the app containers — hence `--drain-delay 0s`: when it gets SIGTERM the
 *   app is already gone. A plain container (older servers) is appended to
 *   `containers` (so `kubectl logs POD` still shows the app) and keeps the
 *   sidecar's default drain delay, because it gets SIGTERM with the app.
 * - Volumes: the ConfigMap `bellwether-<route>` (the boot and fallback copy;
 *   mounted as a directory, never with subPath, so kubelet's updates arrive),
 *   the relay key Secret (only that key, via `items`) and, when the route sets
 *   one, the official key Secret and the Redis password Secret of
 *   `spec.cache.redis.passwordSecretRef` (read once when the sidecar starts).
 *   Secret volumes are `optional`: a missing
 *   Secret must not keep the pod from starting — the sidecar then reports the
 *   key `missing` and sends everything to the official API. The ConfigMap is
 *   not optional: the sidecar cannot start without its route, and the
 *   operator renders the ConfigMap before the route can select a pod.
 */
import type { V1Container, V1EnvVar, V1ResourceRequirements, V1Volume } from '@kubernetes/client-node';
import { ADMIN_PORT, OPENAI_BASE_URL, PROXY_PORT, ROUTE_KEY, SIDECAR_NAME, configMapName } from './names.js';
import type { RelayRoute } from './route.js';

/** The sidecar's image and resources, from the operator's flags (the chart sets them). */
export interface SidecarConfig {
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  resources: V1ResourceRequirements;
  /** trace, debug, info, warn, error or silent. */
  logLevel: string;
}

export const VolumeName = {
  route: 'bellwether-route',
  relayKey: 'bellwether-relay-key',
  officialKey: 'bellwether-official-key',
  redisPassword: 'bellwether-redis-password',
} as const;

const MOUNT = {
  route: '/etc/bellwether/route',
  relayKey: '/etc/bellwether/relay',
  officialKey: '/etc/bellwether/official',
  redisPassword: '/etc/bellwether/redis',
} as const;

/** Env set on app containers that do not set it themselves. */
export const APP_ENV: readonly V1EnvVar[] = [
  { name: 'OPENAI_BASE_URL', value: OPENAI_BASE_URL },
  { name: 'OPENAI_API_BASE', value: OPENAI_BASE_URL },
];

/** The file name a Secret key is mounted under: the key itself, unless the kubelet would refuse it as a path. */
function keyPath(key: string): string {
  return key === '.' || key.startsWith('..') ? 'key' : key;
}

/** spec.cache.redis.passwordSecretRef, when the route uses a Redis with a password. */
export function redisPasswordRef(route: RelayRoute): { name: string; key: string } | undefined {
  const cache = route.spec.cache;
  return cache?.backend === 'redis' ? cache.redis?.passwordSecretRef : undefined;
}

export function sidecarVolumes(route: RelayRoute): V1Volume[] {
  const relay = route.spec.relay.apiKeySecretRef;
  const official = route.spec.official.apiKeySecretRef;
  const volumes: V1Volume[] = [
    { name: VolumeName.route, configMap: { name: configMapName(route.metadata.name) } },
    { name: VolumeName.relayKey, secret: { secretName: relay.name, items: [{ key: relay.key, path: keyPath(relay.key) }], optional: true } },
  ];
  if (official) {
    volumes.push({ name: VolumeName.officialKey, secret: { secretName: official.name, items: [{ key: official.key, path: keyPath(official.key) }], optional: true } });
  }
  const redis = redisPasswordRef(route);
  if (redis) volumes.push({ name: VolumeName.redisPassword, secret: { secretName: redis.name, items: [{ key: redis.key, path: keyPath(redis.key) }], optional: true } });
  return volumes;
}

export function sidecarContainer(route: RelayRoute, config: SidecarConfig, native: boolean): V1Container {
  const relay = route.spec.relay.apiKeySecretRef;
  const official = route.spec.official.apiKeySecretRef;
  const redis = redisPasswordRef(route);
  const args = [
    '--route', `${MOUNT.route}/${ROUTE_KEY}`,
    '--relay-key-file', `${MOUNT.relayKey}/${keyPath(relay.key)}`,
    ...(official ? ['--official-key-file', `${MOUNT.officialKey}/${keyPath(official.key)}`] : []),
    ...(redis ? ['--redis-password-file', `${MOUNT.redisPassword}/${keyPath(redis.key)}`] : []),
    '--port', String(PROXY_PORT),
    '--admin-port', String(ADMIN_PORT),
    '--log-level', config.logLevel,
    ...(native ? ['--drain-delay', '0s'] : []),
  ];
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: ADMIN_PORT, scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds: 1,
    failureThreshold,
  });
  return {
    name: SIDECAR_NAME,
    image: config.image,
    ...(config.imagePullPolicy ? { imagePullPolicy: config.imagePullPolicy } : {}),
    ...(native ? { restartPolicy: 'Always' } : {}),
    args,
    env: [
      { name: 'BELLWETHER_POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'BELLWETHER_CONFIGMAP', value: configMapName(route.metadata.name) },
    ],
    ports: [{ name: 'bw-admin', containerPort: ADMIN_PORT, protocol: 'TCP' }],
    resources: config.resources,
    startupProbe: probe('/readyz', 1, 60),
    readinessProbe: probe('/readyz', 5, 3),
    livenessProbe: probe('/healthz', 10, 3),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: VolumeName.route, mountPath: MOUNT.route, readOnly: true },
      { name: VolumeName.relayKey, mountPath: MOUNT.relayKey, readOnly: true },
      ...(official ? [{ name: VolumeName.officialKey, mountPath: MOUNT.officialKey, readOnly: true }] : []),
      ...(redis ? [{ name: VolumeName.redisPassword, mountPath: MOUNT.redisPassword, readOnly: true }] : []),
    ],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}
