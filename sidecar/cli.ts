/**
 * Command-line arguments of `bellwether-sidecar`, parsed and validated once.
 * The environment is read here and only here.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from './config/duration.js';
import type { SidecarOptions } from './sidecar.js';
import type { ProxyConfig } from './proxy/egress-proxy.js';
import { parseQuantity } from './config/quantity.js';
import { DEFAULT_MAX_BUFFERED_BYTES } from './proxy/budget.js';
import { DEFAULT_MAX_CONNECTIONS_PER_ORIGIN } from './proxy/pools.js';

export const HELP = `bellwether-sidecar — canary-shift OpenAI-compatible traffic to a relay, with fallback and rollback

Usage:
  bellwether-sidecar --route FILE [options]
  bellwether-sidecar --route FILE --check

The app sends its OpenAI traffic to http://127.0.0.1:14000/v1 (OPENAI_BASE_URL).
The sidecar sends spec.canary.weight percent of it to spec.relay, walking the
model chain with retries, circuit breakers and timeouts, falls back to
spec.official, and rolls itself back to the official API when the relay's
error rate or p99 time to first byte crosses spec.rollback's thresholds.

Options:
  --route FILE              RelayRoute YAML (bellwether.dev/v1alpha1), validated
                            against the CRD schema. Watched: a valid change applies
                            without a restart; an invalid one is refused and the
                            last good route keeps serving.
  --relay-key-file FILE     File holding the relay API key (a mounted Secret key).
                            Re-read when it changes.
                            Default: the BELLWETHER_RELAY_API_KEY environment variable.
  --official-key-file FILE  File holding the official API key; used only when
                            spec.official.apiKeySecretRef is set (otherwise the
                            app's own Authorization header goes to the official API).
                            Default: the BELLWETHER_OFFICIAL_API_KEY environment variable.
  --redis-password-file FILE
                            File holding the password of the Redis that
                            spec.cache.backend redis names (the injector mounts the
                            Secret of spec.cache.redis.passwordSecretRef; watched like
                            the key files). While the file is missing the sidecar runs
                            and the Redis cache misses (/status cache.state auth_missing).
                            Default: the BELLWETHER_REDIS_PASSWORD environment variable,
                            else no AUTH.
  --port N                  App port on 127.0.0.1 (loopback only). Default 14000.
  --admin-port N            Admin port: /healthz /readyz /metrics /status. Default 14001.
  --admin-host ADDR         Admin listen address. Default :: (all interfaces, IPv4 and
                            IPv6, so the operator and Prometheus can reach it in
                            IPv4, IPv6-only and dual-stack pods; falls back to 0.0.0.0
                            where IPv6 is disabled). It serves no secrets and takes
                            no input.
  --watch-interval DUR      Poll interval for file changes, as a fallback to
                            filesystem events. Default 1s.
  --max-upstream-connections N
                            Connections per upstream origin (official, relay), for
                            parsed and pass-through requests alike. Over it requests
                            wait in a queue for a free connection (bounded by
                            spec.limits.maxConcurrent). A stream holds its connection
                            for its whole life: keep it at least maxConcurrent.
                            Default 1024.
  --max-buffered-bytes Q    Memory the sidecar may hold for all in-flight requests
                            together: request bodies, replies buffered until they can
                            be judged, stream events being assembled. Over it new
                            requests get 503 sidecar_overloaded (retry-after: 1)
                            instead of the pod growing until it is OOM-killed. A
                            Kubernetes quantity (256Mi). Default 256Mi.
  --drain-delay DUR         After SIGTERM, keep accepting and serving this long while
                            /readyz answers 503 draining: the app container gets
                            SIGTERM at the same moment and may still send requests.
                            Use 0 for a native sidecar (init container with
                            restartPolicy: Always), which gets SIGTERM only after the
                            app exited. Default 5s.
  --shutdown-timeout DUR    After SIGTERM (drain delay included), how long in-flight
                            requests may finish; then open streams end with an SSE
                            error event and waiting requests get 503, both with code
                            sidecar_shutting_down. Keep it below the pod's
                            terminationGracePeriodSeconds. Default 25s.
  --log-level LEVEL         trace, debug, info, warn, error or silent. Default info
                            (or BELLWETHER_LOG_LEVEL). Keys and bodies are never logged.
  --check                   Validate the route file, print the problems, and exit
                            (0 valid, 1 invalid).
  -h, --help                This text.
  --version                 The version.

Environment:
  BELLWETHER_RELAY_API_KEY, BELLWETHER_OFFICIAL_API_KEY, BELLWETHER_LOG_LEVEL,
  BELLWETHER_REDIS_PASSWORD See --relay-key-file, --official-key-file, --log-level,
                            --redis-password-file.
  HTTPS_PROXY, https_proxy  Proxy for https:// upstreams (CONNECT tunnel), e.g.
                            http://user:pass@proxy.corp:3128.
  HTTP_PROXY, http_proxy    Proxy for http:// upstreams (absolute-form requests).
  NO_PROXY, no_proxy        Upstream hosts reached directly, comma-separated: host
                            names (example.com and .example.com also match
                            subdomains), IP addresses, CIDR ranges, each with an
                            optional :port; * for all. Loopback addresses are
                            proxied unless listed. The upper-case name wins.

In a pod (set up by the bellwether injector) the sidecar also follows the rendered
ConfigMap through the API server, so a weight change arrives within a second rather
than after the kubelet's volume refresh (up to a minute); the mounted --route file
stays the boot copy and the fallback while the API server is unreachable:
  --watch-configmap NS/NAME ConfigMap to follow (key route.yaml). Default: from
                            BELLWETHER_POD_NAMESPACE and BELLWETHER_CONFIGMAP when both
                            are set; otherwise none (standalone).
  --kube-api URL            API server. Default https://$KUBERNETES_SERVICE_HOST:
                            $KUBERNETES_SERVICE_PORT.
  --kube-token-file FILE    Service account token, re-read on every connect. Default
                            /var/run/secrets/kubernetes.io/serviceaccount/token.
  --kube-ca-file FILE       Cluster CA. Default the service account's ca.crt.

Signals: SIGTERM drains and shuts down as described under --drain-delay and
--shutdown-timeout; SIGINT does the same without the drain delay. A second
SIGTERM or SIGINT exits at once.

Exit codes: 0 clean shutdown or valid --check; 1 invalid route; 2 bad arguments
or a port in use; 128+signal after a second signal.
`;

export type Cli =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; routeFile: string }
  | { kind: 'run'; options: SidecarOptions; logLevel: string; drainDelayMs: number; shutdownTimeoutMs: number }
  | { kind: 'error'; message: string };

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): Cli {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        route: { type: 'string' },
        'relay-key-file': { type: 'string' },
        'official-key-file': { type: 'string' },
        'redis-password-file': { type: 'string' },
        port: { type: 'string' },
        'admin-port': { type: 'string' },
        'admin-host': { type: 'string' },
        'watch-interval': { type: 'string' },
        'max-upstream-connections': { type: 'string' },
        'max-buffered-bytes': { type: 'string' },
        'drain-delay': { type: 'string' },
        'shutdown-timeout': { type: 'string' },
        'log-level': { type: 'string' },
        'watch-configmap': { type: 'string' },
        'kube-api': { type: 'string' },
        'kube-token-file': { type: 'string' },
        'kube-ca-file': { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (!values.route) return { kind: 'error', message: '--route FILE is required' };
  if (values.check) return { kind: 'check', routeFile: values.route };

  const port = parsePort(values.port, 14000, '--port');
  const adminPort = parsePort(values['admin-port'], 14001, '--admin-port');
  if (typeof port === 'string') return { kind: 'error', message: port };
  if (typeof adminPort === 'string') return { kind: 'error', message: adminPort };
  let pollMs = 1000;
  if (values['watch-interval']) {
    try {
      pollMs = parseDuration(values['watch-interval']);
    } catch (err) {
      return { kind: 'error', message: `--watch-interval: ${(err as Error).message}` };
    }
    if (pollMs < 50) return { kind: 'error', message: '--watch-interval must be at least 50ms' };
  }
  const drainDelayMs = parseDurationFlag(values['drain-delay'], 5_000, '--drain-delay');
  if (typeof drainDelayMs === 'string') return { kind: 'error', message: drainDelayMs };
  const shutdownTimeoutMs = parseDurationFlag(values['shutdown-timeout'], 25_000, '--shutdown-timeout');
  if (typeof shutdownTimeoutMs === 'string') return { kind: 'error', message: shutdownTimeoutMs };
  if (drainDelayMs > shutdownTimeoutMs) return { kind: 'error', message: '--drain-delay must not be longer than --shutdown-timeout (both count from SIGTERM)' };
  let maxUpstreamConnections = DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
  if (values['max-upstream-connections'] !== undefined) {
    maxUpstreamConnections = Number(values['max-upstream-connections']);
    if (!Number.isInteger(maxUpstreamConnections) || maxUpstreamConnections < 1 || maxUpstreamConnections > 65535) {
      return { kind: 'error', message: '--max-upstream-connections must be a whole number from 1 to 65535' };
    }
  }
  let maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  if (values['max-buffered-bytes'] !== undefined) {
    try {
      maxBufferedBytes = parseQuantity(values['max-buffered-bytes']);
    } catch (err) {
      return { kind: 'error', message: `--max-buffered-bytes: ${(err as Error).message}` };
    }
    if (maxBufferedBytes < 1024 * 1024) return { kind: 'error', message: '--max-buffered-bytes must be at least 1Mi' };
  }
  const kube = kubeWatch(values, env);
  if (typeof kube === 'string') return { kind: 'error', message: kube };
  const proxy = proxyFromEnv(env);
  if (typeof proxy === 'string') return { kind: 'error', message: proxy };

  const logLevel = values['log-level'] ?? env['BELLWETHER_LOG_LEVEL'] ?? 'info';
  if (!LEVELS.has(logLevel)) return { kind: 'error', message: `--log-level must be one of ${[...LEVELS].join(', ')}` };

  const key = (file: string | undefined, envName: string) =>
    file ? { file } : env[envName] ? { value: env[envName] } : {};
  return {
    kind: 'run',
    logLevel,
    drainDelayMs,
    shutdownTimeoutMs,
    options: {
      routeFile: values.route,
      relayKey: key(values['relay-key-file'], 'BELLWETHER_RELAY_API_KEY'),
      officialKey: key(values['official-key-file'], 'BELLWETHER_OFFICIAL_API_KEY'),
      redisPassword: key(values['redis-password-file'], 'BELLWETHER_REDIS_PASSWORD'),
      port,
      adminPort,
      adminHost: values['admin-host'] ?? '::',
      pollMs,
      maxUpstreamConnections,
      maxBufferedBytes,
      shutdownTimeoutMs,
      ...(proxy ? { proxy } : {}),
      ...(kube ? { kube } : {}),
    },
  };
}

function parseDurationFlag(text: string | undefined, fallback: number, flag: string): number | string {
  if (text === undefined) return fallback;
  if (text === '0') return 0; // as Go's time.ParseDuration: a bare 0 needs no unit
  try {
    return parseDuration(text);
  } catch (err) {
    return `${flag}: ${(err as Error).message}`;
  }
}

/**
 * The egress proxy settings from the environment (upper-case name first, as
 * Go reads them). A proxy without a scheme is http://. Messages never echo a
 * value: a proxy URL may carry credentials.
 */
