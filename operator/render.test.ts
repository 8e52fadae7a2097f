import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateRelayRoute } from '../sidecar/config/schema.js';
import { DecisionAnnotation, parseDecisions, type OperatorDecisions } from '../sidecar/config/decisions.js';
import { needsUpdate, ownedDifferences, renderConfigMap, renderRbac, renderRouteDocument, withOwnedFields } from './render.js';
import type { RelayRoute } from './route.js';
import { routeFixture } from './testdata/fixtures.js';
import { expectGolden } from './testdata/golden.js';

const golden = (name: string) => new URL(`./testdata/render/${name}`, import.meta.url);
const progressing: OperatorDecisions = { effectiveWeight: 25, phase: 'Progressing' };
const rolledBack: OperatorDecisions = {
  effectiveWeight: 0,
  phase: 'RolledBack',
  fleetRollback: { reason: 'error_rate', generation: 3, time: '2026-11-23T04:00:00Z' },
  step: { index: 3, of: 4 },
};

describe('renderConfigMap', () => {
  it('matches the golden file (progressing)', () => {
    expectGolden(golden('configmap-progressing.yaml'), stringify(renderConfigMap(routeFixture(), progressing), { lineWidth: 0 }));
  });

  it('matches the golden file (fleet rollback at a step)', () => {
    expectGolden(golden('configmap-rolled-back.yaml'), stringify(renderConfigMap(routeFixture(), rolledBack), { lineWidth: 0 }));
  });

  it('names, labels and owns the ConfigMap', () => {
    const cm = renderConfigMap(routeFixture(), progressing);
    expect(cm.metadata).toMatchObject({
      name: 'bellwether-support-bot',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/managed-by': 'bellwether', 'bellwether.dev/route': 'support-bot' },
      ownerReferences: [
        { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: 'support-bot', uid: '6b1f3c2e-0d1a-4c55-9d1e-2f6f3c1a9b10', controller: true, blockOwnerDeletion: true },
      ],
    });
  });

  it('renders a route.yaml the sidecar’s own schema accepts, carrying the generation and the decisions', () => {
    const route = routeFixture({ generation: 7 });
    // retry is left to the validator's defaults: the CRD is renaming retry.on to retryOn in parallel.
    const { retry: _retry, ...spec } = route.spec;
    const text = renderRouteDocument({ ...route, spec: spec as RelayRoute['spec'] }, rolledBack);
    const result = validateRelayRoute(parse(text));
    expect(result.ok ? [] : result.errors).toEqual([]);
    const doc = parse(text) as { metadata: { generation: number; annotations: Record<string, string> } };
    expect(doc.metadata.generation).toBe(7);
    expect(parseDecisions(doc.metadata.annotations)).toEqual(rolledBack);
  });

  it('renders the same bytes whatever order the spec’s keys come in', () => {
    const route = routeFixture();
    const shuffled = { ...route, spec: Object.fromEntries(Object.entries(route.spec).reverse()) as RelayRoute['spec'] };
    expect(renderRouteDocument(shuffled, progressing)).toBe(renderRouteDocument(route, progressing));
  });
});

describe('decision annotations', () => {
  it.each<[Record<string, string> | undefined, OperatorDecisions | undefined]>([
    [undefined, undefined],
    [{ [DecisionAnnotation.effectiveWeight]: '101' }, undefined],
    [{ [DecisionAnnotation.effectiveWeight]: '2.5' }, undefined],
    [{ [DecisionAnnotation.effectiveWeight]: '0', [DecisionAnnotation.phase]: 'Pending' }, { effectiveWeight: 0, phase: 'Pending' }],
    [{ [DecisionAnnotation.effectiveWeight]: '100', [DecisionAnnotation.step]: '4/4', [DecisionAnnotation.phase]: 'Promoted' }, { effectiveWeight: 100, phase: 'Promoted', step: { index: 4, of: 4 } }],
  ])('parseDecisions(%j)', (annotations, expected) => expect(parseDecisions(annotations)).toEqual(expected));
});

