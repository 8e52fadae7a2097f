/**
 * Config and key files change under a running sidecar: valid changes apply
 * without a restart, invalid ones are refused while the last good copy keeps
 * serving, and a Kubernetes `..data` symlink swap is seen.
 *
 * Files are written atomically (temp file + rename), as kubelet does, so the
 * watcher never reads a half-written file and every error count is exact.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FakeUpstream } from '../fakes/upstream.js';
import { RELAY_KEY, baseSpec, eventually, metric, startStack, type Spec, type Stack } from './harness.js';

let stack: Stack;
const cleanup: string[] = [];
afterEach(async () => {
  await stack?.close();
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const NEW_RELAY_KEY = 'relay-secret-key-for-tests-rotated-0004';
let tmpSeq = 0;

function routeText(official: FakeUpstream, relay: FakeUpstream, spec: Spec, metadata: Record<string, unknown> = {}): string {
  const doc = {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'RelayRoute',
    metadata: { name: 'support-bot', namespace: 'shop', ...metadata },
    spec: { ...baseSpec(official, relay), ...spec },
  };
  return stringify(doc);
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${++tmpSeq}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const writeSpec = (spec: Spec, metadata?: Record<string, unknown>): void =>
  writeAtomic(stack.routeFile, routeText(stack.official, stack.relay, spec, metadata));

async function sideOf(): Promise<string | null> {
  const req = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hello' }] };
  const res = await stack.client().chat.completions.create(req).withResponse();
  return res.response.headers.get('x-bellwether-side');
}

const routeReloads = (): number => stack.logs.filter((l) => l.includes('"msg":"route reloaded"')).length;
const routeMetric = async (name: string): Promise<number> => metric(await stack.metrics(), name, { file: 'route' });

describe('route file', () => {
  it('applies a weight change without a restart', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    expect(await sideOf()).toBe('official');
    const before = await stack.status();
    expect(before.weight.desired).toBe(0);

    writeSpec({ canary: { weight: 100 } });
    const after = await eventually(async () => {
      const s = await stack.status();
      return s.weight.desired === 100 && s;
    });
    expect(after.weight.effective).toBe(100);
    expect(after.generation).toBeGreaterThan(before.generation);
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_canary_weight', { kind: 'desired' })).toBe(100);
    expect(metric(m, 'bellwether_config_generation')).toBe(after.generation);
    expect(await sideOf()).toBe('relay');
    expect(await sideOf()).toBe('relay');
  });

  it('refuses an invalid route, keeps serving the last good one, and recovers on a good file', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    expect(await routeMetric('bellwether_config_reload_errors_total')).toBe(0);
    expect(await routeMetric('bellwether_config_last_reload_successful')).toBe(1);
    const { generation } = await stack.status();

    // Had it been applied (or clamped), traffic would move to the relay.
    writeSpec({ canary: { weight: 150 } });
    await eventually(async () => (await routeMetric('bellwether_config_reload_errors_total')) === 1);
    expect(await routeMetric('bellwether_config_last_reload_successful')).toBe(0);
    const s = await stack.status();
    expect(s.config.files.route.ok).toBe(false);
    expect(s.config.files.route.error).toContain('spec.canary.weight');
    expect(s.weight.desired).toBe(0);
    expect(s.generation).toBe(generation);
    const why = stack.logs.filter((l) => l.includes('refused the new route file'));
    expect(why).toHaveLength(1);
    expect(why[0]).toContain('spec.canary.weight');
    expect(JSON.parse(why[0]!).level).toBe('error');
    expect(await sideOf()).toBe('official');

    writeAtomic(stack.routeFile, 'spec: {canary: [weight: 100\n  : garbage');
    await eventually(async () => (await routeMetric('bellwether_config_reload_errors_total')) === 2);
    expect((await stack.status()).config.files.route.error).toMatch(/^YAML: /);
    expect(await sideOf()).toBe('official');

    writeSpec({ canary: { weight: 100 } });
    await eventually(async () => (await routeMetric('bellwether_config_last_reload_successful')) === 1);
    const ok = await stack.status();
    expect(ok.config.files.route).toEqual({ ok: true });
    expect(ok.weight.desired).toBe(100);
    expect(await routeMetric('bellwether_config_reload_errors_total')).toBe(2);
    expect(await sideOf()).toBe('relay');
  });

  it('reports healthy again when a route file that went missing comes back unchanged', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    const text = readFileSync(stack.routeFile, 'utf8');
    unlinkSync(stack.routeFile);
    await eventually(async () => (await routeMetric('bellwether_config_last_reload_successful')) === 0);
    expect((await stack.status()).config.files.route.error).toMatch(/cannot read .*ENOENT/);
    expect(await sideOf()).toBe('official');

    writeAtomic(stack.routeFile, text);
    await eventually(async () => (await routeMetric('bellwether_config_last_reload_successful')) === 1);
    expect((await stack.status()).config.files.route).toEqual({ ok: true });
    expect(await routeMetric('bellwether_config_reload_errors_total')).toBe(1);
  });

  it('sees a Kubernetes ConfigMap update: a new ..data symlink renamed over the old one', async () => {
    // The kubelet layout: route.yaml -> ..data/route.yaml, ..data -> ..<timestamp>/.
    const volume = mkdtempSync(join(tmpdir(), 'bellwether-configmap-'));
    cleanup.push(volume);
    const publish = (version: string, text: string, first: boolean): void => {
      mkdirSync(join(volume, version));
      writeFileSync(join(volume, version, 'route.yaml'), text);
      if (first) {
        symlinkSync(version, join(volume, '..data'));
        symlinkSync(join('..data', 'route.yaml'), join(volume, 'route.yaml'));
        return;
      }
      symlinkSync(version, join(volume, '..data_tmp'));
      renameSync(join(volume, '..data_tmp'), join(volume, '..data'));
    };
    stack = await startStack(
      (official, relay) => {
        publish('..2025_01_01_00_00_00.000000001', routeText(official, relay, { canary: { weight: 0 } }, { generation: 3 }), true);
        return {};
      },
      // No poll within the test: only the directory watch can notice the swap.
      { routeFile: join(volume, 'route.yaml'), pollMs: 600_000 },
    );
    expect((await stack.status()).generation).toBe(3);
    expect(await sideOf()).toBe('official');

    publish('..2025_01_01_00_01_00.000000002', routeText(stack.official, stack.relay, { canary: { weight: 100 } }, { generation: 4 }), false);
    rmSync(join(volume, '..2025_01_01_00_00_00.000000001'), { recursive: true });
    const s = await eventually(async () => {
      const st = await stack.status();
      return st.generation === 4 && st;
    });
    expect(s.weight.desired).toBe(100);
    expect(s.config.files.route).toEqual({ ok: true });
    expect(await sideOf()).toBe('relay');
  });
});

describe('the operator\'s decisions', () => {
  it('honours the rendered effective weight over spec.canary.weight, and spec again without one', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    expect(await sideOf()).toBe('relay');
    // A fleet rollback as the operator renders it: spec unchanged, the decision in an annotation.
    stack.writeRoute({ canary: { weight: 100 } }, { generation: 3, annotations: { 'bellwether.dev/effective-weight': '0', 'bellwether.dev/phase': 'RolledBack' } });
    const held = await eventually(async () => {
      const s = await stack.status();
      return s.weight.fleet === 0 && s;
    });
    expect(held.weight).toEqual({ desired: 100, fleet: 0, effective: 0 });
    expect(held.phase).toBe('RolledBack');
    expect(await sideOf()).toBe('official');
    expect(metric(await stack.metrics(), 'bellwether_canary_weight', { kind: 'effective' })).toBe(0);
    // A step of a progressive canary: 25 while spec says 100.
    stack.writeRoute({ canary: { weight: 100 } }, { generation: 3, annotations: { 'bellwether.dev/effective-weight': '25', 'bellwether.dev/phase': 'Progressing' } });
    await eventually(async () => (await stack.status()).weight.effective === 25);
    // An effective weight that is not 0–100 is ignored: spec.canary.weight applies.
    stack.writeRoute({ canary: { weight: 100 } }, { generation: 3, annotations: { 'bellwether.dev/effective-weight': '250' } });
    await eventually(async () => (await stack.status()).weight.effective === 100);
  });
});

describe('generation', () => {
  it('bumps a standalone file’s generation only when its spec changes', async () => {
    stack = await startStack({ canary: { weight: 10 } });
    expect((await stack.status()).generation).toBe(1);

    writeAtomic(stack.routeFile, `# reviewed by ops\n${routeText(stack.official, stack.relay, { canary: { weight: 10 } })}`);
    await eventually(() => routeReloads() === 1);
    expect((await stack.status()).generation).toBe(1);

    writeSpec({ canary: { weight: 20 } });
    await eventually(() => routeReloads() === 2);
    expect((await stack.status()).generation).toBe(2);

    writeSpec({ canary: { weight: 20 } }, { labels: { team: 'support' } });
    await eventually(() => routeReloads() === 3);
    expect((await stack.status()).generation).toBe(2);
  });

  it('uses metadata.generation when the file has one', async () => {
    stack = await startStack({ canary: { weight: 10 } });
    writeSpec({ canary: { weight: 10 } }, { generation: 42 });
    await eventually(async () => (await stack.status()).generation === 42);
    writeSpec({ canary: { weight: 30 } }, { generation: 42 });
    await eventually(async () => (await stack.status()).weight.desired === 30);
    expect((await stack.status()).generation).toBe(42);
    expect(metric(await stack.metrics(), 'bellwether_config_generation')).toBe(42);
  });
});

describe('relay key file', () => {
  it('sends the new key after a rotation, and refuses an empty key file', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    await sideOf();
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);

    writeAtomic(stack.relayKeyFile, `${NEW_RELAY_KEY}\n`);
    await eventually(() => stack.logs.some((l) => l.includes('API keys reloaded')));
    expect(await sideOf()).toBe('relay');
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${NEW_RELAY_KEY}`);

    writeAtomic(stack.relayKeyFile, '');
    const keyMetric = async (name: string) => metric(await stack.metrics(), name, { file: 'relay_key' });
    await eventually(async () => (await keyMetric('bellwether_config_reload_errors_total')) === 1);
    expect(await keyMetric('bellwether_config_last_reload_successful')).toBe(0);
    const s = await stack.status();
    expect(s.config.files.relay_key).toEqual({ ok: false, error: 'the key file is empty' });
    expect(s.keys.relay).toBe('loaded');
    expect(stack.logs.some((l) => l.includes('refused the new relay key file'))).toBe(true);
    expect(await sideOf()).toBe('relay');
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${NEW_RELAY_KEY}`);

    writeAtomic(stack.relayKeyFile, `${RELAY_KEY}\n`);
    await eventually(async () => (await keyMetric('bellwether_config_last_reload_successful')) === 1);
    await sideOf();
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);

    const everything = stack.logs.join('') + JSON.stringify(await stack.status()) + (await stack.metrics());
    expect(everything).not.toContain(RELAY_KEY);
    expect(everything).not.toContain(NEW_RELAY_KEY);
  });
});

describe('relay key file that goes missing', () => {
  it('keeps the old key while it is gone, and reports healthy again when it comes back unchanged', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const keyMetric = async (name: string) => metric(await stack.metrics(), name, { file: 'relay_key' });
    unlinkSync(stack.relayKeyFile);
    await eventually(async () => (await keyMetric('bellwether_config_last_reload_successful')) === 0);
    expect(await sideOf()).toBe('relay');
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);

    writeAtomic(stack.relayKeyFile, `${RELAY_KEY}\n`);
    await eventually(async () => (await keyMetric('bellwether_config_last_reload_successful')) === 1);
    expect((await stack.status()).config.files.relay_key).toEqual({ ok: true });
    expect(await keyMetric('bellwether_config_reload_errors_total')).toBe(1);
  });
});

describe('a file that is not a regular file', () => {
  it('refuses a FIFO put in place of the route file without blocking, keeps serving, and loads a regular file put back', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    const text = readFileSync(stack.routeFile, 'utf8');
    const fifo = join(stack.dir, 'route.fifo');
    execFileSync('mkfifo', [fifo]);
    renameSync(fifo, stack.routeFile);

    // Reading it would block the process until a writer came: /status and /metrics could not answer.
    await eventually(async () => (await routeMetric('bellwether_config_reload_errors_total')) === 1);
    expect((await fetch(`${stack.sidecar.adminURL}/healthz`)).status).toBe(200);
    const s = await stack.status();
    expect(s.config.files.route.ok).toBe(false);
    expect(s.config.files.route.error).toBe(`refused ${stack.routeFile}: not a regular file (a FIFO)`);
    expect(await routeMetric('bellwether_config_last_reload_successful')).toBe(0);
    expect(await sideOf()).toBe('official');
    expect(stack.logs.filter((l) => l.includes('not a regular file'))).toHaveLength(1); // once, not once per poll

    writeAtomic(stack.routeFile, text);
    await eventually(async () => (await routeMetric('bellwether_config_last_reload_successful')) === 1);
    expect((await stack.status()).config.files.route).toEqual({ ok: true });
    expect(await routeMetric('bellwether_config_reload_errors_total')).toBe(1);
    expect(await sideOf()).toBe('official');
  });

  it('refuses a FIFO in place of the relay key file and keeps the loaded key', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const fifo = join(stack.dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    renameSync(fifo, stack.relayKeyFile);
    const keyMetric = async (name: string) => metric(await stack.metrics(), name, { file: 'relay_key' });
    await eventually(async () => (await keyMetric('bellwether_config_reload_errors_total')) === 1);
    expect((await stack.status()).config.files.relay_key.error).toContain('not a regular file (a FIFO)');
    expect(await sideOf()).toBe('relay');
    expect(stack.relay.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
  });
});
