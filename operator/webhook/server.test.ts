/** The server's edges over real HTTPS: what it answers to bodies that are not a clean Pod review. */
import { request } from 'node:https';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeFixture } from '../testdata/fixtures.js';
import { WebhookMetrics } from './metrics.js';
import { issueCA, issueServing, type KeyPair } from './pki.js';
import { startWebhookServer, type WebhookServer } from './server.js';

let ca: KeyPair;
let server: WebhookServer;
const registry = new Registry();
let routesIn: (ns: string) => ReturnType<typeof routeFixture>[] = () => [routeFixture()];

beforeAll(async () => {
  ca = await issueCA({ now: Date.now() });
  const serving = await issueServing({ ca, now: Date.now(), dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    ...serving,
    routesIn: (ns) => routesIn(ns),
    context: () => ({ operatorNamespace: 'bellwether-system', serverVersion: 'v1.29.1', sidecar: { image: 'sidecar:test', resources: {}, logLevel: 'info' } }),
    metrics: new WebhookMetrics(registry),
    log: pino({ level: 'silent' }),
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(() => server.close());

function call(method: string, path: string, body?: string, trust = ca.certPem): Promise<{ status: number; text: string; json: () => any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, ca: trust, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const podReview = (object: unknown, extra: object = {}) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'shop', operation: 'CREATE', object, ...extra },
  });
const pod = { metadata: { labels: { app: 'support-bot' } }, spec: { containers: [{ name: 'app', image: 'a' }] } };

describe('webhook server', () => {
  it('answers /healthz', async () => {
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, text: 'ok' });
  });

  it('injects through POST /mutate-pods (query string ignored)', async () => {
    const r = await call('POST', '/mutate-pods?timeout=5s', podReview(pod));
    expect(r.status).toBe(200);
    const review = r.json();
    expect(review).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-1', allowed: true, patchType: 'JSONPatch' } });
    const ops = JSON.parse(Buffer.from(review.response.patch, 'base64').toString('utf8')) as Array<{ path: string; value: { name?: string } }>;
    expect(ops.find((o) => o.path === '/spec/initContainers')?.value).toEqual([expect.objectContaining({ name: 'bellwether', image: 'sidecar:test' })]);
  });

  it('allows a review whose pod is malformed, with a warning and no patch', async () => {
    const r = await call('POST', '/mutate-pods', podReview({ spec: { containers: 'nope' } }));
    expect(r.status).toBe(200);
    expect(r.json().response).toEqual({ uid: 'u-1', allowed: true, warnings: [expect.stringContaining('malformed')] });
  });

  it('allows when looking up the routes fails', async () => {
    routesIn = () => {
      throw new Error('informer not synced');
    };
    try {
      const r = await call('POST', '/mutate-pods', podReview(pod));
      expect(r.json().response).toMatchObject({ uid: 'u-1', allowed: true });
      expect(r.json().response.patch).toBeUndefined();
    } finally {
      routesIn = () => [routeFixture()];
    }
    expect(await registry.getSingleMetricAsString('bellwether_webhook_review_errors_total')).toContain('error="internal"} 1');
  });

  it('allows other kinds and operations unchanged, without listing routes', async () => {
    const r = await call('POST', '/mutate-pods', podReview(pod, { operation: 'UPDATE' }));
    expect(r.json().response).toEqual({ uid: 'u-1', allowed: true });
  });

  it('answers 400 to what is not an AdmissionReview, 413 to an oversized body, 404 and 405 elsewhere', async () => {
    expect((await call('POST', '/mutate-pods', '{not json')).status).toBe(400);
    expect((await call('POST', '/mutate-pods', JSON.stringify({ kind: 'Pod' }))).status).toBe(400);
    expect((await call('POST', '/mutate-pods', podReview({ ...pod, pad: 'x'.repeat(70 * 1024) }))).status).toBe(413);
    expect((await call('GET', '/mutate-pods')).status).toBe(405);
    expect((await call('GET', '/nope')).status).toBe(404);
  });

  it('swaps the certificate for new connections', async () => {
    const ca2 = await issueCA({ now: Date.now() });
    const next = await issueServing({ ca: ca2, now: Date.now(), dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    server.updateCertificate(next.certPem, next.keyPem);
    expect((await call('GET', '/healthz', undefined, ca2.certPem)).status).toBe(200);
    await expect(call('GET', '/healthz', undefined, ca.certPem)).rejects.toThrow();
  });
});
