/**
 * Command-line arguments of `bellwether-sidecar`, parsed and validated once.
 * The environment is read here and only here.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from './config/duration.js';
import type { SidecarOptions } from './sidecar.js';

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
  --port N                  App port on 127.0.0.1 (loopback only). Default 14000.
  --admin-port N            Admin port: /healthz /readyz /metrics /status. Default 14001.
  --admin-host ADDR         Admin listen address. Default 0.0.0.0 (all interfaces, so
                            the operator and Prometheus can reach it; it serves no
                            secrets and takes no input).
  --watch-interval DUR      Poll interval for file changes, as a fallback to
                            filesystem events. Default 1s.
  --log-level LEVEL         trace, debug, info, warn, error or silent. Default info
                            (or BELLWETHER_LOG_LEVEL). Keys and bodies are never logged.
  --check                   Validate the route file, print the problems, and exit
                            (0 valid, 1 invalid).
  -h, --help                This text.
  --version                 The version.

Exit codes: 0 clean shutdown or valid --check; 1 invalid route; 2 bad arguments
or a port in use.
`;

export type Cli =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; routeFile: string }
  | { kind: 'run'; options: SidecarOptions; logLevel: string }
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
        port: { type: 'string' },
        'admin-port': { type: 'string' },
        'admin-host': { type: 'string' },
        'watch-interval': { type: 'string' },
        'log-level': { type: 'string' },
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
  const logLevel = values['log-level'] ?? env['BELLWETHER_LOG_LEVEL'] ?? 'info';
  if (!LEVELS.has(logLevel)) return { kind: 'error', message: `--log-level must be one of ${[...LEVELS].join(', ')}` };

  const key = (file: string | undefined, envName: string) =>
    file ? { file } : env[envName] ? { value: env[envName] } : {};
  return {
    kind: 'run',
    logLevel,
    options: {
      routeFile: values.route,
      relayKey: key(values['relay-key-file'], 'BELLWETHER_RELAY_API_KEY'),
      officialKey: key(values['official-key-file'], 'BELLWETHER_OFFICIAL_API_KEY'),
      port,
      adminPort,
      adminHost: values['admin-host'] ?? '0.0.0.0',
      pollMs,
    },
  };
}

function parsePort(text: string | undefined, fallback: number, flag: string): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : `${flag} must be a port number (0–65535)`;
}
