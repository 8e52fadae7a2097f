import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, parseJsonPatch } from './patch.js';
import { ApiError } from './status.js';

const code = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    return (e as ApiError).code;
  }
  return undefined;
};

describe('merge patch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: ['c'] }, { a: ['c'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [['a'], { a: 'b' }, { a: 'b' }],
    [{ a: 'foo' }, 'bar', 'bar'],
  ])('%j + %j = %j', (target, patch, want) => {
    expect(mergePatch(target, patch)).toEqual(want);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { spec: { list: [1, 2], name: 'x' } };
  it('adds, removes, replaces, moves, copies and tests', () => {
    const out = jsonPatch(doc, parseJsonPatch([
      { op: 'test', path: '/spec/name', value: 'x' },
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'add', path: '/spec/list/0', value: 0 },
      { op: 'remove', path: '/spec/list/1' },
      { op: 'replace', path: '/spec/name', value: 'y' },
      { op: 'copy', from: '/spec/name', path: '/spec/copy' },
      { op: 'move', from: '/spec/copy', path: '/spec/a~1b' },
    ]));
    expect(out).toEqual({ spec: { list: [0, 2, 3], name: 'y', 'a/b': 'y' } });
    expect(doc.spec.list).toEqual([1, 2]); // input untouched
  });
  it('fails with 422 when a test fails or a path is missing, 400 when it does not decode', () => {
    expect(code(() => jsonPatch(doc, parseJsonPatch([{ op: 'test', path: '/spec/name', value: 'z' }])))).toBe(422);
    expect(code(() => jsonPatch(doc, parseJsonPatch([{ op: 'replace', path: '/spec/nope', value: 1 }])))).toBe(422);
    expect(code(() => jsonPatch(doc, parseJsonPatch([{ op: 'remove', path: '/spec/list/5' }])))).toBe(422);
    expect(code(() => jsonPatch(doc, parseJsonPatch([{ op: 'add', path: '/missing/deep', value: 1 }])))).toBe(422);
    expect(code(() => parseJsonPatch({ op: 'add' }))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: 'frobnicate', path: '/' }]))).toBe(400);
  });
});
