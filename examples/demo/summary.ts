/**
 * The closing section: one line or two per phase, the sidecar's own log
 * (warn and above), and the checks that span the whole run.
 */
import { expect } from './check.js';
import { dim, ms, red, say, section, table, yellow } from './report.js';
import type { LogLine } from './sidecar-process.js';
import type { Stack } from './stack.js';

const LOG_LINES_SHOWN = 12;

export function showSummary({ app, sidecar, summary }: Stack, elapsedMs: number): void {
  section('summary', `${ms(elapsedMs)}, ${app.sent} app requests through the sidecar, ${app.failed} failed`);
  table(summary.map(([k, v]) => [k, v]), 'll', { header: false });
  const logs = sidecar.logs;
  say(`\n  sidecar log ${dim(`(--log-level warn: ${logs.length} lines${logs.length > LOG_LINES_SHOWN ? `, the first ${LOG_LINES_SHOWN}` : ''})`)}`);
  for (const l of logs.slice(0, LOG_LINES_SHOWN)) say(`    ${pretty(l)}`);
  expect(logs.some((l) => l.msg.startsWith('rolled back')), 'the sidecar did not log the rollback');
  expect(logs.some((l) => l.msg.startsWith('circuit opened')), 'the sidecar did not log a breaker opening');
  expect(app.failed === 0, `${app.failed} app requests failed`);
}

function pretty(l: LogLine): string {
  const level = l.level.toUpperCase().padEnd(5);
  return `${l.time.slice(11, 23)} ${l.level === 'error' || l.level === 'fatal' ? red(level) : yellow(level)} ${l.msg}`;
}
