/**
 * Label selectors (the query-string syntax and the LabelSelector object that
 * webhooks use) and field selectors, matched the way the API server does.
 */
import { badRequest } from './status.js';
import type { KubeObject, ResourceInfo } from './types.js';

type Op = 'in' | 'notin' | 'exists' | '!';
export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Parse `a=b,c!=d,e in (f,g),h notin (i),j,!k`; `=`/`==` are `in` one value, `!=` is `notin`. */
export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      out.push({ key: m[1]!, op: m[2] as Op, values: m[3]!.split(',').map((s) => s.trim()).filter(Boolean) });
    } else if ((m = p.match(/^([^!=\s]+)\s*!=\s*(\S*)$/))) {
      out.push({ key: m[1]!, op: 'notin', values: [m[2]!] });
    } else if ((m = p.match(/^([^!=\s]+)\s*==?\s*(\S*)$/))) {
      out.push({ key: m[1]!, op: 'in', values: [m[2]!] });
    } else if ((m = p.match(/^!\s*(\S+)$/))) {
      out.push({ key: m[1]!, op: '!', values: [] });
    } else if ((m = p.match(/^([A-Za-z0-9][-A-Za-z0-9_./]*)$/))) {
      out.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  for (const r of out) {
    for (const v of r.values) {
      if (!LABEL_VALUE.test(v)) {
        throw badRequest(`unable to parse requirement: values[0][${r.key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
      }
    }
  }
  return out;
}

export function matchRequirements(reqs: Requirement[], labels: Record<string, string> = {}): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** A metav1.LabelSelector; `undefined` matches everything, `{}` too. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export function matchLabelSelector(sel: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!sel) return true;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'in', values: [v] }));
  const ops: Record<string, Op> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
  for (const e of sel.matchExpressions ?? []) reqs.push({ key: e.key, op: ops[e.operator]!, values: e.values ?? [] });
  return matchRequirements(reqs, labels);
}

/** Field selectors: fields the real server indexes for the fake's resources, equality and inequality only. */
const FIELDS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  secrets: ['type'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'reason', 'type', 'regarding.kind', 'regarding.name'],
};

export interface FieldRequirement {
  path: string;
  value: string;
  negate: boolean;
}

export function parseFieldSelector(text: string, r: ResourceInfo): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const p = raw.trim();
    if (!p) continue;
    const m = p.match(/^([^!=]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${p}'`);
    const path = m[1]!;
    if (!['metadata.name', 'metadata.namespace', ...(FIELDS[r.resource] ?? [])].includes(path)) {
      throw badRequest(`field label not supported: ${path}`);
    }
    out.push({ path, value: m[3]!, negate: m[2] === '!=' });
  }
  return out;
}

/** The name a `metadata.name=<name>` field selector pins a list/watch to (what RBAC resourceNames checks). */
export function nameFromFieldSelector(text: string | null): string | undefined {
  const m = text?.match(/(?:^|,)metadata\.name==?([^,]+)/);
  return m?.[1];
}

function at(obj: unknown, path: string): string {
  let v: unknown = obj;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v === undefined || v === null ? '' : String(v);
}

export function matchFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => (at(obj, r.path) === r.value) !== r.negate);
}
