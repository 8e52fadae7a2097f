import { describe, expect, it } from 'vitest';
import { findCondition, rfc3339, setCondition, type Condition } from './route.js';

const T0 = Date.UTC(2026, 10, 23, 4, 10, 9, 889);
const T1 = T0 + 60_000;

describe('setCondition', () => {
  const ready = (status: Condition['status'], reason: string, message = '') => ({ type: 'Ready', status, reason, message, observedGeneration: 2 });

  it('adds a condition with the transition time in metav1.Time format', () => {
    const list = setCondition(undefined, ready('True', 'Reconciled'), T0);
    expect(list).toEqual([{ ...ready('True', 'Reconciled'), lastTransitionTime: '2026-11-23T04:10:09Z' }]);
  });

  it('keeps lastTransitionTime when the status does not change, but takes the new reason and message', () => {
    const first = setCondition(undefined, ready('False', 'SecretNotFound', 'a'), T0);
    const second = setCondition(first, ready('False', 'SecretKeyNotFound', 'b'), T1);
    expect(second[0]).toMatchObject({ reason: 'SecretKeyNotFound', message: 'b', lastTransitionTime: rfc3339(T0) });
  });

  it('moves lastTransitionTime when the status changes', () => {
    const first = setCondition(undefined, ready('False', 'SecretNotFound'), T0);
    const second = setCondition(first, ready('True', 'Reconciled'), T1);
    expect(second[0]?.lastTransitionTime).toBe(rfc3339(T1));
    expect(second[0]?.lastTransitionTime).not.toBe(rfc3339(T0));
  });

  it('leaves other conditions and the input alone', () => {
    const input = setCondition(undefined, { type: 'SecretFound', status: 'True', reason: 'Found', message: '' }, T0);
    const out = setCondition(input, ready('True', 'Reconciled'), T1);
    expect(input).toHaveLength(1);
    expect(out.map((c) => c.type)).toEqual(['SecretFound', 'Ready']);
    expect(findCondition(out, 'SecretFound')?.lastTransitionTime).toBe(rfc3339(T0));
    expect(findCondition(out, 'Missing')).toBeUndefined();
  });
});
