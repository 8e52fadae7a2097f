/**
 * Phase 6, the resume: the relay is healed and the route rewritten with
 * weight 40, a new config generation. The generation releases the held
 * rollback and closes the relay's breakers (and starts a fresh window), so
 * the app's traffic may go to the relay at once: a burst of concurrent
 * requests straight after the reload, no cooldown wait and no probe first.
 * None may fail, none may fall back, and the rollback must not recur.
 */
import { describeBreakers, relayBreakers } from '../admin.js';
import { expect, expectAllOk } from '../check.js';
import { growth, metric } from '../metrics.js';
import { bold, countBy, dim, green, ms, pct, say, section } from '../report.js';
import { FIRST_CHAIN_MODEL, USERS } from '../scenario.js';
import type { Stack } from '../stack.js';
import { bySide, relayUsers, usersOnBothSides } from '../traffic.js';

const WEIGHT = 40;
/** Every user twice, all in flight together: enough relay-routed requests for the rollback to judge. */
const BURST = USERS.flatMap((u) => [u, u]);

/** The users the split sent to the relay at weights 25 and 50: at 40 it must send a set between the two. */
export async function phaseResume({ app, admin, relay, route, summary }: Stack, sticky: { at25: Set<string>; at50: Set<string> }): Promise<void> {
  section('6. resume', `the relay is healthy again; the route is rewritten with weight ${WEIGHT} (a new generation)`);
  relay.reset(); // no more injected faults (and no records: what it sees from here on is this phase's)
  const before = await admin.metrics();
  const held = await admin.status();
  say(`  before: rollback ${held.rollback?.holding ? 'holding' : 'not holding'} (effective weight ${held.weight.effective}); relay breakers ${describeBreakers(relayBreakers(held))}`);

  // The new generation: the rollback is released and the relay breakers close at once.
  const t0 = performance.now();
  route.write(WEIGHT);
  const seen = await admin.until(t0, (s) => s.generation === held.generation + 1 && s.rollback === null && s.weight.effective === WEIGHT, `the rollback released by generation ${held.generation + 1}`);
  const reloaded = relayBreakers(seen.status);
  say(`  /status ${bold(ms(seen.ms))} after the write (generation ${held.generation} → ${seen.status.generation}): rollback released, effective weight ${WEIGHT}, relay breakers ${describeBreakers(reloaded)}`);
  expect(reloaded.length > 0 && reloaded.every((b) => b.state === 'closed'), `the new generation left relay breakers tripped: ${describeBreakers(reloaded)}`);

  // Straight away, all at once.
  const t1 = performance.now();
  const replies = await Promise.all(BURST.map((u) => app.ask(u)));
  const burstMs = performance.now() - t1;
  expectAllOk(replies, 'the burst after the resume');
  const { relay: r, official: o } = bySide(replies);
  say(`  at once, no cooldown wait and no probe first: ${replies.length} requests (every user twice, Promise.all) → ${green(`${replies.length}/${replies.length} succeeded`)} in ${ms(burstMs)}`);
  say(`    relay ${r.length} (${pct(r.length, replies.length)}, ${countBy(r.map((x) => x.model))}), official ${o.length}`);
  expect(r.length > 0 && r.every((x) => x.model === FIRST_CHAIN_MODEL), `after the resume: relay-side answers came from ${countBy(r.map((x) => x.model))}, not ${FIRST_CHAIN_MODEL} alone`);

  // What the relay saw, and what the sidecar counted: no fallbacks, no failures, no rollback.
  const seenByRelay = relay.requests;
  const clean = seenByRelay.every((q) => q.body?.model === FIRST_CHAIN_MODEL && q.behavior.kind === 'auto');
  say(`    the fake relay saw ${seenByRelay.length} requests, ${clean ? `all ${FIRST_CHAIN_MODEL} answered 200` : 'not all of them clean'}`);
  expect(clean && seenByRelay.length === r.length, `after the resume: the relay saw ${seenByRelay.length} requests for ${r.length} relay answers`);
  const [after, s] = await Promise.all([admin.metrics(), admin.status()]);
  const fallbacks = growth(before, after, 'bellwether_fallbacks_total');
  say(`    fallbacks ${dim('(bellwether_fallbacks_total)')}: ${fallbacks.map((x) => `${x.labels['from']} → ${x.labels['to']} ${x.labels['reason']} ×${x.value}`).join(', ') || 'none'}`);
  expect(fallbacks.length === 0, 'after the resume: requests fell back, so the relay breakers were not closed');
  const w = s.window.sides.relay;
  say(`    relay window (fresh with the generation): ${w.requests} requests, ${w.failures} failures ${dim(`(judged from ${s.thresholds.minRequests})`)}`);
  expect(w.requests === r.length && w.failures === 0, `after the resume: the relay window counts ${w.failures} failures in ${w.requests} requests (${r.length} went to the relay)`);
  expect(w.requests >= s.thresholds.minRequests, `after the resume: only ${w.requests} relay requests, fewer than the ${s.thresholds.minRequests} the rollback needs to judge`);
  const rollbacks = metric(after, 'bellwether_rollbacks_total');
  const recurred = growth(before, after, 'bellwether_rollbacks_total').length > 0;
  say(`    /status rollback ${s.rollback === null ? 'null' : s.rollback.reason}, effective weight ${s.weight.effective}; bellwether_rollbacks_total ${recurred ? 'grew' : 'unchanged'} (${rollbacks}); relay breakers ${describeBreakers(relayBreakers(s))}`);
  expect(s.rollback === null && s.weight.effective === WEIGHT && !recurred, 'after the resume: the sidecar rolled back again');
  expect(relayBreakers(s).every((b) => b.state === 'closed'), `after the resume: relay breakers ${describeBreakers(relayBreakers(s))}`);

  // The split is still sticky and monotone in the weight.
  const at40 = relayUsers(replies);
  const between = [...sticky.at25].every((u) => at40.has(u)) && [...at40].every((u) => sticky.at50.has(u));
  const split = usersOnBothSides(replies);
  say(`    users on the relay: ${sticky.at25.size} at weight 25 ⊆ ${at40.size} at ${WEIGHT} ⊆ ${sticky.at50.size} at 50; ${split.length} users saw both sides`);
  expect(between && split.length === 0, `after the resume: the users on the relay at ${WEIGHT} are not between those at 25 and 50, or ${split.length} users saw both sides`);
  say(`  ${green('✓')} the relay serves again at once: ${r.length}/${replies.length} on ${FIRST_CHAIN_MODEL}, no fallback, no new rollback`);
  summary.push(['6 resume', `rollback released, relay breakers closed ${ms(seen.ms)} after the new generation; ${replies.length} requests at once: ${r.length} on the relay, 0 fallbacks, no new rollback`]);
}
