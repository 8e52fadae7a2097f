/**
 * The demo's expectations. It doubles as a smoke test: a failed expectation
 * throws a `DemoFailure`, which ends the run with its message and exit code 1.
 */
import type { Reply } from './traffic.js';

export class DemoFailure extends Error {}

/** How many expectations held so far, for the closing line. */
export const checks = { passed: 0 };

/** An expectation the demo is a smoke test for. */
export function expect(ok: boolean, message: string): void {
  if (!ok) throw new DemoFailure(message);
  checks.passed++;
}

/** Every app request succeeded, and its answer came from the upstream its headers name. */
export function expectAllOk(replies: Reply[], what: string): void {
  const bad = replies.filter((r) => !r.ok);
  const first = bad[0];
  expect(bad.length === 0, `${what}: ${bad.length} of ${replies.length} app requests failed (first: ${first?.user} → ${first?.error})`);
}
