import { describe, expect, it } from 'vitest';
import type { PodDoc } from './merge.js';
import { budgetVerdict, tallySpend, type SpendTally } from './spend.js';
import { routeFixture, statusDoc } from './testdata/fixtures.js';
import type { RelayRoute } from './route.js';

const NOON = Date.parse('2026-12-03T12:00:00Z');
const START = '2026-12-03T08:00:00.000Z';

function pod(name: string, routeUSD: number, models: Record<string, number> = {}, since = START, day = '2026-12-03'): PodDoc {
  const doc = statusDoc();
  doc.budget = {
    day,
    resetsAt: '2026-12-04T00:00:00.000Z',
    action: 'block',
    own: { since, routeUSD, models },
    fleet: null,
    route: { spentUSD: routeUSD, limitUSD: null, exhausted: false },
    models: [],
  };
  return { pod: name, doc };
}

const budgetRoute = (budget = { daily: 200, models: [{ name: 'deepseek-chat', daily: 50 }], action: 'block' as const }): RelayRoute => routeFixture({ spec: { budget } });

describe('tallySpend', () => {
  it('sums the pods\' own spend per route and per model', () => {
    const { figure } = tallySpend(undefined, [pod('a', 10, { 'deepseek-chat': 6, 'gpt-4.1': 4 }), pod('b', 5.5, { 'deepseek-chat': 5.5 }), { pod: 'c', doc: undefined }], budgetRoute(), NOON);
    expect(figure).toEqual({ day: '2026-12-03', routeUSD: 15.5, models: { 'deepseek-chat': 11.5, 'gpt-4.1': 4 } });
  });

  it('stays monotonic within the day: a restarted sidecar\'s old count is carried, a gone pod\'s spend stays', () => {
    const route = budgetRoute();
    let t: SpendTally | undefined;
    const tick = (docs: PodDoc[]) => {
      const r = tallySpend(t, docs, route, NOON);
      t = r.tally;
      return r.figure.routeUSD;
    };
    expect(tick([pod('a', 10), pod('b', 5)])).toBe(15);
    // a restarted (new `since`, its count from 0), b silent this poll (its 5 stays).
    expect(tick([pod('a', 2, {}, '2026-12-03T11:00:00.000Z'), { pod: 'b', doc: undefined }])).toBe(17);
    // b deleted: its spend today was spent.
    expect(tick([pod('a', 3, {}, '2026-12-03T11:00:00.000Z')])).toBe(18);
    // A stale, lower read of the same count never lowers the figure.
    expect(tick([pod('a', 1, {}, '2026-12-03T11:00:00.000Z')])).toBe(18);
  });

  it('starts a new tally at 00:00 UTC, and ignores a pod still reporting yesterday', () => {
    const route = budgetRoute();
    const { tally } = tallySpend(undefined, [pod('a', 10)], route, NOON);
    const next = tallySpend(tally, [pod('a', 10, {}, START, '2026-12-03'), pod('b', 1, {}, '2026-12-04T00:00:00.000Z', '2026-12-04')], route, Date.parse('2026-12-04T00:00:05Z'));
    expect(next.figure).toEqual({ day: '2026-12-04', routeUSD: 1, models: {} });
  });

  it('after an operator restart, the figure last written to status is the floor for the day', () => {
    const route = budgetRoute();
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: 40, exhausted: false, models: [{ name: 'deepseek-chat', spentTodayUSD: 20, dailyUSD: 50, exhausted: false }] } };
    expect(tallySpend(undefined, [pod('a', 3, { 'deepseek-chat': 3 })], route, NOON).figure).toEqual({ day: '2026-12-03', routeUSD: 40, models: { 'deepseek-chat': 20 } });
    route.status.budget!.day = '2026-12-02';
    expect(tallySpend(undefined, [pod('a', 3)], route, NOON).figure.routeUSD).toBe(3);
  });

  it('after an operator restart, new spend counts on top of the written figure even when pods that made it are gone', () => {
    // Before the restart: a (60, since deleted) + b (40) = 100 written to status; cap 120.
    const route = budgetRoute({ daily: 120, models: [{ name: 'deepseek-chat', daily: 50 }], action: 'block' });
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: 100, exhausted: false, models: [{ name: 'deepseek-chat', spentTodayUSD: 45, dailyUSD: 50, exhausted: false }] } };
    let t: SpendTally | undefined;
    const tick = (docs: PodDoc[]) => {
      const r = tallySpend(t, docs, route, NOON);
      t = r.tally;
      return r.figure;
    };
    expect(tick([pod('b', 40, { 'deepseek-chat': 20 })]).routeUSD).toBe(100);
    // b spends 50 more, a new pod c spends 30: 100 + 50 + 30 = 180, over the cap; per model 45 + 10 + 5.
    expect(tick([pod('b', 90, { 'deepseek-chat': 30 }), pod('c', 30, { 'deepseek-chat': 5 })])).toEqual({ day: '2026-12-03', routeUSD: 180, models: { 'deepseek-chat': 60 } });
    // b restarts (its count from 0, the old one carried): +7.
    expect(tick([pod('b', 7, {}, '2026-12-03T12:30:00.000Z'), pod('c', 30, { 'deepseek-chat': 5 })]).routeUSD).toBe(187);
  });

  it('after an operator restart, a pod silent on the first poll is counted from its first answer, not twice', () => {
    const route = budgetRoute();
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: 100, exhausted: false } };
    const first = tallySpend(undefined, [pod('a', 40), { pod: 'b', doc: undefined }], route, NOON);
    expect(first.figure.routeUSD).toBe(100);
    expect(tallySpend(first.tally, [pod('a', 41), pod('b', 60)], route, NOON).figure.routeUSD).toBe(101);
  });

  it('after a leader change, counts seen on the first poll that add up to more than the written figure count in full', () => {
    const route = budgetRoute();
    // The last leader wrote 50 (p1); p3 started and spent 60 in the handover.
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: 50, exhausted: false, models: [{ name: 'deepseek-chat', spentTodayUSD: 10, dailyUSD: 50, exhausted: false }] } };
    const first = tallySpend(undefined, [pod('p1', 50, { 'deepseek-chat': 10 }), pod('p3', 60, { 'deepseek-chat': 5 })], route, NOON);
    expect(first.figure).toEqual({ day: '2026-12-03', routeUSD: 110, models: { 'deepseek-chat': 15 } });
    expect(tallySpend(first.tally, [pod('p1', 51, { 'deepseek-chat': 10 }), pod('p3', 60, { 'deepseek-chat': 5 })], route, NOON).figure.routeUSD).toBe(111);
  });

  it('a returning leader with a stale tally takes the written figure as its floor and counts on from it', () => {
    const route = budgetRoute({ daily: 100, models: [], action: 'block' });
    // Replica A leads: p1 spent 50.
    const a = tallySpend(undefined, [pod('p1', 50)], route, NOON);
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: a.figure.routeUSD, exhausted: false } };
    // Replica B leads (offset 50): p3 appears, spends 60 and is deleted; B writes 110.
    const b0 = tallySpend(undefined, [pod('p1', 50)], route, NOON);
    const b = tallySpend(b0.tally, [pod('p1', 50), pod('p3', 60)], route, NOON);
    expect(b.figure.routeUSD).toBe(110);
    route.status = { budget: { day: '2026-12-03', spentTodayUSD: b.figure.routeUSD, exhausted: true } };
    // A leads again with its old tally: never below what status says, and p1's new spend adds to it.
    const again = tallySpend(a.tally, [pod('p1', 50)], route, NOON);
    expect(again.figure.routeUSD).toBe(110);
    expect(tallySpend(again.tally, [pod('p1', 55)], route, NOON).figure.routeUSD).toBe(115);
  });

  it('ignores documents of another route', () => {
    const other = pod('x', 100);
    other.doc!.route = { namespace: 'shop', name: 'other' };
    expect(tallySpend(undefined, [other], budgetRoute(), NOON).figure.routeUSD).toBe(0);
  });
});

