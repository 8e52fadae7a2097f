/**
 * The fleet view: every selected pod's `/status` document (docs/status-format.md)
 * merged into one window per side, pod counts, breakers, and money.
 *
 * Which documents count for what:
 * - A pod whose document is undefined did not answer: it is not reporting and
 *   never counts as healthy. A document this code cannot read (another
 *   apiVersion or kind, another route, a malformed window) is treated the same
 *   way and listed in `excluded` with the reason.
 * - Reporting pods count for `reporting`, breakers, cost/savings and
 *   `trafficSeen`, whatever generation they serve.
 * - Only documents of the route's current `metadata.generation` are merged into
 *   the window the analysis judges. A pod still on an older generation has not
 *   loaded the new spec yet, and its window holds samples from before the
 *   change — after a resume, the very samples that caused the rollback, which
 *   would roll the fleet straight back. Such pods are listed in `excluded`.
 * - Windows with different bucket bounds cannot be added exactly: the first
 *   merged document's bounds win and the others are excluded, named.
 */
import { LATENCY_BOUNDS_MS } from '../sidecar/resilience/buckets.js';
import { mergeSnapshots, quantileMs, type WindowSnapshot } from '../sidecar/resilience/window.js';
import { parseDuration } from '../sidecar/config/duration.js';
import { generationOf, type RelayRoute, type SideStats } from './route.js';
import { STATUS_API_VERSION, STATUS_KIND, type SidecarSide, type SidecarStatus } from './sidecar-status.js';
import { mergeShadow, type FleetShadow } from './shadow.js';

export interface PodDoc {
  pod: string;
  /** undefined: the pod did not answer (timeout, refused, not JSON). */
  doc: SidecarStatus | undefined;
}

export interface FleetWindow {
  /** The generation whose windows were merged. */
  generation: number;
  /** Pods that answered with a readable document for this route. */
  reporting: number;
  /** Pods whose window was merged (reporting, current generation, same bounds). */
  counted: number;
  /** Pods that did not answer. */
  silent: string[];
  /** Pods that answered but whose document or window was left out, and why. */
  excluded: Array<{ pod: string; why: string }>;
  /** The merged windows (empty snapshots when nothing was merged). */
  relay: WindowSnapshot;
  official: WindowSnapshot;
  /** What `status.sides` shows. */
  sides: { relay: SideStats; official: SideStats };
  /** Relay models whose breaker is open or half-open, with how many pods say so; sorted by model. */
  breakers: Array<{ model: string; openPods: number }>;
  /** Sums of the reporting sidecars' totals (each since its own start). */
  costUSD: number;
  savingsUSD: number;
  /**
   * false when pods report and every one has zero requests in its window on
   * both sides (the app probably ignores OPENAI_BASE_URL); undefined when no
   * pod reports (nothing is known); true otherwise.
   */
  trafficSeen: boolean | undefined;
  /** The merged shadow window (operator/shadow.ts); with spec.shadow only. */
  shadow?: FleetShadow;
}

function emptySnapshot(windowMs: number): WindowSnapshot {
  return { windowMs, requests: 0, failures: 0, boundsMs: LATENCY_BOUNDS_MS, counts: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0) };
}

function toSnapshot(doc: SidecarStatus, side: SidecarSide): WindowSnapshot {
  return {
    windowMs: doc.window.windowMs,
    requests: side.requests,
    failures: side.failures,
    slowAboveMs: doc.window.slowAboveMs,
    slow: side.slow,
    boundsMs: doc.window.boundsMs,
    counts: side.counts,
  };
}

