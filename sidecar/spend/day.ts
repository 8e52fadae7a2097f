/**
 * The budget day: the UTC calendar day. Budgets reset at 00:00 UTC in every
 * sidecar and in the operator alike, whatever the pod's or node's time zone,
 * so one figure means the same day everywhere. (No other time zone is
 * supported: a team in UTC+8 sees its budget reset at 08:00 local time.)
 */

/** `2026-12-03` for any instant of that UTC day. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The next 00:00 UTC after `ms`, in ms since the epoch. */
export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Whole seconds until the next 00:00 UTC (at least 1; at most one day). */
export function secondsUntilReset(ms: number): number {
  return Math.min(86_400, Math.max(1, Math.ceil((nextUtcMidnight(ms) - ms) / 1000)));
}
