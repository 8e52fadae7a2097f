/**
 * `kubectl relay` help texts and the usage error (exit code 2). One place, so
 * `--help` and a wrong argument say the same thing.
 */

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

const GLOBAL = `Global options:
  -n, --namespace NS     the namespace (default: the context's, else "default")
      --kubeconfig FILE  kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
      --context NAME     kubeconfig context to use
  -h, --help             help for the command`;

export const HELP: Record<string, string> = {
  '': `kubectl relay — inspect and steer bellwether RelayRoutes.

Usage:
  kubectl relay COMMAND [options]

Commands:
  status ROUTE                 sides, weights, phase, breakers, pods, cost and the last Events
  weight ROUTE PERCENT         set spec.canary.weight (0-100)
  resume ROUTE                 bump spec.canary.restartedAt: lifts a rollback, restarts the steps
  rollback ROUTE --reason TXT  set the weight to 0 by hand, recorded as an annotation and an Event
  inject -f FILE               add the sidecar to workload manifests offline (clusters without webhooks)

${GLOBAL}

Exit codes: 0 ok, 1 error, 2 usage.`,
  status: `Show how a RelayRoute is doing, like kubectl describe.

Usage:
  kubectl relay status ROUTE [-n NS] [--events N]

Options:
      --events N         how many of the route's latest Events to show (default 10)

${GLOBAL}`,
  weight: `Set the canary weight: the percent of traffic the sidecars send to the relay.
With spec.canary.steps it is the cap the operator steps up to. A new weight is a
new generation, which also lifts a rollback.

Usage:
  kubectl relay weight ROUTE PERCENT [-n NS]

${GLOBAL}`,
  resume: `Resume a route: set spec.canary.restartedAt to now (RFC 3339). The new
generation lifts a rollback and restarts the canary steps from the first.

Usage:
  kubectl relay resume ROUTE [-n NS]

${GLOBAL}`,
  rollback: `Roll a route back by hand: spec.canary.weight 0, recorded in the annotation
bellwether.dev/manual-rollback (reason, time, previous weight) and a Warning
Event ManualRollback. Undo with: kubectl relay weight ROUTE PERCENT.

Usage:
  kubectl relay rollback ROUTE --reason TEXT [-n NS]

Options:
      --reason TEXT      why (required); shows in the annotation and the Event

${GLOBAL}`,
  inject: `Add the bellwether sidecar to manifests offline, with the webhook's own
injection (Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs,
CronJobs; other documents pass through). Prints YAML to stdout. Already injected
templates are left as they are, so running it twice changes nothing.

Usage:
  kubectl relay inject -f FILE [--route FILE]... [options]

Options:
  -f, --filename FILE       manifests, multi-document YAML; "-" reads stdin (repeatable)
      --route FILE          RelayRoutes from a file instead of the cluster (fully offline; repeatable)
      --server-version V    Kubernetes version of the target cluster, e.g. 1.28 (default: the
                            cluster's; offline: 1.29, a native sidecar)
      --image IMAGE         sidecar image (default ghcr.io/bellwether/sidecar:VERSION)
      --log-level LEVEL     sidecar log level (default info)
      --cpu-request Q       sidecar CPU request (default 50m)
      --memory-request Q    sidecar memory request (default 64Mi)
      --memory-limit Q      sidecar memory limit (default 128Mi)
      --operator-namespace NS  never inject there (default bellwether-system)

${GLOBAL}`,
};
