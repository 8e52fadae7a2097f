/**
 * `kubectl relay` against the fake API server, run in-process through `run`
 * with a kubeconfig file, as kubectl would start the plugin.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { run } from '../../operator/kubectl-relay/cli.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { LABEL_WIDTH } from '../../operator/kubectl-relay/describe.js';
import { createRoute, fakeKube, routeBody } from './webhook-harness.js';

const line = (label: string, value: string) => `${label}:`.padEnd(LABEL_WIDTH) + value;

const NOW = Date.UTC(2031, 4, 6, 7, 8, 9, 500);
let kube: FakeKube;
let dir: string;
let kubeconfigFile: string;

beforeAll(async () => {
  kube = await fakeKube({ serverVersion: { major: '1', minor: '29' } });
  dir = mkdtempSync(join(tmpdir(), 'kubectl-relay-'));
  kubeconfigFile = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, kube.kubeconfig.exportConfig());
});
afterAll(() => kube.close());

async function relay(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['--kubeconfig', kubeconfigFile, ...argv], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    now: () => NOW,
  });
  return { code, out, err };
}

const routes = () => kube.kubeconfig.makeApiClient(CustomObjectsApi);
const stored = (name: string) => kube.get('bellwether.dev/v1alpha1', 'RelayRoute', 'shop', name) as unknown as {
  metadata: { annotations?: Record<string, string> };
  spec: { canary: { weight: number; restartedAt?: string } };
};

let n = 0;
let route: string;
beforeEach(async () => {
  route = `route-${++n}`;
  await createRoute(kube, 'shop', route, `app-${n}`);
});

describe('kubectl relay status', () => {
  it('shows sides, weights, phase, breakers, pods, money and the last Events', async () => {
    await routes().patchNamespacedCustomObjectStatus(
      {
        group: 'bellwether.dev',
        version: 'v1alpha1',
        namespace: 'shop',
        plural: 'relayroutes',
        name: route,
        body: {
          status: {
            observedGeneration: 1,
            phase: 'RolledBack',
            desiredWeight: 25,
            effectiveWeight: 0,
            pods: { selected: 6, injected: 6, reporting: 5 },
            sides: { relay: { requests: 412, errorRate: 0.032, p99LatencyMs: 640 }, official: { requests: 1204, errorRate: 0.001, p99LatencyMs: 1200 } },
            breakers: [{ model: 'kimi-k2', openPods: 2 }],
            costUSD: 12.345,
            savingsUSD: 45.67,
            cache: { hits: 412, misses: 1180, bypasses: 37, errors: 2, hitRate: 412 / 1594, savingsUSD: 1.284 },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await kube.kubeconfig.makeApiClient(CoreV1Api).createNamespacedEvent({
      namespace: 'shop',
      body: {
        metadata: { name: `${route}.1` },
        involvedObject: { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: route, namespace: 'shop' },
        reason: 'RolledBack',
        type: 'Warning',
        message: 'Rolled back: relay error rate 3.2% > 1.0% over 15m (412 relay requests from 6 pods)',
        lastTimestamp: new Date(NOW - 180_000),
        count: 1,
      },
    });
    const r = await relay('status', route, '-n', 'shop');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(line('Name', route));
    expect(r.out).toContain(line('Phase', 'RolledBack'));
    expect(r.out).toContain(line('Weight', 'desired 25%, effective 0%'));
    expect(r.out).toContain(line('Pods', '6 selected, 6 injected, 5 reporting'));
    expect(r.out).toMatch(/relay\s+412\s+3\.2%\s+640ms/);
    expect(r.out).toMatch(/official\s+1,204\s+0\.1%\s+1\.2s/);
    expect(r.out).toMatch(/kimi-k2\s+2/);
    expect(r.out).toContain(line('Cost', '$12.35 (saved $45.67 against official prices)'));
    expect(r.out).toContain(line('Cache', '412 hits, 1,180 misses (25.8% hit rate), 37 bypassed, 2 backend errors; saved $1.28'));
    expect(r.out).toMatch(/Warning\s+RolledBack\s+3m\s+Rolled back: relay error rate 3\.2% > 1\.0%/);
  });

  it('says <none> for what the operator has not written, never a healthy zero', async () => {
    const r = await relay('status', route, '-n', 'shop');
    expect(r.code).toBe(0);
    expect(r.out).toContain(line('Phase', '<none>'));
    expect(r.out).toContain(line('Pods', '<none>'));
    expect(r.out).toContain(line('Weight', 'desired 25%, effective <none>'));
  });

  it('fails with 1 on a route that does not exist, and 2 on usage', async () => {
    const missing = await relay('status', 'nope', '-n', 'shop');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('not found');
    expect((await relay('status', '-n', 'shop')).code).toBe(2);
    expect((await relay('status', route, '--reason', 'x')).code).toBe(2);
    expect((await relay('frobnicate')).code).toBe(2);
    expect((await relay('--bogus')).code).toBe(2);
  });

  it('prints help per command with exit 0', async () => {
    const r = await relay('rollback', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kubectl relay rollback ROUTE --reason TEXT');
    expect((await relay('-h')).code).toBe(0);
  });
});

describe('kubectl relay weight, resume, rollback', () => {
  it('weight sets spec.canary.weight by merge patch', async () => {
    const r = await relay('-n', 'shop', 'weight', route, '60');
    expect(r).toMatchObject({ code: 0, out: `relayroute.bellwether.dev/${route} weight 25% → 60%\n` });
    expect(stored(route).spec.canary.weight).toBe(60);
    expect((await relay('-n', 'shop', 'weight', route, '101')).code).toBe(2);
    expect((await relay('-n', 'shop', 'weight', route, '-5')).code).toBe(2);
    expect((await relay('-n', 'shop', 'weight', route, '2.5')).code).toBe(2);
  });

  it('resume sets spec.canary.restartedAt to now (RFC 3339)', async () => {
    const r = await relay('resume', route, '--namespace', 'shop');
    expect(r.code).toBe(0);
    expect(stored(route).spec.canary.restartedAt).toBe('2031-05-06T07:08:09Z');
  });

  it('rollback sets the weight to 0, records the reason and time, and records an Event', async () => {
    expect((await relay('rollback', route, '-n', 'shop')).code).toBe(2);
    const r = await relay('rollback', route, '-n', 'shop', '--reason', 'relay returns garbage JSON');
    expect(r.code).toBe(0);
    const after = stored(route);
    expect(after.spec.canary.weight).toBe(0);
    expect(JSON.parse(after.metadata.annotations?.['bellwether.dev/manual-rollback'] ?? '{}')).toEqual({
      reason: 'relay returns garbage JSON',
      time: '2031-05-06T07:08:09Z',
      previousWeight: 25,
    });
    const event = kube.events('shop').find((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === route) as unknown as { reason: string; type: string; message: string };
    expect(event).toMatchObject({ reason: 'ManualRollback', type: 'Warning', message: 'Rolled back by hand: relay returns garbage JSON (spec.canary.weight 25% → 0%)' });
    const status = await relay('status', route, '-n', 'shop');
    expect(status.out).toContain(line('Manual Rollback', '2031-05-06T07:08:09Z: relay returns garbage JSON (weight was 25%)'));
    expect(status.out).toMatch(/Warning\s+ManualRollback/);
  });
});

describe('kubectl relay inject', () => {
  const deployment = (app: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } } },
  });
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const docs = (text: string) => parseAllDocuments(text as string) as unknown as Array<{ toJS(): any }>;

  it('adds the sidecar to a Deployment template with the routes from the cluster, and a second pass changes nothing', async () => {
    const file = write('deploy.yaml', `# the web tier\n${stringify(deployment(`app-${n}`))}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web # keep me\n`);
    const first = await relay('inject', '-f', file);
    expect(first.code).toBe(0);
    const [dep, svc] = docs(first.out).map((d) => d.toJS());
    expect(dep.spec.template.spec.initContainers[0]).toMatchObject({ name: 'bellwether', restartPolicy: 'Always' });
    expect(dep.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'OPENAI_BASE_URL', value: 'http://127.0.0.1:14000/v1' }]));
    expect(dep.spec.template.metadata.annotations).toEqual({ 'bellwether.dev/injected': 'true', 'bellwether.dev/route': route });
    expect(dep.spec.template.metadata.namespace).toBeUndefined();
    expect(svc.kind).toBe('Service');
    expect(first.out).toContain('name: web # keep me');

    const again = await relay('inject', '-f', write('deploy-injected.yaml', first.out));
    expect(again.code).toBe(0);
    expect(again.out).toBe(first.out);
    expect(again.err).toContain('already injected');
  });

  it('works fully offline with --route, for every workload kind, and follows --server-version', async () => {
    const routeFile = write('route.yaml', stringify({ ...routeBody('offline', 'batch'), metadata: { name: 'offline', namespace: 'batch' } }));
    const template = { metadata: { labels: { app: 'batch' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'job:1' }] } };
    const manifests = [
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'batch' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'a' }] } } } },
    ];
    const file = write('batch.yaml', manifests.map((m) => stringify(m)).join('---\n'));
    let out = '';
    let err = '';
    const r = await run(['inject', '-f', file, '--route', routeFile, '-n', 'batch', '--server-version', '1.28'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(r).toBe(0);
    const [cron, pod, sts] = docs(out).map((d) => d.toJS());
    // 1.28 has no native sidecars: a Job's pod would never complete with a plain sidecar → skipped.
    expect(cron.spec.jobTemplate.spec.template.spec.containers).toHaveLength(1);
    expect(err).toContain('CronJob batch/nightly: pod has restartPolicy OnFailure');
    expect(pod.spec.containers.map((c: { name: string }) => c.name)).toEqual(['a', 'bellwether']);
    expect(pod.metadata.annotations['bellwether.dev/route']).toBe('offline');
    expect(sts.spec.template.spec.initContainers).toBeUndefined();
    expect(err).toContain('StatefulSet batch/s: no RelayRoute selects this pod');
  });

  it('needs -f', async () => {
    expect((await relay('inject')).code).toBe(2);
  });
});
