/**
 * Validates a RelayRoute document against the CRD's own OpenAPI schema
 * (crds/relayroute.yaml, the one source), the way the API server would:
 *
 * - ajv checks types, bounds and patterns and applies the CRD's defaults;
 * - unknown fields are errors, like kubectl's default strict field validation;
 * - `x-kubernetes-list-type: map|set` uniqueness is checked (ajv has no notion of it);
 * - every `x-kubernetes-validations` CEL rule is evaluated with
 *   @marcbachmann/cel-js and reported with the CRD's own `message`.
 *
 * Errors read like kubectl's: `spec.canary.weight: must be <= 100`.
 *
 * The sidecar's own route files go through a validator compiled ahead of
 * time from crds/relayroute.yaml (relayroute-validator.generated.ts, kept
 * current by route-validator.test.ts): ajv and the CRD file are not loaded
 * at run time, which keeps ~10 MiB out of every sidecar (bench/README.md,
 * "Memory"). `createRelayRouteValidator` compiles another schema at run time
 * (the tests, the chart's copy of the CRD); it loads ajv when first called.
 *
 * Finding the CRD: `defaultCrdUrl()` tries `../../crds/relayroute.yaml` (from
 * sidecar/config/*.ts) and then `../../../crds/relayroute.yaml` (from
 * dist/sidecar/config/*.js) relative to this module; a packaging that puts it
 * elsewhere calls `createRelayRouteValidator(loadCrdSchema(path))`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Format, Options, ValidateFunction } from 'ajv';
import { parse as parseCel, type ParseResult } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';
import { DURATION_HINT, DURATION_PATTERN } from './duration.js';
import { QUANTITY_HINT, QUANTITY_PATTERN } from './quantity.js';
import { isRecord } from '../json-value.js';
import { FORMATS } from './route-formats.js';
import * as precompiled from './relayroute-validator.generated.js';
import type { CacheSpec } from '../cache/spec.js';
import type { ShadowSpec } from '../shadow/policy.js';
import type { BudgetSpec } from '../spend/policy.js';

export const API_VERSION = 'bellwether.dev/v1alpha1';
export const KIND = 'RelayRoute';

export interface SecretRefSpec { name: string; key: string }
export interface UpstreamSpec { baseURL: string; apiKeySecretRef?: SecretRefSpec }
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** `spec` after validation: every defaulted field is present. */
export interface RelayRouteSpec {
  selector?: LabelSelectorSpec;
  official: UpstreamSpec;
  relay: UpstreamSpec & { apiKeySecretRef: SecretRefSpec };
  models: { match: string[]; chain: string[]; official?: string }[];
  catalog?: { name: string; contextWindow?: number; price?: { input: number; output: number; cachedInput?: number } }[];
  canary: { weight: number; stickyBy?: string; fallbackToOfficial: boolean; restartedAt?: string; mode?: 'canary' | 'fallbackOnly' };
  rollback: { window: string; minRequests: number; maxErrorRate: number; maxP99Latency: string; action: 'rollback' | 'alert' };
  /** `on` holds status codes as numbers or strings (`429`, `'503'`) and `'connect-error'`, `'timeout'`. */
  retry: { attempts: number; backoff: { base: string; max: string }; retryOn: (number | string)[] };
  timeouts: { connect: string; firstByte: string; idle: string; total: string };
  circuitBreaker: { consecutiveFailures: number; cooldown: string };
  limits: { maxRequestBytes: number | string; maxConcurrent: number };
  cache?: CacheSpec;
  shadow?: ShadowSpec;
  budget?: BudgetSpec;
}