function proxyFromEnv(env: NodeJS.ProcessEnv): ProxyConfig | undefined | string {
  const get = (name: string): string | undefined => env[name.toUpperCase()] || env[name.toLowerCase()] || undefined;
  const cfg: ProxyConfig = {};
  for (const [name, key] of [['https_proxy', 'https'], ['http_proxy', 'http']] as const) {
    const raw = get(name)?.trim();
    if (!raw) continue;
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    } catch {
      return `${name.toUpperCase()} is not a valid proxy URL`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return `${name.toUpperCase()}: only http:// and https:// proxies are supported, not ${url.protocol}//`;
    }
    cfg[key] = url.href;
  }
  const noProxy = get('no_proxy');
  if (noProxy) cfg.noProxy = noProxy;
  return cfg.https || cfg.http ? cfg : undefined;
}

function parsePort(text: string | undefined, fallback: number, flag: string): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : `${flag} must be a port number (0–65535)`;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The API server watch of the rendered ConfigMap, from flags or the injected environment; undefined standalone. */
function kubeWatch(
  values: { 'watch-configmap'?: string; 'kube-api'?: string; 'kube-token-file'?: string; 'kube-ca-file'?: string },
  env: NodeJS.ProcessEnv,
): NonNullable<SidecarOptions['kube']> | undefined | string {
  const target = values['watch-configmap'] ?? (env['BELLWETHER_POD_NAMESPACE'] && env['BELLWETHER_CONFIGMAP'] ? `${env['BELLWETHER_POD_NAMESPACE']}/${env['BELLWETHER_CONFIGMAP']}` : undefined);
  if (target === undefined) return undefined;
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(target);
  if (!m) return '--watch-configmap must be NAMESPACE/NAME';
  let server = values['kube-api'];
  if (server === undefined) {
    const host = env['KUBERNETES_SERVICE_HOST'];
    if (!host) return '--watch-configmap needs the API server: --kube-api URL, or KUBERNETES_SERVICE_HOST (set in every pod)';
    server = `https://${host.includes(':') ? `[${host}]` : host}:${env['KUBERNETES_SERVICE_PORT'] ?? '443'}`;
  }
  if (!/^https?:\/\//.test(server)) return '--kube-api must be an http:// or https:// URL';
  const tokenFile = values['kube-token-file'] ?? `${SA_DIR}/token`;
  const caFile = values['kube-ca-file'] ?? (existsSync(`${SA_DIR}/ca.crt`) ? `${SA_DIR}/ca.crt` : undefined);
  return { server, namespace: m[1]!, name: m[3]!, key: 'route.yaml', tokenFile, ...(caFile ? { caFile } : {}) };
}
