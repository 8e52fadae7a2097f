/**
 * Only the leader writes: wraps a `KubeClient` so every write to the objects
 * the operator reconciles (status, rendered objects, Events) fails with
 * `NotLeader` unless `isLeader()` says yes at the moment of the call. The
 * check sits at the last step before the socket, so a replica that just lost
 * its Lease stops writing at once, even in the middle of a reconcile.
 * Reads and the Lease calls themselves pass through.
 */
import { KubeError, type KubeClient } from './client.js';

export class NotLeaderError extends KubeError {
  constructor() {
    super(0, 'NotLeader', 'not the leader: this replica does not write');
    this.name = 'NotLeaderError';
  }
}

export function leaderOnlyWrites(inner: KubeClient, isLeader: () => boolean): KubeClient {
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      isLeader() ? fn(...a) : Promise.reject(new NotLeaderError());
  return {
    ...inner,
    patchRouteStatus: guard(inner.patchRouteStatus),
    createOwned: guard(inner.createOwned) as KubeClient['createOwned'],
    replaceOwned: guard(inner.replaceOwned) as KubeClient['replaceOwned'],
    deleteOwned: guard(inner.deleteOwned),
    createEvent: guard(inner.createEvent),
    patchEvent: guard(inner.patchEvent),
  };
}
