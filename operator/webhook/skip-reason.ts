/**
 * The pure core's skip reasons (inject.ts: sentences with names in them, for
 * the `bellwether.dev/skip-reason` annotation) → bounded metric label values.
 * A table, not branches; a reason no row matches is `other`, so a new reason
 * in inject.ts never makes an unbounded label (skip-reason.test.ts runs every
 * golden request through it and fails on `other`).
 */

export type SkipCode =
  | 'operator_namespace'
  | 'system_namespace'
  | 'opted_out'
  | 'host_network'
  | 'port_conflict'
  | 'volume_conflict'
  | 'no_native_sidecars'
  | 'no_route'
  | 'several_routes'
  | 'other';

const TABLE: ReadonlyArray<readonly [RegExp, SkipCode]> = [
  [/^pod is in the operator's namespace/, 'operator_namespace'],
  [/^pod is in the system namespace/, 'system_namespace'],
  [/^annotation \S+ is "false"/, 'opted_out'],
  [/^pod uses the host network/, 'host_network'],
  [/already uses port \d+$/, 'port_conflict'],
  [/^pod already has a volume named/, 'volume_conflict'],
  [/no native sidecars/, 'no_native_sidecars'],
  [/^no RelayRoute selects this pod$/, 'no_route'],
  [/^RelayRoutes .* select this pod/, 'several_routes'],
];

export function skipCode(reason: string): SkipCode {
  return TABLE.find(([re]) => re.test(reason))?.[1] ?? 'other';
}