/** A RelayRoute that passed `validateRelayRoute`, with the CRD's defaults applied. */
export interface ValidatedRelayRoute {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: { name: string; namespace?: string; generation?: number; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: RelayRouteSpec;
  status?: Record<string, unknown>;
}

export type ValidationResult = { ok: true; doc: ValidatedRelayRoute } | { ok: false; errors: string[] };

/** An OpenAPI v3 schema node as it appears in the CRD. */
export type OpenAPISchema = { [keyword: string]: unknown };
type Schema = OpenAPISchema;
/** Kubernetes 1.26's x-kubernetes-validations: a rule and its message (which names the field). */
interface CelRule { rule: string; message: string }

/**
 * Locates crds/relayroute.yaml relative to `moduleUrl` (this module): `../../`
 * from sidecar/config/schema.ts, then `../../../` from dist/sidecar/config/schema.js.
 */
export function defaultCrdUrl(moduleUrl: string | URL = import.meta.url): URL {
  const candidates = ['../../crds/relayroute.yaml', '../../../crds/relayroute.yaml'].map((p) => new URL(p, moduleUrl));
  const found = candidates.find((url) => existsSync(url));
  if (found === undefined) throw new Error(`crds/relayroute.yaml not found; looked at ${candidates.join(', ')}`);
  return found;
}

/** Reads the CRD file and returns the v1alpha1 `openAPIV3Schema`. */
export function loadCrdSchema(path: string | URL = defaultCrdUrl()): OpenAPISchema {
  const crd = parseYaml(readFileSync(path, 'utf8')) as {
    spec?: { versions?: { name: string; schema?: { openAPIV3Schema?: Schema } }[] };
  };
  const schema = crd.spec?.versions?.find((v) => v.name === 'v1alpha1')?.schema?.openAPIV3Schema;
  if (schema === undefined) throw new Error(`${String(path)}: no v1alpha1 openAPIV3Schema`);
  return schema;
}

/**
 * ajv set up for the CRD schema (its options, the Kubernetes keywords, the
 * formats), loaded on first use. `extra`: more options (route-validator-codegen.ts
 * adds `code`).
 */
export function newAjv(extra: Options = {}): Ajv {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false, strictTuples: false, ...extra });
  for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword({ keyword });
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format as Format);
  return ajv;
}

/** Builds a validator for whole RelayRoute documents from the CRD's openAPIV3Schema (compiled now, with ajv). */
export function createRelayRouteValidator(crdSchema: OpenAPISchema): (doc: unknown) => ValidationResult {
  const schema = documentSchema(crdSchema);
  return validatorFor(schema, newAjv().compile(schema));
}

/** The whole check: ajv's `validate` for `schema` (defaults included), then the CEL rules and list types. */
function validatorFor(schema: Schema, validate: ValidateFunction): (doc: unknown) => ValidationResult {
  const programs = compileCelRules(schema);

  return (input) => {
    let doc: unknown;
    try {
      doc = structuredClone(input);
    } catch (err) {
      return { ok: false, errors: [`(root): not a plain data document: ${(err as Error).message}`] };
    }
    dropNulls(schema, doc);
    const schemaValid = validate(doc);
    const errors = (validate.errors ?? []).map(formatAjvError);
    kubernetesChecks(schema, doc, [], { programs, schemaValid, errors });
    if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
    return { ok: true, doc: doc as ValidatedRelayRoute };
  };
}

let defaultValidator: ((doc: unknown) => ValidationResult) | undefined;

/**
 * Validates a parsed RelayRoute (apiVersion, kind, metadata.name, spec) against
 * crds/relayroute.yaml, through the validator compiled from it ahead of time.
 * Returns a defaulted deep copy; the input is never mutated.
 */
export function validateRelayRoute(doc: unknown): ValidationResult {
  defaultValidator ??= validatorFor(precompiled.schema as Schema, precompiled.validate as unknown as ValidateFunction);
  return defaultValidator(doc);
}

const KUBERNETES_KEYWORDS = [
  'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
  'x-kubernetes-validations', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
];

/** The CRD schema as ajv should see it, wrapped to check apiVersion, kind and metadata too. */
export function documentSchema(crdSchema: Schema): Schema {
  const root = forAjv(crdSchema);
  const properties = root.properties as Record<string, Schema>;
  const dnsLabel = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
  return {
    ...root,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      ...properties,
      apiVersion: { type: 'string', const: API_VERSION },
      kind: { type: 'string', const: KIND },
      metadata: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', maxLength: 253, pattern: `^${dnsLabel}(\\.${dnsLabel})*$` },
          namespace: { type: 'string', maxLength: 63, pattern: `^${dnsLabel}$` },
          generation: { type: 'integer', minimum: 1 },
          // The operator's decisions travel as annotations (decisions.ts); labels for people.
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  };
}

/** Int-or-string becomes a union type; objects with properties refuse unknown fields. */
function forAjv(node: Schema): Schema {
  const out: Schema = { ...node };
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  if (isRecord(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, forAjv(v as Schema)]));
    if (out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (isRecord(out.items)) out.items = forAjv(out.items);
  if (isRecord(out.additionalProperties)) out.additionalProperties = forAjv(out.additionalProperties);
  return out;
}

