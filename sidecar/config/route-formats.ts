/**
 * The `format`s the RelayRoute CRD uses, for ajv: shared by the validator
 * compiled at run time (schema.ts `createRelayRouteValidator`) and the one
 * compiled ahead of time (relayroute-validator.generated.ts imports this
 * module by name).
 */
export const FORMATS = {
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
  int64: { type: 'number', validate: (n: number): boolean => Number.isSafeInteger(n) },
} as const;
