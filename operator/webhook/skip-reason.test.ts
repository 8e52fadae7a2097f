import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { injectable, type InjectContext } from '../inject.js';
import { routeFixture } from '../testdata/fixtures.js';
import { skipCode, type SkipCode } from './skip-reason.js';

const route = routeFixture();
const ctx: InjectContext = {
  routes: [route],
  operatorNamespace: 'bellwether-system',
  serverVersion: 'v1.28.3',
  sidecar: { image: 'x', resources: {}, logLevel: 'info' },
};
const pod = (f: (p: V1Pod) => void = () => {}): V1Pod => {
  const p: V1Pod = { metadata: { namespace: 'shop', labels: { app: 'support-bot' }, annotations: {} }, spec: { containers: [{ name: 'app' }] } };
  f(p);
  return p;
};

describe('skipCode: every reason the pure core gives has a bounded code', () => {
  it.each<[SkipCode, V1Pod, Partial<InjectContext>]>([
    ['operator_namespace', pod((p) => (p.metadata!.namespace = 'bellwether-system')), {}],
    ['system_namespace', pod((p) => (p.metadata!.namespace = 'kube-public')), {}],
    ['opted_out', pod((p) => (p.metadata!.annotations!['bellwether.dev/inject'] = 'false')), {}],
    ['host_network', pod((p) => (p.spec!.hostNetwork = true)), {}],
    ['port_conflict', pod((p) => (p.spec!.containers[0]!.ports = [{ containerPort: 14000 }])), {}],
    ['volume_conflict', pod((p) => (p.spec!.volumes = [{ name: 'bellwether-route' }])), {}],
    ['no_native_sidecars', pod((p) => (p.spec!.restartPolicy = 'Never')), {}],
    ['no_route', pod(), { routes: [] }],
    ['several_routes', pod(), { routes: [route, routeFixture({ name: 'twin' })] }],
  ])('%s', (code, p, over) => {
    const reasons = injectable(p, { ...ctx, ...over }).reasons;
    expect(reasons).toHaveLength(1);
    expect(skipCode(reasons[0] as string)).toBe(code);
  });

  it('maps an unknown sentence to other', () => {
    expect(skipCode('the moon is full')).toBe('other');
  });
});
