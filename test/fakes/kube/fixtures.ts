/**
 * A small CRD shaped like RelayRoute (bellwether.dev/v1alpha1 relayroutes, status
 * subresource, defaults, bounds, an enum) so the fake's own tests do not break
 * when crds/relayroute.yaml evolves; crd.test.ts also loads the real file.
 */
export const TEST_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'relayroutes.bellwether.dev' },
  spec: {
    group: 'bellwether.dev',
    scope: 'Namespaced',
    names: { kind: 'RelayRoute', listKind: 'RelayRouteList', plural: 'relayroutes', singular: 'relayroute', shortNames: ['rr'] },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['relay'],
                properties: {
                  relay: { type: 'object', required: ['baseURL'], properties: { baseURL: { type: 'string', pattern: '^https?://', maxLength: 64 } } },
                  models: { type: 'array', maxItems: 3, items: { type: 'string' } },
                  canary: {
                    type: 'object',
                    default: {},
                    properties: {
                      weight: { type: 'integer', minimum: 0, maximum: 100, default: 0 },
                      fallbackToOfficial: { type: 'boolean', default: true },
                    },
                  },
                  rollback: {
                    type: 'object',
                    default: {},
                    properties: { action: { type: 'string', enum: ['rollback', 'alert'], default: 'rollback' }, window: { type: 'string', default: '15m' } },
                  },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              status: {
                type: 'object',
                properties: {
                  observedGeneration: { type: 'integer', format: 'int64' },
                  phase: { type: 'string', enum: ['Pending', 'Progressing', 'RolledBack'] },
                  effectiveWeight: { type: 'integer', minimum: 0, maximum: 100 },
                },
              },
            },
          },
        },
      },
    ],
  },
};

export const route = (name: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'bellwether.dev/v1alpha1',
  kind: 'RelayRoute',
  metadata: { name },
  spec: { relay: { baseURL: 'https://relay.example/v1' }, ...spec },
});
