/**
 * Phase 1, the canary split: 200 chat completions from 40 users at weight 25.
 * The split is sticky by user, roughly a quarter goes to the relay, each side
 * answers with its own model, and each upstream sees only its own key.
 */
import { expect, expectAllOk } from '../check.js';
import { countBy, green, ms, pct, say, section, table } from '../report.js';
import { APP_KEY, RELAY_KEY, USERS } from '../scenario.js';
import type { Stack } from '../stack.js';
import { bySide, inParallel, median, relayUsers, usersOnBothSides, type Reply } from '../traffic.js';

/** Returns the users the sticky split sent to the relay. */
export async function phaseSplit({ app, relay, official, summary }: Stack): Promise<Set<string>> {
  section('1. canary split', `200 chat completions from ${USERS.length} users (x-user-id) at weight 25`);
  // Round after round of every user, asking for gpt-4o or gpt-4.1 (both match the gpt-4* rule).
  const jobs = Array.from({ length: 5 }, (_, k) => USERS.map((user, i) => ({ user, model: (i + k) % 2 ? 'gpt-4.1' : 'gpt-4o' }))).flat();
  const replies = await inParallel(jobs, 10, (j) => app.ask(j.user, j.model));
  expectAllOk(replies, 'canary split');
  const { relay: r, official: o } = bySide(replies);
  const usersOn = (rs: Reply[]) => new Set(rs.map((x) => x.user)).size;
  table([
    ['side', 'requests', 'share', 'users', 'answered by', 'median latency'],
    ['relay', r.length, pct(r.length, replies.length), usersOn(r), countBy(r.map((x) => x.model)), ms(median(r.map((x) => x.ms)))],
    ['official', o.length, pct(o.length, replies.length), usersOn(o), countBy(o.map((x) => x.model)), ms(median(o.map((x) => x.ms)))],
  ], 'lrrrlr');
  const sticky = USERS.length - usersOnBothSides(replies).length;
  say(`  sticky: ${sticky}/${USERS.length} users stayed on one side for all 5 of their requests`);
  say(`  the app asked for gpt-4o and gpt-4.1; the relay served deepseek-chat (first in the chain), the official side gpt-4.1`);
  expect(sticky === USERS.length, `sticky split: ${USERS.length - sticky} users saw both sides`);
  expect(r.length > 0 && r.length < replies.length / 2, `split at weight 25: ${r.length} of ${replies.length} requests went to the relay`);
  expect(r.every((x) => x.model === 'deepseek-chat') && o.every((x) => x.model === 'gpt-4.1'), 'split: unexpected upstream models');

  const relayAuth = new Set(relay.requests.map((q) => q.headers['authorization']));
  const officialAuth = new Set(official.requests.map((q) => q.headers['authorization']));
  expect(relayAuth.size === 1 && relayAuth.has(`Bearer ${RELAY_KEY}`), 'the relay got something other than the relay key');
  expect(officialAuth.size === 1 && officialAuth.has(`Bearer ${APP_KEY}`), 'the official API got something other than the app key');
  say(`  keys: the relay saw only the relay key, the official API only the app's own key`);
  say(`  ${green('✓')} ${replies.length}/${replies.length} succeeded`);
  summary.push(['1 split', `weight 25 → ${pct(r.length, replies.length)} of requests on the relay (${usersOn(r)}/${USERS.length} users), sticky ${sticky}/${USERS.length}`]);
  return relayUsers(replies);
}
