/**
 * The budget as one sidecar acts on it: its own spend today, the fleet's
 * figure from the operator (figure.ts), and the caps (policy.ts).
 *
 * Double counting. The operator's figure already holds this sidecar's spend
 * up to the operator's last `/status` read of it. So the sidecar takes a
 * baseline of its own counters when a new figure arrives, and acts on
 *
 *     spent = max(figure + (own now − own at the figure's arrival), own now)
 *
 * per route and per model: its own spend since the figure cannot be in the
 * figure (the operator summed it before it arrived), and the max keeps a pod
 * that spent more than an old or absent figure knows from undercounting
 * itself. What it cannot see is the other pods' spend since their last read:
 * that, plus its own spend between the read and the figure's arrival, is the
 * overshoot the README bounds (≈ fleet spend rate × (status interval + config
 * propagation), plus one in-flight request per pod, whose cost is known only
 * when its usage arrives).
 *
 * A figure of another UTC day is ignored; without a figure (standalone, or
 * before the operator's first tick) the sidecar acts on its own spend alone.
 */
import type { Clock } from '../clock.js';
import { OwnSpend, type SpendSnapshot } from './ledger.js';
import { nextUtcMidnight } from './day.js';
import { encodeFleetSpend, round, type FleetSpend } from './figure.js';
import type { BudgetPolicy } from './policy.js';

export interface BudgetLine {
  spentUSD: number;
  /** undefined: no cap. */
  limitUSD: number | undefined;
  exhausted: boolean;
}

export interface BudgetState {
  day: string;
  route: BudgetLine;
  /** Models with a cap or with spend today, sorted by name. */
  models: Array<BudgetLine & { name: string }>;
  /** Whether a fleet figure of today is part of the numbers. */
  fleet: boolean;
}

export class SpendGuard {
  readonly own: OwnSpend;
  #policy: BudgetPolicy | undefined;
  #figure: FleetSpend | undefined;
  #figureKey: string | undefined;
  #baseline: SpendSnapshot | undefined;
  #noticeDay = '';
  readonly #noticed = new Set<string>();

  constructor(private readonly clock: Clock) {
    this.own = new OwnSpend(clock);
  }

  get policy(): BudgetPolicy | undefined {
    return this.#policy;
  }

  get figure(): FleetSpend | undefined {
    return this.#figure;
  }

  /** A (re)loaded route: its caps and the operator's figure. A figure that changed re-baselines. */
  apply(policy: BudgetPolicy | undefined, figure: FleetSpend | undefined): void {
    this.#policy = policy;
    const key = figure === undefined ? undefined : encodeFleetSpend(figure);
    if (key === this.#figureKey) return;
    this.#figureKey = key;
    this.#figure = figure;
    this.#baseline = figure === undefined ? undefined : this.own.snapshot();
  }

  record(model: string, usd: number): void {
    this.own.add(model, usd);
  }

  /** Spend today as this sidecar acts on it, with the caps. */
  state(): BudgetState {
    const own = this.own.snapshot();
    const fig = this.#figure?.day === own.day ? this.#figure : undefined;
    const base = this.#baseline?.day === own.day ? this.#baseline : undefined;
    const spent = (ownUSD: number, figUSD: number | undefined, baseUSD: number): number =>
      figUSD === undefined ? ownUSD : Math.max(ownUSD, figUSD + ownUSD - baseUSD);
    const policy = this.#policy;
    const line = (spentUSD: number, limitUSD: number | undefined): BudgetLine => ({ spentUSD: round(spentUSD), limitUSD, exhausted: limitUSD !== undefined && spentUSD >= limitUSD });

    const names = new Set<string>([...own.models.keys(), ...Object.keys(fig?.models ?? {}), ...(policy?.models.keys() ?? [])]);
    const models = [...names].sort().map((name) => ({
      name,
      ...line(spent(own.models.get(name) ?? 0, fig ? (fig.models[name] ?? 0) : undefined, base?.models.get(name) ?? 0), policy?.models.get(name)),
    }));
    return {
      day: own.day,
      route: line(spent(own.routeUSD, fig?.routeUSD, base?.routeUSD ?? 0), policy?.dailyUSD),
      models,
      fleet: fig !== undefined,
    };
  }

  /**
   * Caps reached since the last call (`route` or a model name), each reported
   * once per UTC day: for the log line that says a cap was reached.
   */
  newlyExhausted(): string[] {
    if (this.#policy === undefined) return [];
    const s = this.state();
    if (s.day !== this.#noticeDay) {
      this.#noticeDay = s.day;
      this.#noticed.clear();
    }
    const hit = [...(s.route.exhausted ? ['route'] : []), ...s.models.filter((m) => m.exhausted).map((m) => m.name)].filter((k) => !this.#noticed.has(k));
    for (const k of hit) this.#noticed.add(k);
    return hit;
  }

  /** ms since the epoch of the next reset (00:00 UTC). */
  resetsAt(): number {
    return nextUtcMidnight(this.clock.now());
  }
}

/** What `action: block` refuses for one request, decided once per request. */
export interface BudgetGate {
  /** The route's daily cap is reached: answer 429 budget_exceeded. */
  route?: BudgetLine;
  /** Whether this upstream model (label) is over its cap and must not be called. */
  modelBlocked(model: string): boolean;
}

/** The gate for `action: block`; undefined when nothing can be blocked (no budget, or alert). */
export function blockGate(guard: SpendGuard): BudgetGate | undefined {
  if (guard.policy?.action !== 'block') return undefined;
  const s = guard.state();
  const over = new Set(s.models.filter((m) => m.exhausted).map((m) => m.name));
  return { ...(s.route.exhausted ? { route: s.route } : {}), modelBlocked: (model) => over.has(model) };
}
