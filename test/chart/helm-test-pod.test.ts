/**
 * The `helm test` pod's check, run exactly as the chart renders it (its
 * `command`, with its env pointed at loopback servers): a ready operator and a
 * webhook serving a certificate for its Service name pass; a not-ready
 * operator or a certificate for another name fail with a FAIL line.
 */
import { execFile } from 'node:child_process';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCA, issueServing } from '../../operator/webhook/pki.js';
import { NAMESPACE, render } from './helm.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});
const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

async function stack(ready: number, sanName: string) {
  const health = createHttp((_req, res) => res.writeHead(ready, { 'content-type': 'text/plain' }).end(ready === 200 ? 'ok\n' : 'informers not synced\n'));
  const ca = await issueCA({ now: Date.now() });
  const cert = await issueServing({ ca, now: Date.now(), dnsNames: [sanName] });
  const hook = createHttps({ cert: cert.certPem, key: cert.keyPem }, (req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  servers.push(health, hook);
  return { readyPort: await listen(health), webhookPort: await listen(hook) };
}

function runTestPod(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const pod = render().find((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test') as unknown as { spec: { containers: Array<{ command: string[]; env: Array<{ name: string; value: string }> }> } };
  const c = pod.spec.containers[0]!;
  expect(c.command.slice(0, 2)).toEqual(['node', '-e']);
  expect(c.env.map((e) => e.name).sort()).toEqual(Object.keys(env).sort());
  return new Promise((resolve) => {
    execFile(process.execPath, c.command.slice(1), { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

const NAME = `bellwether-webhook.${NAMESPACE}.svc`;

describe('helm test pod', () => {
  it('passes against a ready operator and a webhook with a certificate for its Service name', async () => {
    const { readyPort, webhookPort } = await stack(200, NAME);
    const r = await runTestPod({ READY_URL: `http://127.0.0.1:${readyPort}/readyz`, WEBHOOK_URL: `https://127.0.0.1:${webhookPort}/healthz`, WEBHOOK_NAME: NAME });
    expect(r.out).toContain(`ok: webhook https://127.0.0.1:${webhookPort}/healthz: TLS certificate for ${NAME}, 200`);
    expect(r.code).toBe(0);
  });
  it('fails when the operator is not ready', async () => {
    const { readyPort, webhookPort } = await stack(503, NAME);
    const r = await runTestPod({ READY_URL: `http://127.0.0.1:${readyPort}/readyz`, WEBHOOK_URL: `https://127.0.0.1:${webhookPort}/healthz`, WEBHOOK_NAME: NAME });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL operator .*: 503 informers not synced/);
  });
  it('fails when the webhook’s certificate is for another name', async () => {
    const { readyPort, webhookPort } = await stack(200, 'bellwether-webhook.elsewhere.svc');
    const r = await runTestPod({ READY_URL: `http://127.0.0.1:${readyPort}/readyz`, WEBHOOK_URL: `https://127.0.0.1:${webhookPort}/healthz`, WEBHOOK_NAME: NAME });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL webhook .*Host: bellwether-webhook\.bellwether-system\.svc\. is not in the cert's altnames/);
  });
});
