import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createRelayRouteValidator, loadCrdSchema, validateRelayRoute } from './schema.js';
import { routeValidatorModule } from './route-validator-codegen.js';

const GENERATED = fileURLToPath(new URL('./relayroute-validator.generated.ts', import.meta.url));

describe('the validator compiled ahead of time', () => {
  it('is crds/relayroute.yaml compiled by this ajv (UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = routeValidatorModule(loadCrdSchema());
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GENERATED, text);
    expect(existsSync(GENERATED), `${GENERATED} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(text === readFileSync(GENERATED, 'utf8'), `${GENERATED} is not crds/relayroute.yaml compiled by this ajv; run with UPDATE_GOLDEN=1`).toBe(true);
  });

  it('answers as the validator compiled at run time does: defaults, errors, CEL rules, list types', () => {
    const atRunTime = createRelayRouteValidator(loadCrdSchema());
    const example = parse(readFileSync(new URL('../../examples/route.yaml', import.meta.url), 'utf8')) as Record<string, any>;
    const spec = example.spec as Record<string, any>;
    const docs = [
      example,
      { ...example, spec: { official: spec.official, relay: spec.relay, models: spec.models } },
      { ...example, spec: { ...spec, canary: { weight: 101, stickyBy: 'cookie:x', restartedAt: 'yesterday' } } },
      { ...example, spec: { ...spec, relay: { baseURL: spec.official.baseURL, apiKeySecretRef: spec.relay.apiKeySecretRef } } },
      { ...example, spec: { ...spec, catalog: [{ name: 'a' }, { name: 'a', contextWindow: 2 ** 60 }], retry: { backoff: { base: '1h', max: '1s' } } } },
      { ...example, spec: { ...spec, limits: { maxRequestBytes: '10Gb' }, unknown: 1 }, metadata: { name: 'Not_A_Name' } },
      { ...example, kind: 'Other', spec: null },
    ];
    for (const doc of docs) expect(validateRelayRoute(doc)).toEqual(atRunTime(doc));
    expect(docs.filter((d) => !validateRelayRoute(d).ok)).toHaveLength(docs.length - 2);
  });
});
