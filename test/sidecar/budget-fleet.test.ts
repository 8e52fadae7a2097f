/**
 * The overshoot bound of spec.budget, measured with several real sidecars.
 *
 * Three sidecars share a $20 daily cap (action block); every request costs
 * $1. Between two "status intervals" each pod serves k requests; then the
 * operator's own pure core (operator/spend.ts `tallySpend`) sums their
 * /status documents and the figure is written into each sidecar's route, as
 * the operator renders it (decisions.ts annotations). The fleet keeps sending
 * until every pod answers 429.
 *
 * The README's bound: overshoot ≤ the fleet's spend in one status interval
 * (plus propagation) + one in-flight request per pod. Here: pods·k·$1 + pods·$1.
 * Without the fleet figure each pod would stop only at its own $20 ($60 in all).
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { eventually, startStack, type Spec, type Stack } from './harness.js';
import { tallySpend, type SpendTally } from '../../operator/spend.js';
import { routeFixture } from '../../operator/testdata/fixtures.js';
import { encodeFleetSpend } from '../../sidecar/spend/figure.js';
import type { PodDoc } from '../../operator/merge.js';
import { systemClock, type Clock } from '../../sidecar/clock.js';

const stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

/**
 * One clock for the sidecars and the tally: real time, but starting at 12:00
 * UTC on a fixed day, so a run never straddles 00:00 UTC (where the sidecars'
 * days and the tally's could differ and the figure start again at 0).
 */
const NOON = Date.parse('2026-12-03T12:00:00Z');
const started = Date.now();
const clock: Clock = { now: () => NOON + (Date.now() - started), sleep: systemClock.sleep };

const CAP = 20;
const PODS = 3;
const price = { input: 50_000, output: 100_000 }; // 10 prompt + 5 completion tokens = $1.00
const spec: Spec = {
  catalog: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1'].map((name) => ({ name, price })),
  budget: { daily: CAP, action: 'block' },
};

// [k, the overshoot this deterministic schedule must give]: with k = 3, at $18 each pod still sees room for $2 more.
it.each([
  [1, 1],
  [3, 4],
])('stays within the bound with %i requests per pod per status interval (measured overshoot: %i USD), and never counts a pod twice', async (k, measured) => {
  for (let i = 0; i < PODS; i++) stacks.push(await startStack(spec, { clock }));
  const clients = stacks.map((s) => s.client());
  const route = routeFixture({ name: 'support-bot', namespace: 'shop', spec: { budget: { daily: CAP, action: 'block' } } });
  let tally: SpendTally | undefined;
  let served = 0;

  const tick = async (): Promise<number> => {
    const docs: PodDoc[] = await Promise.all(stacks.map(async (s, i) => ({ pod: `pod-${i}`, doc: await s.status() })));
    const r = tallySpend(tally, docs, route, clock.now());
    expect(r.figure.day).toBe('2026-12-03');
    tally = r.tally;
    const annotations = { 'bellwether.dev/effective-weight': '100', 'bellwether.dev/budget-spent': encodeFleetSpend(r.figure) };
    for (const s of stacks) s.writeRoute(spec, { generation: 1, annotations });
    await eventually(async () => (await Promise.all(stacks.map((s) => s.status()))).every((d) => d.budget.fleet?.routeUSD === r.figure.routeUSD));
    return r.figure.routeUSD;
  };

  for (let round = 0; round < 40; round++) {
    const results = await Promise.all(
      clients.map(async (c) => {
        let ok = 0;
        for (let j = 0; j < k; j++) {
          const res = await c.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).then(
            () => true,
            (e: unknown) => {
              expect((e as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
              return false;
            },
          );
          if (res) ok++;
        }
        return ok;
      }),
    );
    served += results.reduce((a, b) => a + b, 0);
    const figure = await tick();
    if (results.every((n) => n === 0)) {
      expect(figure).toBe(served);
      break;
    }
  }

  const truth = stacks.reduce((sum, s) => sum + s.relay.requests.length, 0);
  expect(truth).toBe(served);
  expect(served).toBeGreaterThanOrEqual(CAP);
  const overshoot = served - CAP;
  expect(overshoot, `overshoot $${overshoot} with ${PODS} pods, ${k} requests per pod per interval`).toBeLessThanOrEqual(PODS * k * 1 + PODS * 1);
  expect(overshoot).toBe(measured);
  expect(served).toBeLessThan(2 * CAP); // own counts alone would have let each pod reach $20
  // No double counting: every pod acts on exactly the fleet's true spend after the last tick.
  for (const s of stacks) expect((await s.status()).budget.route).toEqual({ spentUSD: served, limitUSD: CAP, exhausted: true });
});
