/** EventRecorder against the fake API server: a repeated Event bumps count, like client-go's recorder. */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../sidecar/clock.js';
import { clientNodeKube } from '../../operator/kube/client-node.js';
import { EventRecorder } from '../../operator/kube/recorder.js';
import { Events } from '../../operator/events.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, createRoute, fakeKube } from './harness.js';

let kube: FakeKube;
afterEach(() => kube.close());

describe('EventRecorder', () => {
  it('creates an Event once and counts repeats; a different message is a new Event', async () => {
    kube = await fakeKube();
    const route = await createRoute(kube, 'bot');
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const rec = new EventRecorder(clientNodeKube(kube.kubeconfig), clock, 'op-1');
    const e = Events.weightChanged(25, 50, 'generation 2: spec.canary.weight 50%');
    await rec.record(route, e);
    clock.advance(60_000);
    await rec.record(route, e);
    await rec.record(route, Events.promoted(100));
    const events = kube.events(NS) as unknown as Array<Record<string, unknown>>;
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      reason: 'WeightChanged',
      type: 'Normal',
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:01:00Z',
      involvedObject: { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: 'bot', namespace: NS, uid: route.metadata.uid },
      source: { component: 'bellwether-operator', host: 'op-1' },
      reportingComponent: 'bellwether.dev/operator',
      reportingInstance: 'op-1',
    });
    expect(events[1]).toMatchObject({ reason: 'Promoted', count: 1 });
  });
});