/** Every CEL rule in the schema, with its compiled program. Throws if one does not parse. */
function compileCelRules(node: unknown, programs = new Map<string, ParseResult>()): Map<string, ParseResult> {
  if (!isRecord(node)) return programs;
  for (const rule of (node['x-kubernetes-validations'] ?? []) as CelRule[]) {
    if (!programs.has(rule.rule)) programs.set(rule.rule, parseCel(rule.rule));
  }
  for (const child of [node.items, node.additionalProperties, ...Object.values(node.properties ?? {})]) {
    compileCelRules(child, programs);
  }
  return programs;
}

interface CheckContext { programs: Map<string, ParseResult>; schemaValid: boolean; errors: string[] }

/** The checks ajv cannot do: CEL rules and list-type uniqueness, walked over schema and data together. */
function kubernetesChecks(schema: Schema, value: unknown, path: string[], ctx: CheckContext): void {
  if (value === undefined) return;
  for (const rule of (schema['x-kubernetes-validations'] ?? []) as CelRule[]) {
    try {
      const program = ctx.programs.get(rule.rule) as ParseResult;
      if (program({ self: toCel(schema, value) }) !== true) ctx.errors.push(`${formatPath(path)}: ${rule.message}`);
    } catch (err) {
      // On data that already failed the schema a rule may not evaluate; that data is reported already.
      if (ctx.schemaValid) ctx.errors.push(`${formatPath(path)}: rule ${JSON.stringify(rule.rule)} failed: ${celSummary(err)}`);
    }
  }
  if (Array.isArray(value)) {
    checkListType(schema, value, path, ctx.errors);
    const items = schema.items;
    if (isRecord(items)) value.forEach((item, i) => kubernetesChecks(items, item, [...path, String(i)], ctx));
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = childSchema(schema, key);
      if (sub !== undefined) kubernetesChecks(sub, child, [...path, key], ctx);
    }
  }
}

/**
 * Removes `field: null` where the schema does not say `nullable`, as the API
 * server does before defaulting: an emptied `retry:` in YAML gets the defaults.
 */
function dropNulls(schema: Schema | undefined, value: unknown): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) value.forEach((item) => dropNulls(schema.items as Schema | undefined, item));
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const sub = childSchema(schema, key);
    if (child === null && sub !== undefined && sub.nullable !== true) delete value[key];
    else dropNulls(sub, child);
  }
}

function checkListType(schema: Schema, list: unknown[], path: string[], errors: string[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'map' && listType !== 'set') return;
  const keys = (schema['x-kubernetes-list-map-keys'] ?? []) as string[];
  const identity = (item: unknown) =>
    listType === 'set' ? JSON.stringify(item) : keys.map((k) => `${k} ${JSON.stringify(isRecord(item) ? item[k] : undefined)}`).join(', ');
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const id = identity(item);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else errors.push(`${formatPath([...path, String(i)])}: duplicate entry: ${id} is already used by ${formatPath([...path, String(first)])}`);
  });
}

/** Converts data to what CEL sees in Kubernetes: integer fields become ints (BigInt), others stay. */
function toCel(schema: Schema | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => toCel(schema.items as Schema | undefined, item));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(childSchema(schema, k), v)]));
  const integral = schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'));
  return integral && Number.isSafeInteger(value) ? BigInt(value as number) : value;
}

function childSchema(schema: Schema, key: string): Schema | undefined {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties !== undefined && Object.hasOwn(properties, key)) return properties[key];
  return isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

function formatAjvError(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${formatPath([...path, String(params.additionalProperty)])}: unknown field`;
    case 'const':
      return `${formatPath(path)}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${formatPath(path)}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${formatPath(path)}: must be ${([] as unknown[]).concat(params.type).join(' or ')}`;
    case 'pattern':
      if (params.pattern === DURATION_PATTERN) return `${formatPath(path)}: must be ${DURATION_HINT}`;
      if (params.pattern === QUANTITY_PATTERN) return `${formatPath(path)}: must be ${QUANTITY_HINT}`;
  }
  return `${formatPath(path)}: ${error.message ?? error.keyword}`;
}

/** `['spec', 'models', '0', 'chain']` → `spec.models[0].chain`; odd map keys go in brackets. */
export function formatPath(segments: readonly string[]): string {
  if (segments.length === 0) return '(root)';
  return segments
    .map((s, i) => (/^\d+$/.test(s) || !/^[A-Za-z_][\w-]*$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

function celSummary(err: unknown): string {
  return ((err as { summary?: string }).summary ?? (err as Error).message ?? String(err)).split('\n')[0] as string;
}

