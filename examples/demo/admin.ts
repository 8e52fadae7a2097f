/**
 * The sidecar's admin port as the demo reads it: the /status document (the
 * parts the demo looks at), the /metrics text, and polling /status until a
 * change shows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoFailure } from './check.js';
import { demoFetch } from './connections.js';
import { ms } from './report.js';

/**
 * One circuit breaker. `open` skips the model until `nextProbeAt`; once the
 * cooldown has passed it reads `half_open` (the next request probes it).
 */
export interface Breaker {
  side: string;
  model: string;
  state: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  nextProbeAt?: string;
}

export interface Status {
  generation: number;
  weight: { desired: number; effective: number };
  rollback: null | { reason: string; value: number; threshold: number; at: string; generation: number; holding: boolean };
  window: { windowMs: number; sides: Record<'relay' | 'official', { requests: number; failures: number }> };
  thresholds: { minRequests: number; maxErrorRate: number };
  breakers: Breaker[];
  totals: { costUSD: number; savingsUSD: number };
  /** spec.cache (phase 7); null without it. */
  cache: null | { hits: number; misses: number; bypasses: number; stores: number; entries: number | null };
}

export class Admin {
  constructor(readonly url: string) {}

  async status(): Promise<Status> {
    return (await demoFetch(`${this.url}/status`)).json() as Promise<Status>;
  }

  async metrics(): Promise<string> {
    return (await demoFetch(`${this.url}/metrics`)).text();
  }

  /** Polls /status until `done` holds; returns how long since `t0` that took. */
  async until(t0: number, done: (s: Status) => boolean, what: string, timeoutMs = 5000): Promise<{ ms: number; status: Status }> {
    for (;;) {
      const s = await this.status();
      if (done(s)) return { ms: performance.now() - t0, status: s };
      if (performance.now() - t0 > timeoutMs) throw new DemoFailure(`${what}: not seen in /status within ${ms(timeoutMs)}`);
      await sleep(5);
    }
  }
}

/** The relay's breakers from a /status document. */
export function relayBreakers(s: Status): Breaker[] {
  return s.breakers.filter((b) => b.side === 'relay');
}

/** `deepseek-chat open (probe in 2.10 s), kimi-k2 half_open`, or `all closed (deepseek-chat, kimi-k2)` */
export function describeBreakers(breakers: Breaker[]): string {
  const first = breakers[0];
  if (!first) return 'none';
  if (breakers.every((b) => b.state === first.state && !b.nextProbeAt)) return `all ${first.state} (${breakers.map((b) => b.model).join(', ')})`;
  return breakers.map((b) => `${b.model} ${b.state}${b.nextProbeAt ? ` (probe in ${ms(Date.parse(b.nextProbeAt) - Date.now())})` : ''}`).join(', ');
}
