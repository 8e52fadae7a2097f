/**
 * Phase 3, the weight flip: the route file is rewritten with weight 50 while
 * the sidecar runs. /status follows without a restart, and raising the weight
 * only adds users to the relay: nobody already there moves back.
 */
import { expect, expectAllOk } from '../check.js';
import { bold, ms, pct, say, section } from '../report.js';
import { USERS } from '../scenario.js';
import type { Stack } from '../stack.js';
import { bySide, inParallel, relayUsers } from '../traffic.js';

/** Returns the users the split sends to the relay at weight 50. */
export async function phaseFlip({ app, admin, route, summary }: Stack, relayAt25: Set<string>): Promise<Set<string>> {
  section('3. weight flip', 'the route file is rewritten with weight 50 while the sidecar runs');
  const gen = (await admin.status()).generation;
  const t0 = performance.now();
  route.write(50);
  const seen = await admin.until(t0, (s) => s.weight.desired === 50, 'weight 50');
  say(`  /status shows desired weight 50 (generation ${gen} → ${seen.status.generation}) ${bold(ms(seen.ms))} after the write — no restart`);
  expect(seen.status.generation === gen + 1 && seen.status.weight.effective === 50, 'weight flip: generation or effective weight did not follow');
  const replies = await inParallel(USERS.flatMap((u) => [u, u]), 10, (u) => app.ask(u));
  expectAllOk(replies, 'after the weight flip');
  const { relay: r, official: o } = bySide(replies);
  const relayNow = relayUsers(replies);
  const moved = [...relayNow].filter((u) => !relayAt25.has(u)).length;
  const back = [...relayAt25].filter((u) => !relayNow.has(u)).length;
  say(`  ${replies.length} requests: relay ${r.length} (${pct(r.length, replies.length)}), official ${o.length}`);
  say(`  users on the relay: ${relayAt25.size} → ${relayNow.size}; ${moved} moved official → relay, ${back} moved back (raising the weight only adds users)`);
  expect(back === 0 && moved > 0, `weight flip: ${moved} users moved to the relay, ${back} moved back`);
  summary.push(['3 flip', `weight 25 → 50 seen in /status ${ms(seen.ms)} after the file changed; ${moved} users joined the relay, none left`]);
  return relayNow;
}
