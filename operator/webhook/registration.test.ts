import { describe, expect, it } from 'vitest';
import { toCaBundle, webhookConfiguration } from './registration.js';

const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

describe('webhookConfiguration', () => {
  it('registers through the Service, never blocking a pod', () => {
    const cfg = webhookConfiguration({ caBundle: pem, operatorNamespace: 'bellwether-system', service: { namespace: 'bellwether-system', name: 'bellwether-webhook', port: 443, path: '/mutate-pods' } });
    expect(cfg).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'bellwether-sidecar-injector', labels: { 'app.kubernetes.io/managed-by': 'bellwether' } },
      webhooks: [
        {
          name: 'inject.bellwether.dev',
          clientConfig: { service: { namespace: 'bellwether-system', name: 'bellwether-webhook', port: 443, path: '/mutate-pods' }, caBundle: Buffer.from(pem).toString('base64') },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
          failurePolicy: 'Ignore',
          matchPolicy: 'Equivalent',
          timeoutSeconds: 5,
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          reinvocationPolicy: 'IfNeeded',
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['bellwether-system', 'kube-system'] }] },
          objectSelector: { matchExpressions: [{ key: 'bellwether.dev/inject', operator: 'NotIn', values: ['false'] }] },
        },
      ],
    });
  });

  it('registers by URL in development', () => {
    const cfg = webhookConfiguration({ caBundle: 'QUJD', operatorNamespace: 'kube-system', url: 'https://127.0.0.1:9443/mutate-pods' });
    expect(cfg.webhooks?.[0]?.clientConfig).toEqual({ url: 'https://127.0.0.1:9443/mutate-pods', caBundle: 'QUJD' });
    expect(cfg.webhooks?.[0]?.namespaceSelector?.matchExpressions?.[0]?.values).toEqual(['kube-system']);
  });

  it('wants exactly one of url and service', () => {
    expect(() => webhookConfiguration({ caBundle: pem, operatorNamespace: 'x' })).toThrow(/exactly one/);
  });

  it('base64-encodes a PEM bundle and passes base64 through', () => {
    expect(toCaBundle(pem)).toBe(Buffer.from(pem).toString('base64'));
    expect(toCaBundle('QUJD')).toBe('QUJD');
  });
});
