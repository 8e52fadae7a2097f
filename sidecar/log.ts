/**
 * Structured logs (pino). Child loggers carry `route`, `side`, `model`,
 * `attempt`. Authorization and key headers are redacted wherever they appear;
 * request and response bodies are never logged.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers["api-key"]',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["api-key"]',
  '*.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'key',
];

export function createLogger(level: LevelWithSilent, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { component: 'bellwether-sidecar' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  // stdout written synchronously: lines leave in the order they were logged and none is lost
  // at exit (the sidecar logs little — never per request above debug — so this costs nothing).
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
