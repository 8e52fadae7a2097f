import { describe, expect, it } from 'vitest';
import { applyPatch, escapePointer, parsePointer } from './json-patch.js';

describe('JSON pointer', () => {
  it.each([
    ['bellwether.dev/injected', 'bellwether.dev~1injected'],
    ['a~b', 'a~0b'],
    ['~/', '~0~1'],
  ])('escapes %s as %s and back', (raw, escaped) => {
    expect(escapePointer(raw)).toBe(escaped);
    expect(parsePointer(`/x/${escaped}`)).toEqual(['x', raw]);
  });
});

describe('applyPatch', () => {
  const pod = { metadata: { annotations: { a: '1' } }, spec: { containers: [{ name: 'app' }, { name: 'b' }] } };

  it('adds members (escaped keys), appends with -, inserts at an index, replaces and removes', () => {
    const out = applyPatch(pod, [
      { op: 'add', path: '/metadata/annotations/bellwether.dev~1injected', value: 'true' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'last' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
      { op: 'add', path: '/spec/initContainers', value: [] },
      { op: 'replace', path: '/metadata/annotations/a', value: '2' },
      { op: 'remove', path: '/spec/containers/2' },
    ]);
    expect(out).toEqual({
      metadata: { annotations: { a: '2', 'bellwether.dev/injected': 'true' } },
      spec: { containers: [{ name: 'first' }, { name: 'app' }, { name: 'last' }], initContainers: [] },
    });
    expect(pod.spec.containers).toHaveLength(2); // the input is untouched
  });

  it.each([
    ['a missing parent', { op: 'add' as const, path: '/metadata/labels/x', value: 'y' }],
    ['an index past the end', { op: 'add' as const, path: '/spec/containers/5', value: {} }],
    ['replacing a missing member', { op: 'replace' as const, path: '/metadata/name', value: 'x' }],
    ['a pointer without a leading slash', { op: 'add' as const, path: 'metadata', value: {} }],
  ])('refuses %s, as the API server would', (_name, op) => {
    expect(() => applyPatch(pod, [op])).toThrow();
  });
});
