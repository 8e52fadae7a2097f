/**
 * This sidecar's own spend today (UTC): a running total for the route and
 * one per upstream model, restarted at 00:00 UTC. It lives in memory only:
 * a restarted sidecar starts again at 0, and `since` says when this count
 * began (the process start, or midnight), so the operator can tell a restart
 * from a quiet pod and keep the fleet's figure monotonic (operator/spend.ts).
 */
import type { Clock } from '../clock.js';
import { nextUtcMidnight, utcDay } from './day.js';

export interface SpendSnapshot {
  day: string;
  /** ms since the epoch: when this count began (sidecar start or 00:00 UTC, the later). */
  since: number;
  routeUSD: number;
  /** Per upstream model label (a name the route lists, or `other`). */
  models: ReadonlyMap<string, number>;
}

export class OwnSpend {
  #day: string;
  #since: number;
  /** [00:00 UTC of #day, the next 00:00 UTC): within it, #roll has nothing to do (no date formatting per request). */
  #dayStart: number;
  #dayEnd: number;
  #route = 0;
  #models = new Map<string, number>();

  constructor(private readonly clock: Clock) {
    this.#since = clock.now();
    this.#day = utcDay(this.#since);
    this.#dayStart = Date.parse(`${this.#day}T00:00:00Z`);
    this.#dayEnd = nextUtcMidnight(this.#since);
  }

  add(model: string, usd: number): void {
    if (!(usd > 0)) return;
    this.#roll();
    this.#route += usd;
    this.#models.set(model, (this.#models.get(model) ?? 0) + usd);
  }

  snapshot(): SpendSnapshot {
    this.#roll();
    return { day: this.#day, since: this.#since, routeUSD: this.#route, models: new Map(this.#models) };
  }

  /** A new UTC day starts the count again at 0. */
  #roll(): void {
    const now = this.clock.now();
    if (now >= this.#dayStart && now < this.#dayEnd) return;
    const day = utcDay(now);
    this.#dayStart = Date.parse(`${day}T00:00:00Z`);
    this.#dayEnd = nextUtcMidnight(now);
    if (day === this.#day) return;
    this.#day = day;
    this.#since = this.#dayStart;
    this.#route = 0;
    this.#models = new Map();
  }
}
