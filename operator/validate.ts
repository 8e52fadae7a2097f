/**
 * Checks for specs the CRD schema lets through but that cannot work, or not
 * as meant. Pure: the route and what the namespace holds in, conditions and
 * Events out — never an exception, so a bad spec shows up in
 * `kubectl describe rr`, not as a crash loop.
 *
 * | problem | effect | Ready | phase |
 * | --- | --- | --- | --- |
 * | name longer than 63 characters | it cannot be a label value on the rendered objects | False `NameTooLong` | Invalid |
 * | selector can select pods another route selects | the webhook injects neither into such pods | False `SelectorOverlap` | Invalid |
 * | relay Secret or key missing | sidecars start (the volume is optional) and send everything to the official API | False `SecretNotFound` / `SecretKeyNotFound` | unchanged |
 * | official Secret or key missing | official requests go out without a key and are refused | False, as above | unchanged |
 * | Redis password Secret (spec.cache.redis.passwordSecretRef) or key missing | the sidecars run without the response cache (`cache.state: auth_missing`, every lookup a miss) and connect once it appears | False, as above | unchanged |
 * | a model in spec.models missing from a non-empty spec.catalog | traffic flows; its cost and savings are not counted, and it is never skipped for size | True `CatalogIncomplete` | unchanged |
 * | a spec.budget.models cap on a model without a catalog price | its spend is never counted, so the cap is never reached | True `BudgetModelUnpriced` | unchanged |
 *
 * The catalog check runs only when the catalog is non-empty: an empty catalog
 * is a choice (no cost accounting, no size skipping), while a catalog that
 * lists some models but not one the chain uses is almost always a typo
 * (`deepseek_chat` for `deepseek-chat`) — and a typo in a chain means the
 * relay is asked for a model it does not have.
 *
 * Events are returned only for problems the route's current Ready condition
 * does not already report, so a reconcile loop records each problem once.
 */
import { Events, type EventRecord } from './events.js';
import { MAX_ROUTE_NAME } from './names.js';
import { ConditionType, findCondition, generationOf, type ConditionInput, type RelayRoute, type SecretRef } from './route.js';
import { overlaps } from './selector.js';
import { redisPasswordRef } from './sidecar-spec.js';

export interface ValidationContext {
  /** The RelayRoutes in the route's namespace (the route itself is skipped, by name). */
  routes: readonly RelayRoute[];
  /** The namespace's Secrets: name → the keys of its `data`. */
  secrets: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface RouteCheck {
  /** Phase Invalid: pods cannot get a sidecar from this spec. */
  invalid: boolean;
  /** Ready and SecretFound. */
  conditions: ConditionInput[];
  /** Events for problems not reported before. */
  events: EventRecord[];
}

interface Problem {
  reason: string;
  event: EventRecord;
  invalid?: boolean;
  /** Counts against Ready (false: a warning that leaves Ready True). */
  blocking: boolean;
  secret?: boolean;
}

function secretProblem(ref: SecretRef, field: string, effect: string, secrets: ValidationContext['secrets']): Problem | undefined {
  const keys = secrets.get(ref.name);
  if (keys === undefined) {
    return { reason: 'SecretNotFound', event: Events.secretNotFound(field, ref.name, effect), blocking: true, secret: true };
  }
  if (!keys.has(ref.key)) {
    return { reason: 'SecretKeyNotFound', event: Events.secretKeyNotFound(field, ref.name, ref.key, [...keys].sort(), effect), blocking: true, secret: true };
  }
  return undefined;
}

export function checkRoute(route: RelayRoute, context: ValidationContext): RouteCheck {
  const { spec, metadata } = route;
  const problems: Problem[] = [];

  if (metadata.name.length > MAX_ROUTE_NAME) {
    problems.push({ reason: 'NameTooLong', event: Events.nameTooLong(metadata.name, MAX_ROUTE_NAME), blocking: true, invalid: true });
  }

  const others = context.routes
    .filter((r) => r.metadata.name !== metadata.name && r.metadata.deletionTimestamp === undefined)
    .filter((r) => overlaps(spec.selector, r.spec.selector))
    .map((r) => r.metadata.name)
    .sort();
  if (others.length > 0) problems.push({ reason: 'SelectorOverlap', event: Events.selectorOverlap(others), blocking: true, invalid: true });

  const relay = secretProblem(
    spec.relay.apiKeySecretRef,
    'spec.relay.apiKeySecretRef',
    'until it does, the sidecars have no relay key and send every request to the official API',
    context.secrets,
  );
  if (relay) problems.push(relay);
  if (spec.official.apiKeySecretRef) {
    const official = secretProblem(
      spec.official.apiKeySecretRef,
      'spec.official.apiKeySecretRef',
      'until it does, requests to the official API go out without a key and are refused',
      context.secrets,
    );
    if (official) problems.push(official);
  }
  const redisPassword = redisPasswordRef(route);
  if (redisPassword) {
    const redis = secretProblem(
      redisPassword,
      'spec.cache.redis.passwordSecretRef',
      'until it does, the sidecars run without the response cache (cache.state auth_missing: every lookup a miss) and connect once it appears',
      context.secrets,
    );
    if (redis) problems.push(redis);
  }

  const catalog = new Set((spec.catalog ?? []).map((c) => c.name));
  if (catalog.size > 0) {
    const used = spec.models.flatMap((m) => [...m.chain, ...(m.official ? [m.official] : [])]);
    const missing = [...new Set(used)].filter((m) => !catalog.has(m));
    if (missing.length > 0) problems.push({ reason: 'CatalogIncomplete', event: Events.modelsNotInCatalog(missing), blocking: false });
  }

  const priced = new Set((spec.catalog ?? []).filter((c) => c.price !== undefined).map((c) => c.name));
  const unpriced = (spec.budget?.models ?? []).map((m) => m.name).filter((m) => !priced.has(m));
  if (unpriced.length > 0) problems.push({ reason: 'BudgetModelUnpriced', event: Events.budgetModelsUnpriced(unpriced), blocking: false });

  const generation = generationOf(route);
  const blocking = problems.filter((p) => p.blocking);
  const secrets = problems.filter((p) => p.secret);
  const message = (ps: Problem[]) => ps.map((p) => p.event.message).join('; ');
  const ready: ConditionInput =
    blocking.length > 0
      ? { type: ConditionType.Ready, status: 'False', reason: (blocking[0] as Problem).reason, message: message(problems), observedGeneration: generation }
      : problems.length > 0
        ? { type: ConditionType.Ready, status: 'True', reason: (problems[0] as Problem).reason, message: message(problems), observedGeneration: generation }
        : { type: ConditionType.Ready, status: 'True', reason: 'Valid', message: 'The spec is usable.', observedGeneration: generation };
  const secretFound: ConditionInput =
    secrets.length > 0
      ? { type: ConditionType.SecretFound, status: 'False', reason: (secrets[0] as Problem).reason, message: message(secrets), observedGeneration: generation }
      : { type: ConditionType.SecretFound, status: 'True', reason: 'Found', message: 'Every referenced Secret and key exists.', observedGeneration: generation };

  const reported = findCondition(route.status?.conditions, ConditionType.Ready)?.message ?? '';
  return {
    invalid: problems.some((p) => p.invalid),
    conditions: [ready, secretFound],
    events: problems.filter((p) => !reported.includes(p.event.message)).map((p) => p.event),
  };
}