describe('budgetVerdict', () => {
  it('is absent without spec.budget', () => {
    expect(budgetVerdict(routeFixture(), { day: '2026-12-03', routeUSD: 5, models: {} })).toBeUndefined();
  });

  it('within budget: status, condition False, no Event', () => {
    const v = budgetVerdict(budgetRoute(), { day: '2026-12-03', routeUSD: 12.3, models: { 'deepseek-chat': 4 } })!;
    expect(v.status).toEqual({ day: '2026-12-03', spentTodayUSD: 12.3, dailyUSD: 200, exhausted: false, models: [{ name: 'deepseek-chat', spentTodayUSD: 4, dailyUSD: 50, exhausted: false }] });
    expect(v.condition).toMatchObject({ type: 'BudgetExceeded', status: 'False', reason: 'WithinBudget', message: 'Spend today (UTC) $12.30 of spec.budget.daily $200.00; no cap reached.' });
    expect(v.events).toEqual([]);
  });

  it('the route over its cap: one Event that says the numbers and the effect, then none while it stays over', () => {
    const route = budgetRoute();
    const v = budgetVerdict(route, { day: '2026-12-03', routeUSD: 203.1, models: {} })!;
    expect(v.events).toEqual([
      {
        type: 'Warning',
        reason: 'BudgetExceeded',
        message: 'Budget exceeded: route spend $203.10 > $200.00 today (UTC) — action block: relay models skipped, requests answered 429 (official side included) until 00:00 UTC',
      },
    ]);
    expect(v.condition).toMatchObject({ status: 'True', reason: 'RouteBudgetExceeded' });
    expect(v.status.exhausted).toBe(true);
    route.status = { budget: v.status };
    expect(budgetVerdict(route, { day: '2026-12-03', routeUSD: 210, models: {} })!.events).toEqual([]);
  });

  it('a model at its cap: its own Event and ModelBudgetExceeded; alert says traffic is unchanged', () => {
    const v = budgetVerdict(budgetRoute({ daily: 200, models: [{ name: 'deepseek-chat', daily: 50 }], action: 'alert' } as never), { day: '2026-12-03', routeUSD: 60, models: { 'deepseek-chat': 50 } })!;
    expect(v.events.map((e) => e.message)).toEqual(['Budget exceeded: deepseek-chat spend $50.00 ≥ $50.00 today (UTC) — action alert: reported only, traffic unchanged']);
    expect(v.condition).toMatchObject({ status: 'True', reason: 'ModelBudgetExceeded' });
  });

  it('a new UTC day resets it, with an Event when the last day ended over a cap', () => {
    const route = budgetRoute();
    route.status = { budget: { day: '2026-12-02', spentTodayUSD: 203.1, dailyUSD: 200, exhausted: true } };
    const v = budgetVerdict(route, { day: '2026-12-03', routeUSD: 0, models: {} })!;
    expect(v.status.exhausted).toBe(false);
    expect(v.condition.status).toBe('False');
    expect(v.events).toEqual([{ type: 'Normal', reason: 'BudgetReset', message: 'Budget reset: a new UTC day (2026-12-03) starts at $0.00; 2026-12-02 ended at $203.10 of $200.00 with a cap reached' }]);
  });
});