describe('renderRbac', () => {
  it('matches the golden file: get and watch on the one ConfigMap, for the namespace’s service accounts', () => {
    const { role, roleBinding } = renderRbac(routeFixture());
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['bellwether-support-bot'], verbs: ['get', 'watch'] }]);
    expect(roleBinding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:shop' }]);
    expect(roleBinding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bellwether-support-bot-config' });
    expectGolden(golden('rbac.yaml'), stringify([role, roleBinding], { lineWidth: 0 }));
  });
});

describe('needsUpdate', () => {
  const desired = renderConfigMap(routeFixture(), progressing);
  /** What the API server returns: our object plus server fields and other people's keys. */
  const live = () => {
    const cm = structuredClone(desired);
    cm.metadata = {
      ...cm.metadata,
      resourceVersion: '981',
      uid: 'cm-uid',
      creationTimestamp: new Date('2026-11-23T04:00:00Z'),
      managedFields: [{ manager: 'bellwether-operator' }],
      labels: { ...cm.metadata?.labels, team: 'support' },
      annotations: { ...cm.metadata?.annotations, 'argocd.argoproj.io/tracking-id': 'x' },
    };
    return cm;
  };

  it('is false when only server fields and others’ keys differ', () => {
    expect(ownedDifferences(live(), desired)).toEqual([]);
    expect(needsUpdate(live(), desired)).toBe(false);
  });

  it.each<[string, (cm: ReturnType<typeof live>) => void, string[]]>([
    ['the rendered data', (cm) => (cm.data = { 'route.yaml': 'old' }), ['data']],
    ['a decision annotation', (cm) => (cm.metadata!.annotations![DecisionAnnotation.effectiveWeight] = '5'), ['metadata.annotations[bellwether.dev/effective-weight]']],
    ['a stale fleet-rollback annotation', (cm) => (cm.metadata!.annotations![DecisionAnnotation.fleetRollback] = '{}'), ['metadata.annotations[bellwether.dev/fleet-rollback]']],
    ['a label of ours', (cm) => delete cm.metadata!.labels!['bellwether.dev/route'], ['metadata.labels[bellwether.dev/route]']],
    ['the owner reference', (cm) => (cm.metadata!.ownerReferences = []), ['metadata.ownerReferences']],
  ])('is true when %s differs', (_name, mutate, diffs) => {
    const cm = live();
    mutate(cm);
    expect(ownedDifferences(cm, desired)).toEqual(diffs);
    expect(needsUpdate(cm, desired)).toBe(true);
  });

  it('compares Role rules and RoleBinding subjects', () => {
    const { role, roleBinding } = renderRbac(routeFixture());
    expect(needsUpdate(structuredClone(role), role)).toBe(false);
    expect(needsUpdate({ ...role, rules: [{ ...role.rules![0]!, verbs: ['get', 'list', 'watch'] }] }, role)).toBe(true);
    expect(needsUpdate({ ...roleBinding, subjects: [] }, roleBinding)).toBe(true);
  });

  it('withOwnedFields applies ours, keeps theirs, drops stale decisions, and then needs no update', () => {
    const cm = live();
    cm.data = { 'route.yaml': 'old' };
    cm.metadata!.annotations![DecisionAnnotation.fleetRollback] = '{}';
    cm.metadata!.ownerReferences = [{ apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: 'support-bot', uid: 'old-uid', controller: true }];
    const next = withOwnedFields(cm, desired);
    expect(needsUpdate(next, desired)).toBe(false);
    expect(next.metadata?.labels?.['team']).toBe('support');
    expect(next.metadata?.annotations?.['argocd.argoproj.io/tracking-id']).toBe('x');
    expect(next.metadata?.annotations?.[DecisionAnnotation.fleetRollback]).toBeUndefined();
    expect(next.metadata?.ownerReferences).toEqual(desired.metadata?.ownerReferences);
    expect(next.metadata?.resourceVersion).toBe('981');
  });
});
