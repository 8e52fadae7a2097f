/**
 * Shutdown as a Kubernetes pod needs it. On SIGTERM the app container is
 * told to stop at the same moment as the sidecar and may still be finishing
 * work and sending requests, so the sidecar:
 *
 * 1. **drains** for `drainDelayMs` (`--drain-delay`, default 5 s): it keeps
 *    accepting and serving, and `/readyz` answers 503 `draining`;
 * 2. **stops accepting**: the listener closes (new connections are refused),
 *    idle keep-alive connections are closed (and, a second later, connections
 *    that have not sent a request), and answers on busy ones carry
 *    `connection: close`;
 * 3. **waits** for the requests in flight until `timeoutMs` after the start
 *    (`--shutdown-timeout`, default 25 s, below the pod's
 *    terminationGracePeriodSeconds);
 * 4. at that **deadline** ends what is still open with `ShuttingDown`: a
 *    stream gets a final SSE error event (`sidecar_shutting_down`), a request
 *    still waiting on an upstream a 503 `sidecar_shutting_down`; connections
 *    still open `graceMs` later are closed;
 * 5. closes the rest (admin port, watchers, upstream pools).
 *
 * A native sidecar (an init container with `restartPolicy: Always`, k8s ≥
 * 1.29) gets SIGTERM only after the app containers have exited: the operator
 * passes `--drain-delay 0` there.
 *
 * Time is a seam (`ShutdownTimers`): tests hand out each wait by hand and so
 * check the order of the phases without measuring time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './log.js';
import { ShuttingDown } from './proxy/abort.js';

export interface ShutdownTimers {
  /**
   * Resolves after `ms`, or when `signal` aborts (the wait is no longer needed). In order,
   * the sequence waits for: the drain delay, the deadline, the grace after it.
   */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realTimers: ShutdownTimers = {
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

export interface ShutdownOptions {
  drainDelayMs: number;
  /** From the start of the shutdown (the signal), not from the end of the drain delay. */
  timeoutMs: number;
  timers?: ShutdownTimers;
}

/** What the sequence acts on: the sidecar's servers, seen narrowly. */
export interface Drainable {
  /** `/readyz` answers 503 `draining` from now on. */
  startDraining(): void;
  inflight(): number;
  /** Stop accepting and close idle connections; resolves once every app connection has closed. */
  stopAccepting(): Promise<void>;
  abortAll(reason: Error): void;
  /** Close every app connection still open. */
  forceClose(): void;
  /** Admin port, watchers, upstream pools. */
  closeRest(): Promise<void>;
}

/** Connections still open this long after the deadline's abort are closed. */
export const GRACE_MS = 2_000;

export async function runShutdown(target: Drainable, opts: ShutdownOptions, log: Logger): Promise<void> {
  const timers = opts.timers ?? realTimers;
  const started = performance.now();
  const cancel = new AbortController();
  target.startDraining();
  log.info(
    { phase: 'drain', drainDelayMs: opts.drainDelayMs, timeoutMs: opts.timeoutMs, inflight: target.inflight() },
    `shutdown: draining for ${opts.drainDelayMs} ms; still accepting and serving, /readyz answers 503`,
  );
  if (opts.drainDelayMs > 0) await timers.sleep(opts.drainDelayMs, cancel.signal);

  const drained = target.stopAccepting().then(() => 'drained' as const);
  log.info(
    { phase: 'stop_accepting', inflight: target.inflight() },
    `shutdown: stopped accepting connections and closed idle ones; waiting for ${target.inflight()} in-flight requests`,
  );
  const left = Math.max(0, opts.timeoutMs - (performance.now() - started));
  const first = await Promise.race([drained, timers.sleep(left, cancel.signal).then(() => 'deadline' as const)]);
  if (first === 'deadline') {
    const open = target.inflight();
    log.warn({ phase: 'deadline', inflight: open }, `shutdown: deadline reached; ending ${open} open requests with sidecar_shutting_down`);
    target.abortAll(new ShuttingDown());
    const after = await Promise.race([drained, timers.sleep(GRACE_MS, cancel.signal).then(() => 'grace' as const)]);
    if (after === 'grace') {
      log.warn({ phase: 'force_close' }, 'shutdown: closing the connections still open');
      target.forceClose();
      await drained;
    }
  } else {
    log.info({ phase: 'drained' }, 'shutdown: every in-flight request finished');
  }
  cancel.abort();
  await target.closeRest();
  log.info({ phase: 'done' }, 'shutdown complete');
}
