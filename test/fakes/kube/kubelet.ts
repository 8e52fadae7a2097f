/**
 * The kubelet's part for an injected pod, on one machine: mount the pod's
 * ConfigMap and Secret volumes as files, and run the injected `bellwether`
 * container's command — its own args and env — as a real sidecar process,
 * on free loopback ports instead of 14000/14001, following its ConfigMap
 * through this fake API server with the pod's service-account token. Then the
 * pod is marked ready on 127.0.0.1 and annotated with its admin port, which
 * the operator's fleet poller honours with `adminPortAnnotation` (test
 * support: many pods share one host here). Used by the end-to-end test and
 * the demo; must not import vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Container, type V1Pod } from '@kubernetes/client-node';
import type { FakeKube } from './server.js';
import { eventually } from './poll.js';

export interface RunningSidecar {
  pod: string;
  proc: ChildProcess;
  /** What the app would use as OPENAI_BASE_URL. */
  baseURL: string;
  admin: string;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs the pod's injected sidecar. `sidecarMain`: dist/sidecar/main.js. `dir`: where the pod's volumes go. */
export async function runInjectedSidecar(kube: FakeKube, pod: V1Pod, opts: { sidecarMain: string; dir: string; adminPortAnnotation: string }): Promise<RunningSidecar> {
  const ns = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  const container = (pod.spec?.initContainers ?? []).concat(pod.spec?.containers ?? []).find((c) => c.name === 'bellwether') as V1Container | undefined;
  if (!container) throw new Error(`pod ${ns}/${name} has no bellwether container: it was not injected`);
  const podDir = join(opts.dir, name);
  const mounts: Record<string, string> = {};
  for (const m of container.volumeMounts ?? []) {
    const volume = pod.spec!.volumes!.find((v) => v.name === m.name)!;
    const local = join(podDir, m.name);
    mkdirSync(local, { recursive: true });
    if (volume.configMap) {
      const cm = kube.get('v1', 'ConfigMap', ns, volume.configMap.name!) as unknown as { data: Record<string, string> } | undefined;
      for (const [k, v] of Object.entries(cm?.data ?? {})) writeFileSync(join(local, k), v);
    } else if (volume.secret) {
      const secret = kube.get('v1', 'Secret', ns, volume.secret.secretName!) as unknown as { data?: Record<string, string> } | undefined;
      for (const item of volume.secret.items ?? []) {
        const value = secret?.data?.[item.key];
        if (value !== undefined) writeFileSync(join(local, item.path), Buffer.from(value, 'base64'));
      }
    }
    mounts[m.mountPath] = local;
  }
  const [appPort, adminPort] = [await freePort(), await freePort()];
  const args = (container.args ?? []).map((a) => {
    const mount = Object.keys(mounts).find((m) => a.startsWith(`${m}/`));
    return mount ? a.replace(mount, mounts[mount]!) : a;
  });
  args[args.indexOf('--port') + 1] = String(appPort);
  args[args.indexOf('--admin-port') + 1] = String(adminPort);
  const { token } = kube.serviceAccount(ns, pod.spec?.serviceAccountName ?? 'default');
  const tokenFile = join(podDir, 'token');
  writeFileSync(tokenFile, token);
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) env[e.name] = e.value ?? (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace' ? ns : '');
  // In a pod the API server is KUBERNETES_SERVICE_HOST; here it is the fake's URL.
  const proc = spawn(process.execPath, [opts.sidecarMain, ...args, '--admin-host', '127.0.0.1', '--kube-api', kube.url, '--kube-token-file', tokenFile], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const admin = `http://127.0.0.1:${adminPort}`;
  await eventually(() => fetch(`${admin}/readyz`).then((r) => r.ok, () => false), { timeoutMs: 15_000, what: `the sidecar of ${name} ready` });
  await kube.kubeconfig.makeApiClient(CoreV1Api).patchNamespacedPod({ namespace: ns, name, body: { metadata: { annotations: { [opts.adminPortAnnotation]: String(adminPort) } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  kube.setPodReady(ns, name, '127.0.0.1');
  return {
    pod: name,
    proc,
    baseURL: `http://127.0.0.1:${appPort}/v1`,
    admin,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT'); // no drain delay
      await exited;
    },
  };
}
