/**
 * Label selectors: does one select a pod, and can two select the same pod.
 *
 * Semantics follow Kubernetes' LabelSelector, with the RelayRoute's rule for
 * the absent case: an omitted selector selects NO pod (the route can still
 * drive a standalone sidecar), while `{}` selects every pod.
 */
import type { LabelSelector, LabelSelectorRequirement } from './route.js';

type Labels = Readonly<Record<string, string>> | undefined;

/** Every requirement of the selector, matchLabels as `In [value]`. */
function requirements(sel: LabelSelector): LabelSelectorRequirement[] {
  return [
    ...Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })),
    ...(sel.matchExpressions ?? []),
  ];
}

function satisfies(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value as string);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false; // an operator this code does not know selects nothing
  }
}

/** Does `selector` select a pod with these labels? Undefined selects nothing. */
export function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (selector === undefined) return false;
  return requirements(selector).every((r) => satisfies(r, labels));
}

/**
 * Can some pod satisfy all these requirements on one key? Either the key is
 * absent (allowed unless In or Exists asks for it), or it has a value that
 * every In list holds and no NotIn list does (there is always such a value
 * when no In list constrains it: label values are open-ended strings).
 */
function keySatisfiable(reqs: readonly LabelSelectorRequirement[]): boolean {
  const ops = new Set(reqs.map((r) => r.operator));
  if (!ops.has('In') && !ops.has('Exists')) return true; // the key may be absent
  if (ops.has('DoesNotExist')) return false;
  const excluded = new Set(reqs.filter((r) => r.operator === 'NotIn').flatMap((r) => r.values ?? []));
  const ins = reqs.filter((r) => r.operator === 'In').map((r) => new Set(r.values ?? []));
  if (ins.length === 0) return true;
  const [first, ...rest] = ins;
  return [...(first as Set<string>)].some((v) => !excluded.has(v) && rest.every((s) => s.has(v)));
}

/**
 * Can two selectors select the same pod? Exact for label selectors: keys are
 * independent, so they overlap exactly when, for every key, the requirements
 * of both on that key can hold at once (`app=a` and `app=b` cannot; `app=a` and
 * `tier In [web]` can). An operator this code does not know counts as
 * overlapping (the conservative answer: it is reported, never missed).
 */
export function overlaps(a: LabelSelector | undefined, b: LabelSelector | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const byKey = new Map<string, LabelSelectorRequirement[]>();
  for (const r of [...requirements(a), ...requirements(b)]) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(r.operator)) return true;
    byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  }
  return [...byKey.values()].every(keySatisfiable);
}

/** `app=support-bot,tier in (web)` — kubectl's way of writing a selector, for messages. */
export function describeSelector(selector: LabelSelector | undefined): string {
  if (selector === undefined) return '(none)';
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((r) => {
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        default:
          return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`;
      }
    }),
  ];
  return parts.length === 0 ? '(every pod)' : parts.join(',');
}
