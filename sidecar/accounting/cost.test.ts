import { describe, expect, it } from 'vitest';
import type { Price } from '../config/route.js';
import { costUSD, savingsUSD } from './cost.js';

const deepseek: Price = { input: 0.21, output: 0.42, cachedInput: 0.021 };
const kimi: Price = { input: 0.18, output: 0.36 };
const gpt41: Price = { input: 8, output: 32 };

describe('costUSD', () => {
  it('prices cached input at the cached rate: 1M input with 200k cached on deepseek-chat', () => {
    // 800,000 × 0.21 + 200,000 × 0.021 = 168,000 + 4,200 → $0.1722
    expect(costUSD(deepseek, { input: 1_000_000, output: 0, cachedInput: 200_000 })).toBeCloseTo(0.1722, 12);
    // + 500,000 output × 0.42 = $0.21
    expect(costUSD(deepseek, { input: 1_000_000, output: 500_000, cachedInput: 200_000 })).toBeCloseTo(0.3822, 12);
  });

  it('prices cached tokens at the input rate when no cached price is given', () => {
    expect(costUSD(kimi, { input: 1_000_000, output: 0, cachedInput: 400_000 })).toBeCloseTo(0.18, 12);
  });

  it('is undefined without a price, 0 for no tokens', () => {
    expect(costUSD(undefined, { input: 10, output: 10, cachedInput: 0 })).toBeUndefined();
    expect(costUSD(gpt41, { input: 0, output: 0, cachedInput: 0 })).toBe(0);
  });
});

describe('savingsUSD', () => {
  const usage = { input: 1_000_000, output: 500_000, cachedInput: 200_000 };

  it('is the official cost minus the relay cost for the same tokens', () => {
    // gpt-4.1: 1M × 8 + 500k × 32 = $24; deepseek-chat: $0.3822.
    expect(savingsUSD(gpt41, deepseek, usage)).toBeCloseTo(24 - 0.3822, 10);
  });

  it('is negative when the relay is dearer', () => {
    const cheapOfficial: Price = { input: 0.1, output: 0.2 };
    // official 1000 × 0.1 / 1e6 = 0.0001; kimi 1000 × 0.18 / 1e6 = 0.00018
    expect(savingsUSD(cheapOfficial, kimi, { input: 1000, output: 0, cachedInput: 0 })).toBeCloseTo(-0.00008, 15);
  });

  it('is undefined unless both prices are known', () => {
    expect(savingsUSD(undefined, deepseek, usage)).toBeUndefined();
    expect(savingsUSD(gpt41, undefined, usage)).toBeUndefined();
  });
});
