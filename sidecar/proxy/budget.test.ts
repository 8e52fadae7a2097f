import { describe, expect, it } from 'vitest';
import { ByteBudget } from './budget.js';

describe('ByteBudget', () => {
  it('bounds the sum over every request and gives each request\'s bytes back once', () => {
    const budget = new ByteBudget(100);
    const a = budget.ledger();
    const b = budget.ledger();
    expect(a.take(60)).toBe(true);
    expect(b.take(50)).toBe(false); // 110 > 100: refused, nothing taken
    expect(budget.used).toBe(60);
    expect(b.take(40)).toBe(true);
    expect(budget.used).toBe(100);
    a.give(10);
    expect([a.held, budget.used]).toEqual([50, 90]);
    a.release();
    a.release(); // idempotent
    expect(budget.used).toBe(40);
    b.give(1000); // never gives back more than it holds
    expect([b.held, budget.used]).toEqual([0, 0]);
  });

  it('lets background work (a sibling ledger: shadow copies) fill only half the budget, so app requests keep the rest', () => {
    const budget = new ByteBudget(100);
    const app = budget.ledger();
    const copy = app.sibling();
    expect(copy.take(50)).toBe(true);
    expect(copy.take(1)).toBe(false); // the copy may not go past 50 of 100
    expect(app.take(50)).toBe(true); // the app's request still gets the other half
    copy.release();
    expect(app.take(10)).toBe(true);
    const next = app.sibling();
    expect(next.take(1)).toBe(false); // 60 used: above the background share, nothing for copies
    app.release();
    expect(next.take(50)).toBe(true);
  });

  it('takes nothing more on a released ledger (a read still in flight after its request ended)', () => {
    const budget = new ByteBudget(100);
    const done = budget.ledger();
    expect(done.take(10)).toBe(true);
    done.release();
    expect(done.take(10)).toBe(false);
    expect(budget.used).toBe(0);
  });
});
