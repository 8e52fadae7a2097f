/**
 * How both entry points (the sidecar's and the operator's) end on a signal:
 * the first SIGTERM or SIGINT starts a graceful stop and the process exits 0
 * when it is done (1 when it failed); a second signal exits at once with the
 * conventional 128 + signal number.
 */
import type { Logger } from 'pino';

const SIGNAL_NUMBER: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** Resolves with the exit code once `stop` has run for the first signal, or at once on a second. */
export function exitOnSignals(log: Pick<Logger, 'warn' | 'error' | 'flush'>, stop: (signal: NodeJS.Signals) => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting at once');
        log.flush();
        resolve(128 + (SIGNAL_NUMBER[signal] ?? 0));
        return;
      }
      stopping = true;
      stop(signal).then(
        () => resolve(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
}
