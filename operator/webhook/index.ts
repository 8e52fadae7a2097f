/**
 * The webhook, assembled: certificates (certs.ts), the HTTPS server
 * (server.ts), the registration (registration.ts), and a periodic re-check
 * that rotates certificates, hot-reloads the served one and repairs
 * `caBundle` drift: every minute when the operator writes the configuration
 * (`create`, `ca-bundle`) — a `helm rollback`, `helm upgrade --force` or an
 * Argo CD replace puts the chart's configuration back without a caBundle,
 * and until it is repaired pods are admitted without a sidecar (failure
 * policy Ignore) — or a mounted certificate (cert-dir.ts); hourly otherwise.
 * A check is two GETs (the TLS Secret, the configuration) and writes only
 * what differs. Every replica runs all of it — leader or not:
 * the API server may call any replica behind the Service, and every write is
 * conditional and idempotent.
 *
 * Order on a change (the caBundle rule of certs.ts): write the Secret, then
 * the MutatingWebhookConfiguration's caBundle, then serve the new
 * certificate — never serve a certificate the registered caBundle does not
 * trust yet.
 */
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { InjectContext } from '../inject.js';
import { GROUP, PLURAL, VERSION } from '../names.js';
import type { RelayRoute } from '../route.js';
import type { SidecarConfig } from '../sidecar-spec.js';
import { systemClock, type Clock } from '../../sidecar/clock.js';
import { messageOf } from './api-status.js';
import { ensureCertificates, TLS_SECRET_NAME, type WebhookCertificates } from './certs.js';
import { WebhookMetrics } from './metrics.js';
import { CERT_DIR_RECHECK_MS, readCertDir } from './cert-dir.js';
import { ensureCaBundle, ensureWebhookConfiguration, webhookConfiguration, WEBHOOK_CONFIGURATION_NAME, WEBHOOK_NAME, type Registration } from './registration.js';
import { MUTATE_PATH, startWebhookServer } from './server.js';

export const WEBHOOK_PORT = 9443;
export const RECHECK_INTERVAL_MS = 3_600_000;
/** The re-check while the operator writes the configuration's caBundle (`create`, `ca-bundle`): how long a wiped caBundle stays wiped. */
export const REGISTRATION_RECHECK_MS = 60_000;
/** After a failed check, try again this much sooner than the re-check. */
const RETRY_AFTER_ERROR_MS = 60_000;

export interface StartWebhookOptions {
  kube: KubeConfig;
  /** The operator's namespace: the TLS Secret lives there, and its pods are never injected. */
  namespace: string;
  /** `--webhook-port`, 9443. */
  port: number;
  /** Bind address; default 0.0.0.0. */
  host?: string;
  /** `--webhook-url` (development): register by URL instead of through the Service. */
  url?: string;
  /** The Service in front of the operator's pods, port 443 → `port`. */
  serviceName: string;
  servicePort?: number;
  sidecar: SidecarConfig;
  /** The API server's version; detected through `/version` when absent (plain container if that fails). */
  serverVersion?: InjectContext['serverVersion'];
  /** The RelayRoutes in a namespace: the controller's informer cache. Default: `routesFromApi` (one list per admission). */
  routesIn?: (namespace: string) => readonly RelayRoute[] | Promise<readonly RelayRoute[]>;
  log: Logger;
  registry: Registry;
  clock?: Clock;
  /** Default 1 min while the operator writes the caBundle (`create`, `ca-bundle`) or with `certDir`; 1 h otherwise. */
  recheckIntervalMs?: number;
  /**
   * Who writes the MutatingWebhookConfiguration (`--webhook-registration`):
   * `create` (default) the operator creates it and keeps all of it;
   * `ca-bundle` the Helm chart owns it and the operator writes only its
   * caBundle; `none` someone else (cert-manager's CA injector) writes caBundle.
   */
  registration?: Registration;
  /**
   * `--webhook-cert-dir`: serve `tls.crt`/`tls.key` from this directory (a
   * mounted cert-manager Secret) instead of the operator's own CA; its
   * `ca.crt` is the caBundle when `registration` is not `none`.
   */
  certDir?: string;
  secretName?: string;
  webhookConfigurationName?: string;
  caValidityDays?: number;
  servingValidityDays?: number;
  caOverlapMs?: number;
}

export interface Webhook {
  /** The bound port (useful with port 0 in tests). */
  port: number;
  /** True while the server runs with a certificate (readiness: the API server can be answered). */
  ready(): boolean;
  /** Run the certificate and registration check now (the timer runs it every recheckIntervalMs). */
  recheck(): Promise<void>;
  close(): Promise<void>;
}

/** The fallback `routesIn`: list the namespace's RelayRoutes through the API on every admission. */
export function routesFromApi(kube: KubeConfig): (namespace: string) => Promise<RelayRoute[]> {
  const api = kube.makeApiClient(CustomObjectsApi);
  return async (namespace) => {
    const list = (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })) as { items?: RelayRoute[] };
    return list.items ?? [];
  };
}

/** The SANs: the Service's names, and the URL's host when registered by URL. */
export function servingNames(o: Pick<StartWebhookOptions, 'serviceName' | 'namespace' | 'url'>): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = [`${o.serviceName}.${o.namespace}.svc`, `${o.serviceName}.${o.namespace}.svc.cluster.local`];
  const ipAddresses: string[] = [];
  if (o.url) {
    const host = new URL(o.url).hostname.replace(/^\[|\]$/g, '');
    if (/^[\d.]+$/.test(host) || host.includes(':')) ipAddresses.push(host);
    else if (!dnsNames.includes(host)) dnsNames.push(host);
  }
  return { dnsNames, ipAddresses };
}