/** Why this document cannot be read for `route`, or undefined when it can. */
function unreadable(doc: SidecarStatus, route: RelayRoute): string | undefined {
  if (doc.apiVersion !== STATUS_API_VERSION || doc.kind !== STATUS_KIND) {
    return `unknown document ${String(doc.apiVersion)}/${String(doc.kind)}`;
  }
  if (doc.route?.name !== route.metadata.name || doc.route?.namespace !== route.metadata.namespace) {
    return `serves RelayRoute ${doc.route?.namespace}/${doc.route?.name}`;
  }
  const w = doc.window;
  const okSide = (s: SidecarSide | undefined) =>
    s !== undefined && Number.isFinite(s.requests) && Number.isFinite(s.failures) && Array.isArray(s.counts) && s.counts.length === w.boundsMs.length + 1;
  if (!w || !Array.isArray(w.boundsMs) || !okSide(w.sides?.relay) || !okSide(w.sides?.official)) return 'malformed window';
  return undefined;
}

/** `status.sides.<side>` from a merged snapshot. */
export function sideStats(s: WindowSnapshot): SideStats {
  const stats: SideStats = { requests: s.requests, errorRate: s.requests > 0 ? s.failures / s.requests : 0 };
  const p99 = quantileMs(s, 0.99);
  if (p99 !== undefined && Number.isFinite(p99)) stats.p99LatencyMs = p99;
  else if (p99 !== undefined) stats.p99BeyondMs = s.boundsMs[s.boundsMs.length - 1] ?? 0;
  return stats;
}

function isOpen(state: string): boolean {
  return state === 'open' || state === 'half_open' || state === 'half-open';
}

export function mergeFleet(docs: ReadonlyArray<PodDoc>, route: RelayRoute): FleetWindow {
  const generation = generationOf(route);
  const windowMs = parseDuration(route.spec.rollback.window);
  let relay: WindowSnapshot | undefined;
  let official: WindowSnapshot | undefined;
  const silent: string[] = [];
  const excluded: FleetWindow['excluded'] = [];
  const open = new Map<string, number>();
  let reporting = 0;
  let counted = 0;
  let costUSD = 0;
  let savingsUSD = 0;
  let anyTraffic = false;

  for (const { pod, doc } of docs) {
    if (doc === undefined) {
      silent.push(pod);
      continue;
    }
    const why = unreadable(doc, route);
    if (why !== undefined) {
      excluded.push({ pod, why });
      continue;
    }
    reporting++;
    costUSD += doc.totals?.costUSD ?? 0;
    savingsUSD += doc.totals?.savingsUSD ?? 0;
    if (doc.window.sides.relay.requests > 0 || doc.window.sides.official.requests > 0) anyTraffic = true;
    for (const b of new Set((doc.breakers ?? []).filter((b) => b.side === 'relay' && isOpen(b.state)).map((b) => b.model))) {
      open.set(b, (open.get(b) ?? 0) + 1);
    }
    if (doc.generation !== generation) {
      excluded.push({ pod, why: `serves generation ${doc.generation}, not ${generation}` });
      continue;
    }
    const r = toSnapshot(doc, doc.window.sides.relay);
    const o = toSnapshot(doc, doc.window.sides.official);
    try {
      const nextRelay = relay === undefined ? r : mergeSnapshots(relay, r);
      const nextOfficial = official === undefined ? o : mergeSnapshots(official, o);
      relay = nextRelay;
      official = nextOfficial;
      counted++;
    } catch {
      excluded.push({ pod, why: 'latency buckets differ from the other pods' });
    }
  }

  const relayWin = relay ?? emptySnapshot(windowMs);
  const officialWin = official ?? emptySnapshot(windowMs);
  return {
    generation,
    reporting,
    counted,
    silent,
    excluded,
    relay: relayWin,
    official: officialWin,
    sides: { relay: sideStats(relayWin), official: sideStats(officialWin) },
    breakers: [...open].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([model, openPods]) => ({ model, openPods })),
    costUSD: round(costUSD),
    savingsUSD: round(savingsUSD),
    trafficSeen: reporting === 0 ? undefined : anyTraffic,
    ...(route.spec.shadow ? { shadow: mergeShadow(docs, route, windowMs) } : {}),
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
