#!/usr/bin/env node
/** `bellwether-operator`: see `--help` (cli.ts). */
import { readFileSync } from 'node:fs';
import { HELP, parseCli } from './cli.js';
import { createOperatorLogger, runOperator } from './run.js';
import type { WebhookStarter } from './webhook-starter.js';
import { webhookStarter } from './webhook/starter.js';
import { exitOnSignals } from '../sidecar/signals.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Every replica serves the admission webhook (operator/webhook/).
const startWebhook: WebhookStarter = webhookStarter;

async function main(): Promise<number> {
  const parsed = parseCli(process.argv.slice(2), process.env);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`bellwether-operator ${VERSION}\n`);
      return 0;
    case 'error':
      process.stderr.write(`bellwether-operator: ${parsed.message}\nTry --help.\n`);
      return 2;
    case 'run':
      break;
  }
  const log = createOperatorLogger(parsed.cli.logLevel);
  let running;
  try {
    running = await runOperator(parsed.cli, { log, startWebhook });
  } catch (err) {
    const code = (err as { code?: string }).code;
    process.stderr.write(`bellwether-operator: ${code === 'EADDRINUSE' ? 'port already in use: ' : ''}${(err as Error).message}\n`);
    return 2;
  }
  const started = running;
  return exitOnSignals(log, (signal) => {
    log.info({ signal }, 'shutting down: finishing in-flight reconciles, releasing the lease');
    return started.stop();
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bellwether-operator: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
