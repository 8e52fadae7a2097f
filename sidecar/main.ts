#!/usr/bin/env node
/** `bellwether-sidecar`: see `--help` (cli.ts). */
import { readFileSync } from 'node:fs';
import { HELP, parseCli } from './cli.js';
import { createLogger } from './log.js';
import { startSidecar } from './sidecar.js';
import { exitOnSignals } from './signals.js';
import { ConfigError } from './config/source.js';
import { loadRouteText } from './config/compile.js';
import { readRegularFile } from './config/regular-file.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2), process.env);
  switch (cli.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`bellwether-sidecar ${VERSION}\n`);
      return 0;
    case 'error':
      process.stderr.write(`bellwether-sidecar: ${cli.message}\nTry --help.\n`);
      return 2;
    case 'check': {
      const read = readRegularFile(cli.routeFile);
      if (!read.ok) {
        process.stderr.write(`${cli.routeFile}: ${read.error}\n`);
        return 1;
      }
      const r = loadRouteText(read.text, 1);
      if (r.ok) {
        process.stdout.write(`${cli.routeFile}: valid RelayRoute ${r.route.namespace}/${r.route.name}\n`);
        return 0;
      }
      process.stderr.write(`${cli.routeFile}: invalid RelayRoute\n${r.errors.map((e) => `  - ${e}\n`).join('')}`);
      return 1;
    }
    case 'run':
      break;
  }

  const logger = createLogger(cli.logLevel as 'info');
  let sidecar;
  try {
    sidecar = await startSidecar({ ...cli.options, logger });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`bellwether-sidecar: invalid route ${err.file}\n${err.errors.map((e) => `  - ${e}\n`).join('')}`);
      return 1;
    }
    const code = (err as { code?: string }).code;
    process.stderr.write(`bellwether-sidecar: ${code === 'EADDRINUSE' ? 'port already in use: ' : ''}${(err as Error).message}\n`);
    return 2;
  }

  const started = sidecar;
  return exitOnSignals(logger, (signal) => {
    // SIGTERM: Kubernetes is stopping the pod and the app may still be sending. SIGINT: someone
    // at a terminal, for whom no endpoint is being removed: no drain delay.
    const drainDelayMs = signal === 'SIGTERM' ? cli.drainDelayMs : 0;
    logger.info({ signal, drainDelayMs, shutdownTimeoutMs: cli.shutdownTimeoutMs }, 'shutting down');
    return started.shutdown({ drainDelayMs, timeoutMs: cli.shutdownTimeoutMs });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bellwether-sidecar: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
