import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from './cli.js';

const run = (argv: string[], env: Record<string, string> = {}) => {
  const p = parseCli(argv, env);
  if (p.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(p)}`);
  return p.cli;
};

describe('operator cli', () => {
  it('has the documented defaults', () => {
    const cli = run([], { POD_NAMESPACE: 'bw', POD_NAME: 'bellwether-operator-7d9f-abcde', KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(cli).toMatchObject({
      inCluster: true,
      namespace: 'bw',
      identity: 'bellwether-operator-7d9f-abcde',
      leaderElect: true,
      statusIntervalMs: 10_000,
      fleetConcurrency: 16,
      fleetTimeoutMs: 2000,
      metricsPort: 8080,
      healthPort: 8081,
      webhookPort: 9443,
      sidecar: { logLevel: 'info' },
      logLevel: 'info',
      sidecarAdminPortAnnotation: false,
    });
    expect(run([]).namespace).toBe('bellwether-system');
    expect(run([]).inCluster).toBe(false);
  });

  it('parses every flag', () => {
    const cli = run([
      '--kubeconfig', '/tmp/kc', '--context', 'kind', '--namespace', 'ops', '--identity', 'me', '--leader-elect=false',
      '--status-interval', '30s', '--fleet-concurrency', '4', '--fleet-timeout', '500ms', '--workers', '2',
      '--metrics-port', '0', '--health-port', '9000', '--webhook-port', '10443', '--webhook-url', 'https://127.0.0.1:10443',
      '--sidecar-image', 'ghcr.io/x/bellwether:0.1.0', '--sidecar-resources', '{"requests":{"cpu":"50m"}}', '--sidecar-log-level', 'debug',
      '--log-level', 'warn', '--sidecar-admin-port-annotation',
    ], { KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(cli).toMatchObject({
      kubeconfig: '/tmp/kc', context: 'kind', inCluster: false, namespace: 'ops', identity: 'me', leaderElect: false,
      statusIntervalMs: 30_000, fleetConcurrency: 4, fleetTimeoutMs: 500, workers: 2, metricsPort: 0, healthPort: 9000,
      webhookPort: 10443, webhookUrl: 'https://127.0.0.1:10443',
      sidecar: { image: 'ghcr.io/x/bellwether:0.1.0', resources: { requests: { cpu: '50m' } }, logLevel: 'debug' },
      logLevel: 'warn', sidecarAdminPortAnnotation: true,
    });
  });

  it('refuses bad values with a message that names the flag', () => {
    const err = (argv: string[]) => {
      const p = parseCli(argv, {});
      return p.kind === 'error' ? p.message : undefined;
    };
    expect(err(['--status-interval', '10'])).toContain('--status-interval');
    expect(err(['--leader-elect=maybe'])).toContain('--leader-elect takes true or false');
    expect(err(['--metrics-port', '70000'])).toContain('--metrics-port');
    expect(err(['--webhook-url', 'http://x'])).toContain('https://');
    expect(err(['--sidecar-resources', '{'])).toContain('--sidecar-resources');
    expect(err(['--nope'])).toContain('--nope');
  });

  it('answers --help and --version', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['--version'], {})).toEqual({ kind: 'version' });
    for (const flag of ['--kubeconfig', '--leader-elect', '--status-interval', '--metrics-port', '--health-port', '--webhook-port', '--webhook-url', '--sidecar-image', '--sidecar-resources', '--sidecar-log-level']) {
      expect(HELP).toContain(flag);
    }
  });
});
