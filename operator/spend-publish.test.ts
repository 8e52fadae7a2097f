import { describe, expect, it } from 'vitest';
import type { FleetSpend } from '../sidecar/spend/figure.js';
import { MAX_AGE_MS, figureToPublish, type Published } from './spend-publish.js';

const T0 = Date.parse('2026-12-03T12:00:00Z');
const fig = (routeUSD: number, models: Record<string, number> = {}, day = '2026-12-03'): FleetSpend => ({ day, routeUSD, models });
const budget = { daily: 200, models: [{ name: 'deepseek-chat', daily: 50 }], action: 'block' as const };

describe('figureToPublish', () => {
  it('publishes the first figure and a new day at once', () => {
    expect(figureToPublish(undefined, fig(3), budget, T0)).toEqual({ figure: fig(3), at: T0 });
    const last: Published = { figure: fig(150), at: T0 };
    expect(figureToPublish(last, fig(0.2, {}, '2026-12-04'), budget, T0 + 10_000).figure.day).toBe('2026-12-04');
  });

  it('far from every cap, holds a figure back until it moved 1% of a cap or is 5 minutes old', () => {
    let last: Published = { figure: fig(100, { 'deepseek-chat': 10 }), at: T0 };
    // 10 s ticks of $0.50 (cap $200: 1% is $2) are held back...
    for (let i = 1; i <= 3; i++) last = figureToPublish(last, fig(100 + i * 0.5, { 'deepseek-chat': 10 }), budget, T0 + i * 10_000);
    expect(last).toEqual({ figure: fig(100, { 'deepseek-chat': 10 }), at: T0 });
    // ...until the route moved $2,
    last = figureToPublish(last, fig(102, { 'deepseek-chat': 10 }), budget, T0 + 40_000);
    expect(last.figure.routeUSD).toBe(102);
    // or a capped model moved 1% of its own cap ($0.50),
    last = figureToPublish(last, fig(102.1, { 'deepseek-chat': 10.5 }), budget, T0 + 50_000);
    expect(last.figure.models).toEqual({ 'deepseek-chat': 10.5 });
    // or the last one is 5 minutes old.
    expect(figureToPublish(last, fig(102.2, { 'deepseek-chat': 10.5 }), budget, T0 + 50_000 + MAX_AGE_MS - 1).figure.routeUSD).toBe(102.1);
    expect(figureToPublish(last, fig(102.2, { 'deepseek-chat': 10.5 }), budget, T0 + 50_000 + MAX_AGE_MS).figure.routeUSD).toBe(102.2);
  });

  it('near a cap (90% and over) publishes every change, a model cap too', () => {
    let last: Published = { figure: fig(179.9), at: T0 };
    last = figureToPublish(last, fig(180), budget, T0 + 10_000);
    expect(last.figure.routeUSD).toBe(180);
    last = figureToPublish(last, fig(180.01), budget, T0 + 20_000);
    expect(last.figure.routeUSD).toBe(180.01);
    const model: Published = { figure: fig(10, { 'deepseek-chat': 45 }), at: T0 };
    expect(figureToPublish(model, fig(10.01, { 'deepseek-chat': 45.01 }), budget, T0 + 10_000).figure.routeUSD).toBe(10.01);
  });

  it('an unchanged figure keeps its publish time', () => {
    const last: Published = { figure: fig(5), at: T0 };
    expect(figureToPublish(last, fig(5), budget, T0 + MAX_AGE_MS * 3)).toBe(last);
  });
});
