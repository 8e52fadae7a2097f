/**
 * The demo's fixed cast: the two keys, the forty users, what every fake
 * answer reports, the fakes' latencies and where the route template lives.
 * Every phase reads these; none changes them.
 */
import type { Usage } from '../../test/fakes/upstream.js';

/** The key the app sends; the sidecar must pass it to the official API only. */
export const APP_KEY = 'demo-app-key';
/** The key in the relay's Secret; the sidecar must send it to the relay only. */
export const RELAY_KEY = 'hs-demo-relay-key-7f3a9c21';
/** The app's users, sent as `x-user-id` (the route's sticky key). */
export const USERS = Array.from({ length: 40 }, (_, i) => `user-${String(i + 1).padStart(2, '0')}`);
/** What every fake answer reports: a support-bot sized prompt, part of it cached. */
export const USAGE: Usage = { prompt: 1200, completion: 350, cached: 400 };
/** The savings baseline: the gpt-4* rule's official model. */
export const OFFICIAL_MODEL = 'gpt-4.1';
/** The relay model first in the gpt-4* chain: the one a healthy relay serves with. */
export const FIRST_CHAIN_MODEL = 'deepseek-chat';
export const LATENCY = {
  official: { latencyMs: 120, intervalMs: 20 },
  relay: { latencyMs: 40, intervalMs: 10 },
};
/** examples/demo-route.yaml, seen from dist/examples/demo/scenario.js. */
export const ROUTE_TEMPLATE = new URL('../../../examples/demo-route.yaml', import.meta.url);
