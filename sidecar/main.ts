#!/usr/bin/env node
/** `bellwether-sidecar`: see `--help` (cli.ts). */
import { readFileSync } from 'node:fs';
import { HELP, parseCli } from './cli.js';
import { createLogger } from './log.js';
import { startSidecar } from './sidecar.js';
import { ConfigError } from './config/source.js';
import { loadRouteText } from './config/compile.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** How long in-flight requests may finish after SIGTERM. */
const DRAIN_MS = 25_000;

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
      let text: string;
      try {
        text = readFileSync(cli.routeFile, 'utf8');
      } catch (err) {
        process.stderr.write(`${cli.routeFile}: ${(err as Error).message}\n`);
        return 1;
      }
      const r = loadRouteText(text, 1);
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

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(resolve, DRAIN_MS);
      force.unref();
      sidecar.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bellwether-sidecar: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
