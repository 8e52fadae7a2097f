/**
 * The README's walkthrough ("On a cluster: the first hour") and the chart's
 * NOTES.txt are checked against the real things: every `helm install/upgrade`
 * renders with its flags through the real Helm and the values schema, every
 * `--set` in the text is a value the schema accepts, every `kubectl relay`
 * line passes the plugin's own argument parsing, the RelayRoute is valid
 * against the CRD, the Secret matches the route's key reference, the patch
 * yields a valid route, and every repository file a command names exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Events } from '../../operator/events.js';
import { run } from '../../operator/kubectl-relay/cli.js';
import { createRelayRouteValidator, loadCrdSchema } from '../../sidecar/config/schema.js';
import { CHART, ROOT, helm } from './helm.js';

const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const start = readme.indexOf('## On a cluster: the first hour');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const heredoc = /<<'YAML'\n([\s\S]*?)\nYAML\n/.exec(section)?.[1];
/** Shell lines: continuations joined, comments and heredoc bodies dropped. */
const commands = blocks
  .map((b) => b.replace(/<<'YAML'\n[\s\S]*?\nYAML\n/, "<<'YAML'\n").replace(/\\\n\s*/g, ''))
  .flatMap((b) => b.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Splits a command line into words (single and double quotes, no expansion). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

async function relay(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
  // A kubeconfig that does not exist: usage is checked first (exit 2), then loading it fails (exit 1).
  const code = await run([...argv, '--kubeconfig', `${ROOT}.no-such-kubeconfig`], io);
  return { code, err };
}

describe('README: on a cluster, the first hour', () => {
  it('has the walkthrough, in order', () => {
    expect(start).toBeGreaterThan(0);
    const order = ['helm install', 'create secret', 'kubectl apply -f -', 'rollout restart', 'get pods', 'kubectl relay status', 'kubectl relay weight', 'patch rr', 'reason=RolledBack', 'kubectl relay resume', 'helm uninstall'];
    const at = order.map((o) => commands.findIndex((c) => c.includes(o)));
    expect(at.every((i) => i >= 0), `missing: ${order.filter((_, i) => at[i]! < 0)}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(section).toMatch(/\*\*bellwether\*\* dashboard/);
  });

  it('every helm install/upgrade renders through the real chart and its schema', () => {
    const installs = commands.filter((c) => /^helm (install|upgrade) /.test(c));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const c of installs) {
      const [, , name, chart, ...flags] = words(c);
      expect(name).toBe('bellwether');
      expect(chart).toBe('charts/bellwether');
      const kept = flags.filter((f) => !['--create-namespace', '--reuse-values', '--wait'].includes(f));
      const out = helm(['template', name!, `${ROOT}${chart}`, ...kept]);
      for (const [i, f] of kept.entries()) if (f === '--set') expect(out).toContain(kept[i + 1]!.split('=')[1]);
    }
  });

  it('every --set in the text is a value the chart accepts', () => {
    const sets = [...section.matchAll(/--set ([\w.]+=[^\s`]+)/g)].map((m) => m[1]!);
    expect(sets.length).toBeGreaterThan(0);
    for (const s of sets) expect(() => helm(['template', 'bellwether', CHART, '--set', s])).not.toThrow();
  });

  it('helm test / uninstall / upgrade name the release and namespace of the install', () => {
    for (const c of commands.filter((l) => /^helm (test|uninstall|install|upgrade) /.test(l))) {
      const w = words(c);
      expect(w[2], c).toBe('bellwether');
      expect(w[w.indexOf('--namespace') + 1], c).toBe('bellwether-system');
    }
  });

  it('every kubectl relay line passes the plugin’s own argument parsing', async () => {
    const lines = commands.filter((c) => c.startsWith('kubectl relay '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      const r = await relay(words(l).slice(2));
      expect(r.err, l).not.toMatch(/Run 'kubectl relay/);
      expect(r.code, l).toBe(1); // got as far as the kubeconfig
    }
  });

  it('the check refuses a wrong kubectl relay line', async () => {
    expect((await relay(['weight', 'support-bot', '150', '-n', 'shop'])).code).toBe(2);
    expect((await relay(['promote', 'support-bot'])).code).toBe(2);
    expect((await relay(['status', 'support-bot', '--watch'])).code).toBe(2);
  });

  describe('the RelayRoute', () => {
    const validate = createRelayRouteValidator(loadCrdSchema(`${CHART}/crds/relayroute.yaml`));
    const route = parse(heredoc ?? '') as { metadata: { name: string; namespace: string }; spec: { relay: { apiKeySecretRef: { name: string; key: string } } } };

    it('is valid against the CRD', () => {
      const r = validate(route);
      expect(r.ok ? [] : r.errors).toEqual([]);
    });

    it('its Secret is the one the walkthrough creates, in its namespace', () => {
      const secret = words(commands.find((c) => c.includes('create secret generic'))!);
      expect(secret[secret.indexOf('-n') + 1]).toBe(route.metadata.namespace);
      expect(secret[secret.indexOf('generic') + 1]).toBe(route.spec.relay.apiKeySecretRef.name);
      expect(secret.find((w) => w.startsWith('--from-literal='))).toMatch(new RegExp(`^--from-literal=${route.spec.relay.apiKeySecretRef.key}=`));
    });

    it('the kubectl patch yields a valid route with the new weight', () => {
      const line = commands.find((c) => / patch rr /.test(c))!;
      const w = words(line);
      expect(w[w.indexOf('rr') + 1]).toBe(route.metadata.name);
      expect(w[w.indexOf('--type') + 1]).toBe('merge');
      const patch = JSON.parse(w[w.indexOf('-p') + 1]!) as { spec: { canary: { weight: number } } };
      const patched = structuredClone(route) as unknown as { spec: { canary: { weight: number } } };
      patched.spec.canary = { ...patched.spec.canary, ...patch.spec.canary };
      const r = validate(patched);
      expect(r.ok ? [] : r.errors).toEqual([]);
      expect(patched.spec.canary.weight).toBe(50);
    });

    it('commands name the route’s namespace and the workload its selector picks', () => {
      for (const c of commands.filter((l) => /^kubectl (-n shop|relay)/.test(l) && !l.includes('delete'))) expect(c, c).toMatch(/-n shop/);
      expect(commands.some((c) => c.includes('deployment/support-bot'))).toBe(true);
    });
  });

  it('the rollback Event it shows is the operator’s own wording, and the field selector names its reason', () => {
    const event = Events.rolledBack({ reason: 'error_rate', value: 0.032, threshold: 0.01, windowMs: 15 * 60_000, relayRequests: 412, pods: 6 });
    expect(section).toContain(`${event.type}  ${event.reason}  relayroute/support-bot  ${event.message}`);
    expect(commands.find((c) => c.includes('get events'))).toContain(`reason=${event.reason}`);
  });

  it('every repository file a command names exists', () => {
    const files = commands.flatMap((c) => words(c).filter((w, i, all) => all[i - 1] === '-f' && w !== '-'));
    expect(files).toContain('charts/bellwether/crds/relayroute.yaml');
    for (const f of files) expect(existsSync(`${ROOT}${f}`), f).toBe(true);
  });
});

describe('NOTES.txt', () => {
  const notes = readFileSync(`${CHART}/templates/NOTES.txt`, 'utf8');
  it('its kubectl relay lines pass the plugin’s argument parsing', async () => {
    const lines = notes.split('\n').map((l) => l.trim().replace(/\s+#.*$/, '')).filter((l) => l.startsWith('kubectl relay '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      const r = await relay(words(l).slice(2));
      expect(r.code, `${l}: ${r.err}`).toBe(1);
    }
  });
  it('the files it names exist', () => {
    for (const m of notes.matchAll(/-f ((?:examples|charts)\/\S+)/g)) expect(existsSync(`${ROOT}${m[1]}`), m[1]).toBe(true);
  });
});
