import { describe, expect, it } from 'vitest';
import { mergePatchFor } from './merge-patch.js';

describe('mergePatchFor', () => {
  it('is empty when nothing changed', () => {
    expect(mergePatchFor({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toEqual({});
  });
  it('carries changed leaves, whole arrays and nulls for removed fields', () => {
    const cur = { phase: 'Progressing', canary: { stepStartedAt: 't', holdReason: 'TooFewRequests' }, conditions: [{ type: 'Ready' }], old: 1 };
    const want = { phase: 'RolledBack', canary: { stepStartedAt: 't' }, conditions: [{ type: 'Ready' }, { type: 'RolledBack' }] };
    expect(mergePatchFor(cur, want)).toEqual({
      phase: 'RolledBack',
      canary: { holdReason: null },
      conditions: [{ type: 'Ready' }, { type: 'RolledBack' }],
      old: null,
    });
  });
  it('writes everything from an empty start', () => {
    expect(mergePatchFor(undefined, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});