export async function startWebhook(o: StartWebhookOptions): Promise<Webhook> {
  const clock = o.clock ?? systemClock;
  const log = o.log.child({ component: 'webhook' });
  const core = o.kube.makeApiClient(CoreV1Api);
  const admission = o.kube.makeApiClient(AdmissionregistrationV1Api);
  const metrics = new WebhookMetrics(o.registry);
  const names = servingNames(o);
  const certOptions = {
    namespace: o.namespace,
    secretName: o.secretName ?? TLS_SECRET_NAME,
    ...names,
    ...(o.caValidityDays !== undefined ? { caValidityDays: o.caValidityDays } : {}),
    ...(o.servingValidityDays !== undefined ? { servingValidityDays: o.servingValidityDays } : {}),
    ...(o.caOverlapMs !== undefined ? { caOverlapMs: o.caOverlapMs } : {}),
  };

  let serverVersion = o.serverVersion;
  async function detectVersion(): Promise<void> {
    if (o.serverVersion !== undefined) return;
    try {
      const v = await o.kube.makeApiClient(VersionApi).getCode();
      serverVersion = { major: v.major, minor: v.minor };
    } catch (e) {
      log.warn({ err: messageOf(e) }, 'could not read the API server version; injecting plain sidecar containers until it can be read');
    }
  }

  const registration = o.registration ?? 'create';
  const configurationName = o.webhookConfigurationName ?? WEBHOOK_CONFIGURATION_NAME;
  const register = async (certs: WebhookCertificates): Promise<void> => {
    if (registration === 'none') return;
    if (certs.caBundlePem === '') throw new Error(`--webhook-cert-dir ${o.certDir}: no ca.crt to put in the caBundle (or use --webhook-registration=none)`);
    if (registration === 'ca-bundle') {
      const did = await ensureCaBundle(admission, configurationName, WEBHOOK_NAME, certs.caBundlePem);
      if (did !== 'unchanged') log.info({ configuration: configurationName }, 'MutatingWebhookConfiguration caBundle updated');
      return;
    }
    const desired = webhookConfiguration({
      name: configurationName,
      caBundle: certs.caBundlePem,
      operatorNamespace: o.namespace,
      ...(o.url ? { url: o.url } : { service: { namespace: o.namespace, name: o.serviceName, port: o.servicePort ?? 443, path: MUTATE_PATH } }),
    });
    const did = await ensureWebhookConfiguration(admission, desired);
    if (did !== 'unchanged') log.info({ configuration: desired.metadata?.name }, `MutatingWebhookConfiguration ${did}`);
  };

  // The serving certificate: our own CA in a Secret, or a mounted one (cert-manager).
  const loadCertificates = (): Promise<WebhookCertificates> => (o.certDir !== undefined ? readCertDir(o.certDir) : ensureCertificates(core, { ...certOptions, now: clock.now() }));
  const recheckMs = o.recheckIntervalMs ?? (o.certDir !== undefined ? CERT_DIR_RECHECK_MS : registration !== 'none' ? REGISTRATION_RECHECK_MS : RECHECK_INTERVAL_MS);

  await detectVersion();
  let certs = await loadCertificates();
  if (certs.changes.length > 0) log.info({ changes: certs.changes }, 'webhook certificates written');
  let registered = true;
  try {
    await register(certs);
  } catch (e) {
    // Serve anyway: the API server may already hold a good registration, and the re-check retries
    // within a minute (with the chart, its configuration may be created just after this pod starts).
    registered = false;
    log.error({ err: messageOf(e) }, 'could not register the webhook; retrying');
  }

  const server = await startWebhookServer({
    port: o.port,
    ...(o.host ? { host: o.host } : {}),
    certPem: certs.certPem,
    keyPem: certs.keyPem,
    routesIn: o.routesIn ?? routesFromApi(o.kube),
    context: () => ({ operatorNamespace: o.namespace, serverVersion: serverVersion ?? { major: '1', minor: '28' }, sidecar: o.sidecar }),
    metrics,
    log,
  });
  let closed = false;
  // One check at a time: the timer's and a caller's recheck() run one after the other.
  let running: Promise<void> = Promise.resolve();
  const recheck = (): Promise<void> => (running = running.catch(() => undefined).then(check));

  async function check(): Promise<void> {
    if (serverVersion === undefined) await detectVersion();
    const next = await loadCertificates();
    for (const c of next.changes) metrics.certRotations.inc({ what: c.startsWith('CA') ? 'ca' : 'serving' });
    if (next.changes.length > 0) log.info({ changes: next.changes }, 'webhook certificates rotated');
    // The caBundle first (also repairs drift when nothing rotated), then the served certificate.
    await register(next);
    if (next.certPem !== certs.certPem || next.keyPem !== certs.keyPem) {
      if (next.changes.length === 0) metrics.certRotations.inc({ what: 'loaded' });
      server.updateCertificate(next.certPem, next.keyPem);
      log.info('serving the new webhook certificate');
    }
    certs = next;
  }

  const stop = new AbortController();
  const loop = (async () => {
    let wait = registered ? recheckMs : Math.min(RETRY_AFTER_ERROR_MS, recheckMs);
    for (;;) {
      try {
        await clock.sleep(wait, stop.signal);
      } catch {
        return; // closed
      }
      try {
        await recheck();
        wait = recheckMs;
      } catch (e) {
        log.error({ err: messageOf(e) }, 'webhook certificate or registration check failed; retrying');
        wait = Math.min(RETRY_AFTER_ERROR_MS, recheckMs);
      }
    }
  })();

  return {
    port: server.port,
    ready: () => !closed,
    recheck,
    async close() {
      if (closed) return;
      closed = true;
      stop.abort();
      await loop;
      await running.catch(() => undefined);
      await server.close();
    },
  };
}
