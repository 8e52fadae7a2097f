/**
 * A CRD's structural schema applied to an object the way the API server does
 * (pure): `prune` drops fields the schema does not know and reports them (for
 * fieldValidation), `applyDefaults` fills in `default`s top-down (nested
 * defaults apply inside a defaulted `{}`), and `validate` checks types, enums,
 * bounds, lengths, patterns and required fields, returning causes worded like
 * the real server's. CEL `x-kubernetes-validations` are not evaluated.
 */
import type { StatusCause } from './status.js';
import { clone, type SchemaNode } from './types.js';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ROOT_META = ['apiVersion', 'kind', 'metadata'];

const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Remove unknown fields in place; return their paths (`spec.foo`, `spec.models[0].bar`). */
export function prune(obj: Json, schema: SchemaNode, path = '', root = true): string[] {
  const unknown: string[] = [];
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return unknown;
  if (isObject(obj)) {
    const embedded = root || schema['x-kubernetes-embedded-resource'];
    for (const key of Object.keys(obj)) {
      if (embedded && ROOT_META.includes(key)) continue;
      const prop = schema.properties?.[key];
      if (prop) unknown.push(...prune(obj[key], prop, child(path, key), false));
      else if (isObject(schema.additionalProperties)) unknown.push(...prune(obj[key], schema.additionalProperties, child(path, key), false));
      else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) continue;
      else {
        unknown.push(child(path, key));
        delete obj[key];
      }
    }
  } else if (Array.isArray(obj) && schema.items) {
    obj.forEach((item, i) => unknown.push(...prune(item, schema.items!, `${path}[${i}]`, false)));
  }
  return unknown;
}

/** Fill absent (or null but not nullable) properties from `default`, then recurse. Mutates `obj`. */
export function applyDefaults(obj: Json, schema: SchemaNode): void {
  if (isObject(obj)) {
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      if (prop.default === undefined) continue;
      if (!(key in obj) || (obj[key] === null && !prop.nullable)) obj[key] = clone(prop.default);
    }
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (prop) applyDefaults(v, prop);
    }
  } else if (Array.isArray(obj) && schema.items) {
    for (const item of obj) applyDefaults(item, schema.items);
  }
}

function show(v: Json): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (isObject(v)) return '"object"';
  if (Array.isArray(v)) return '"array"';
  return String(v);
}

function typeName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeOk(v: Json, s: SchemaNode): boolean {
  if (v === null) return !!s.nullable;
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case undefined:
      return true;
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

/** Causes for every violation; an empty list means valid. `path` is the dotted field path. */
export function validate(v: Json, s: SchemaNode, path = ''): StatusCause[] {
  const out: StatusCause[] = [];
  const invalid = (msg: string): void => {
    out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(v)}: ${path} in body ${msg}`, field: path });
  };
  if (!typeOk(v, s)) {
    out.push({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: ${show(typeName(v))}: ${path} in body must be of type ${s.type ?? 'int-or-string'}: ${show(typeName(v))}`,
      field: path,
    });
    return out;
  }
  if (v === null) return out;
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${show(v)}: supported values: ${s.enum.map(show).join(', ')}`, field: path });
  }
  if (typeof v === 'number') {
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      invalid(`should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`);
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      invalid(`should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`);
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) {
      out.push({ reason: 'FieldValueTooLong', message: `Too long: may not be longer than ${s.maxLength}`, field: path });
    }
    if (s.minLength !== undefined && len < s.minLength) invalid(`should be at least ${s.minLength} chars long`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) invalid(`should match '${s.pattern}'`);
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      out.push({ reason: 'FieldValueTooMany', message: `Too many: ${v.length}: must have at most ${s.maxItems} items`, field: path });
    }
    if (s.minItems !== undefined && v.length < s.minItems) invalid(`should have at least ${s.minItems} items`);
    if (s.items) v.forEach((item, i) => out.push(...validate(item, s.items!, `${path}[${i}]`)));
  }
  if (isObject(v)) {
    for (const r of s.required ?? []) {
      if (!(r in v)) out.push({ reason: 'FieldValueRequired', message: 'Required value', field: child(path, r) });
    }
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) {
      out.push({ reason: 'FieldValueTooMany', message: `Too many: ${n}: must have at most ${s.maxProperties} items`, field: path });
    }
    if (s.minProperties !== undefined && n < s.minProperties) invalid(`should have at least ${s.minProperties} properties`);
    for (const [key, val] of Object.entries(v)) {
      if (path === '' && ROOT_META.includes(key)) continue;
      const prop = s.properties?.[key] ?? (isObject(s.additionalProperties) ? s.additionalProperties : undefined);
      if (prop) out.push(...validate(val, prop, child(path, key)));
    }
  }
  return out;
}
