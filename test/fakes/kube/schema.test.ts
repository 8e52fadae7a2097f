import { describe, expect, it } from 'vitest';
import { applyDefaults, prune, validate } from './schema.js';
import type { SchemaNode } from './types.js';

const schema: SchemaNode = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        timeouts: { type: 'object', default: {}, properties: { connect: { type: 'string', default: '5s' }, total: { type: 'string', default: '10m' } } },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', properties: { n: { type: 'number', exclusiveMinimum: true, minimum: 0 } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        opt: { type: 'string', nullable: true },
      },
    },
  },
};

describe('structural schema', () => {
  it('prunes unknown fields and reports their paths, keeping apiVersion/kind/metadata, maps and preserved subtrees', () => {
    const obj = { apiVersion: 'v', kind: 'K', metadata: { name: 'n', x: 1 }, spec: { name: 'a', bogus: 1, tags: { any: 'x' }, items: [{ n: 1, m: 2 }], free: { whatever: { deep: 1 } } } };
    expect(prune(obj, schema)).toEqual(['spec.bogus', 'spec.items[0].m']);
    expect(obj.spec).toEqual({ name: 'a', tags: { any: 'x' }, items: [{ n: 1 }], free: { whatever: { deep: 1 } } });
    expect(obj.metadata).toEqual({ name: 'n', x: 1 });
  });

  it('applies defaults top-down, so nested defaults fill a defaulted {}', () => {
    const obj: any = { spec: { name: 'a' } };
    applyDefaults(obj, schema);
    expect(obj.spec.timeouts).toEqual({ connect: '5s', total: '10m' });
    const partial: any = { spec: { name: 'a', timeouts: { connect: '1s' } } };
    applyDefaults(partial, schema);
    expect(partial.spec.timeouts).toEqual({ connect: '1s', total: '10m' });
  });

  it('validates types, int-or-string, nullability, bounds and required fields', () => {
    expect(validate({ spec: { name: 'a', port: 'http', opt: null } }, schema)).toEqual([]);
    expect(validate({ spec: { name: 'a', port: 80 } }, schema)).toEqual([]);
    const causes = validate({ spec: { name: '', port: 1.5, items: [{ n: 0 }], tags: { a: 1 } } }, schema);
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.name: Invalid value: "": spec.name in body should be at least 1 chars long',
      'spec.port: Invalid value: "number": spec.port in body must be of type int-or-string: "number"',
      'spec.items[0].n: Invalid value: 0: spec.items[0].n in body should be greater than 0',
      'spec.tags.a: Invalid value: "integer": spec.tags.a in body must be of type string: "integer"',
    ]);
    expect(validate({ spec: {} }, schema)).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.name' }]);
  });
});
