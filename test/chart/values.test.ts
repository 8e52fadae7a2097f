/**
 * values.yaml and values.schema.json are product: every value has a comment a
 * platform engineer can act on, and the schema refuses unknown keys at every
 * level (maps of labels, annotations and quantities excepted: their keys are
 * the user's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { CHART } from './helm.js';

const valuesDoc = parseDocument(readFileSync(`${CHART}/values.yaml`, 'utf8'));
const schema = JSON.parse(readFileSync(`${CHART}/values.schema.json`, 'utf8')) as Schema;
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema; $ref?: string; definitions?: Record<string, Schema> };

/** Objects whose contents Kubernetes checks and the chart passes through as given. */
const PASS_THROUGH = ['global', 'operator.affinity.nodeAffinity', 'operator.affinity.podAffinity', 'operator.affinity.podAntiAffinity'];

/** Every key path in values.yaml that has no comment above it (or, for a map's first key, above the map). */
function uncommented(map: YAMLMap, path: string, parentComment: boolean): string[] {
  const out: string[] = [];
  map.items.forEach((pair, i) => {
    if (!isPair(pair) || !isScalar(pair.key)) return;
    const key = `${path}${String(pair.key.value)}`;
    const commented = Boolean(pair.key.commentBefore?.trim()) || (i === 0 && parentComment);
    if (!commented) out.push(key);
    // Keys inside a value that is a user map (labels, resources ...) are examples, not settings.
    if (isMap(pair.value) && !/(resources|podLabels|podAnnotations|nodeSelector|requests|limits|affinity)$/.test(key)) {
      out.push(...uncommented(pair.value, `${key}.`, Boolean(pair.value.commentBefore?.trim())));
    }
  });
  return out;
}

function resolve(s: Schema): Schema {
  return s.$ref ? resolve(schema.definitions![s.$ref.replace('#/definitions/', '')]!) : s;
}

/** Paths of object schemas that accept keys they do not name. */
function openObjects(s: Schema, path: string): string[] {
  const r = resolve(s);
  const out: string[] = [];
  const isObject = r.type === 'object' || r.properties !== undefined;
  if (isObject && !PASS_THROUGH.includes(path)) {
    const ap = r.additionalProperties;
    const typedMap = typeof ap === 'object' && r.properties === undefined && ap.type !== undefined && ap.type !== 'object';
    if (ap !== false && !typedMap) out.push(path || '(root)');
  }
  for (const [k, v] of Object.entries(r.properties ?? {})) out.push(...openObjects(v, path ? `${path}.${k}` : k));
  if (r.items) out.push(...openObjects(r.items, `${path}[]`));
  return out;
}

function schemaPaths(s: Schema, path: string): string[] {
  const r = resolve(s);
  return Object.entries(r.properties ?? {}).flatMap(([k, v]) => [path + k, ...(PASS_THROUGH.includes(path + k) ? [] : schemaPaths(v, `${path}${k}.`))]);
}

describe('values.yaml', () => {
  it('parses, and every value has a comment', () => {
    expect(valuesDoc.errors).toEqual([]);
    expect(uncommented(valuesDoc.contents as YAMLMap, '', false)).toEqual([]);
  });
  it('the check notices a value without a comment', () => {
    const doc = parseDocument('# -- a\na: 1\nb:\n  # -- c\n  c: 2\n  d: 3\n');
    expect(uncommented(doc.contents as YAMLMap, '', false)).toEqual(['b', 'b.d']);
  });
  it('every value the schema knows is set in values.yaml (so its default is documented there)', () => {
    const values = valuesDoc.toJS() as Record<string, unknown>;
    const missing = schemaPaths(schema, '')
      .filter((p) => p !== 'global' && !p.startsWith('operator.affinity.'))
      .filter((p) => p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values) === undefined);
    expect(missing).toEqual([]);
  });
});

describe('values.schema.json', () => {
  it('refuses unknown keys at every level', () => {
    expect(openObjects(schema, '')).toEqual([]);
  });
  it('the check notices an open object', () => {
    const probe: Schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } };
    expect(openObjects(probe, '')).toEqual(['a']);
  });
});

describe('the chart README’s values table', () => {
  const table = readFileSync(`${CHART}/README.md`, 'utf8').split('## Values')[1]!.split('\n## ')[0]!;
  const documented = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([\w.]+)`/g)].map((k) => k[1]!));
  it('documents every value the schema knows, and only those', () => {
    const known = schemaPaths(schema, '').filter((p) => p !== 'global' && !p.startsWith('operator.affinity.'));
    const objects = known.filter((p) => known.some((q) => q.startsWith(`${p}.`)) && !['operator.resources', 'sidecar.resources', 'operator.affinity'].includes(p));
    const leaves = known.filter((p) => !objects.includes(p) && !/\.(requests|limits)$/.test(p));
    expect(leaves.filter((p) => !documented.includes(p))).toEqual([]);
    expect(documented.filter((d) => !known.includes(d))).toEqual([]);
  });
});
