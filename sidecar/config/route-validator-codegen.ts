/**
 * Writes the RelayRoute validator ahead of time: the CRD's schema (as
 * schema.ts `documentSchema` wraps it) compiled by ajv into a standalone
 * module, relayroute-validator.generated.ts, which the sidecar imports
 * instead of loading ajv and the CRD file and compiling at every start.
 *
 * The generated module exports `validate` (ajv's function: types, bounds,
 * patterns, defaults) and `schema` (the document schema the CEL rules and
 * list types are checked against, without its descriptions). It needs
 * ajv's small runtime helpers (`ajv/dist/runtime/*`), not ajv itself.
 *
 * Not used at run time: route-validator.test.ts compares its output with the
 * committed file, and rewrites the file with UPDATE_GOLDEN=1.
 */
import { createRequire } from 'node:module';
import { documentSchema, newAjv, type OpenAPISchema } from './schema.js';
import { isRecord } from '../json-value.js';

export const GENERATED_HEADER = `// @ts-nocheck
// GENERATED from crds/relayroute.yaml by sidecar/config/route-validator-codegen.ts: do not edit.
// After changing the CRD (or ajv): UPDATE_GOLDEN=1 npx vitest run sidecar/config/route-validator.test.ts
`;

export function routeValidatorModule(crdSchema: OpenAPISchema): string {
  const require = createRequire(import.meta.url);
  const { _ } = require('ajv') as typeof import('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
  const schema = withoutDescriptions(documentSchema(crdSchema)) as OpenAPISchema;
  const ajv = newAjv({ code: { source: true, esm: true, lines: true, formats: _`FORMATS` } });
  const code = standaloneCode(ajv, ajv.compile(schema)).replace(/^"use strict";\n?/, '');
  // ajv's module holds the schema already (`const schemaN = {…}`): export that one.
  const json = JSON.stringify(schema);
  const own = code.split('\n').find((line) => /^const schema\d+ = /.test(line) && line.endsWith(` = ${json};`));
  return [
    GENERATED_HEADER,
    "import { createRequire } from 'node:module';",
    "import { FORMATS } from './route-formats.js';",
    '',
    'const require = createRequire(import.meta.url);',
    own ? `export { ${/^const (schema\d+)/.exec(own)![1]} as schema };` : `export const schema = ${json};`,
    code,
  ].join('\n');
}

/** A schema without `description`s (documentation only: they do not change what validates). */
function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (!isRecord(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, withoutDescriptions(v)]));
}
