/**
 * The webhook's HTTPS server: `POST /mutate-pods` (AdmissionReview v1 in,
 * `review()` from inject.ts, AdmissionReview out) and `GET /healthz`. A thin
 * shell: the decision and the patch are the pure core's.
 *
 * Never blocks a pod:
 * - a body that is an AdmissionReview (it has `request.uid`) always gets an
 *   allowing AdmissionReview back — also when the object inside is malformed
 *   or the review throws (then with a warning and no patch);
 * - a body that is not JSON or not an AdmissionReview gets 400, a body over
 *   `maxBodyBytes` (default 4 MiB; the API server refuses objects over 3 MiB
 *   anyway) gets 413: the API server counts either as a failed call, and
 *   `failurePolicy: Ignore` admits the pod unmutated.
 *
 * The certificate is swapped in place (`updateCertificate` →
 * `server.setSecureContext`): connections already open keep the old one, new
 * handshakes get the new one.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { ADMISSION_API_VERSION, type AdmissionReview } from '../admission.js';
import { injectable, review, supportsNativeSidecars, type InjectContext } from '../inject.js';
import type { RelayRoute } from '../route.js';
import type { WebhookMetrics, ReviewError } from './metrics.js';
import { skipCode } from './skip-reason.js';

export const MUTATE_PATH = '/mutate-pods';
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface WebhookServerOptions {
  port: number;
  /** Default `0.0.0.0`. */
  host?: string;
  certPem: string;
  keyPem: string;
  /** The RelayRoutes of a namespace (the controller's informer cache, or a list through the API). */
  routesIn: (namespace: string) => readonly RelayRoute[] | Promise<readonly RelayRoute[]>;
  /** Everything else the pure core needs; `routes` and `namespace` come per request. */
  context: () => Omit<InjectContext, 'routes' | 'namespace'>;
  metrics: WebhookMetrics;
  log: Logger;
  maxBodyBytes?: number;
}

export interface WebhookServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  server: Server;
  updateCertificate(certPem: string, keyPem: string): void;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function isReview(v: unknown): v is AdmissionReview & { request: { uid: string } } {
  const r = v as AdmissionReview | null;
  return r !== null && typeof r === 'object' && r.kind === 'AdmissionReview' && typeof r.request?.uid === 'string' && r.request.uid !== '';
}

function allow(uid: string, warning?: string): AdmissionReview {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response: { uid, allowed: true, ...(warning ? { warnings: [warning] } : {}) } };
}

export async function startWebhookServer(o: WebhookServerOptions): Promise<WebhookServer> {
  const limit = o.maxBodyBytes ?? MAX_BODY_BYTES;

  async function mutate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const fail = (error: ReviewError, status: number, message: string) => {
      o.metrics.errors.inc({ error });
      o.log.warn({ error }, message);
      send(res, status, message);
    };
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (e) {
      if (e instanceof BodyTooLarge) return fail('too_large', 413, `request body over ${limit} bytes`);
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return fail('not_admission_review', 400, 'request body is not JSON');
    }
    if (!isReview(parsed)) return fail('not_admission_review', 400, 'request body is not an AdmissionReview with request.uid');
    const request = parsed.request;
    let answer: AdmissionReview;
    try {
      const pod = request.object as V1Pod | undefined;
      const namespace = request.namespace || pod?.metadata?.namespace || '';
      const isPodCreate = request.kind?.kind === 'Pod' && (request.kind.group ?? '') === '' && request.operation === 'CREATE' && request.subResource === undefined;
      if (isPodCreate && !(pod !== null && typeof pod === 'object' && Array.isArray(pod.spec?.containers))) {
        o.metrics.errors.inc({ error: 'malformed_object' });
        answer = allow(request.uid, 'bellwether: the pod in the request is malformed; admitted without the sidecar');
      } else {
        const ctx: InjectContext = { ...o.context(), routes: isPodCreate ? await o.routesIn(namespace) : [], ...(namespace ? { namespace } : {}) };
        answer = review(parsed, ctx);
        if (isPodCreate && pod) count(pod, ctx, namespace);
      }
    } catch (e) {
      o.metrics.errors.inc({ error: 'internal' });
      o.log.error({ err: e, uid: request.uid }, 'review failed; admitting the pod unchanged');
      answer = allow(request.uid, 'bellwether: the webhook failed to review this pod; admitted without the sidecar');
    }
    send(res, 200, answer);
    o.metrics.duration.observe((performance.now() - started) / 1000);
  }

  function count(pod: V1Pod, ctx: InjectContext, namespace: string): void {
    const d = injectable(pod, ctx);
    const who = { namespace, pod: pod.metadata?.name || `${pod.metadata?.generateName ?? ''}*` };
    if (d.inject) {
      o.metrics.injections.inc({ sidecar: supportsNativeSidecars(ctx.serverVersion) ? 'native' : 'container' });
      o.log.info({ ...who, route: d.route?.metadata.name }, 'injected the sidecar');
    } else if (d.alreadyInjected) {
      o.metrics.skipped('already_injected');
    } else {
      for (const r of d.reasons) o.metrics.skipped(skipCode(r));
      o.log.debug({ ...who, reasons: d.reasons }, 'skipped');
    }
  }

  const server = createServer({ cert: o.certPem, key: o.keyPem, minVersion: 'TLSv1.2' }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, 'ok');
    if (path !== MUTATE_PATH) return send(res, 404, 'not found');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return send(res, 405, 'method not allowed');
    }
    mutate(req, res).catch((e: unknown) => {
      o.log.error({ err: e }, 'admission request failed');
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    updateCertificate(certPem, keyPem) {
      server.setSecureContext({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
