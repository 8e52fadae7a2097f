/**
 * The operator process's webhook: adapts `startWebhook` to the seam
 * `runOperator` calls (webhook-starter.ts) with the parsed flags. Every
 * replica serves the webhook; registration writes are idempotent, so leader
 * and followers may all make them.
 */
import type { WebhookStarter } from '../webhook-starter.js';
import { DEFAULT_SIDECAR_IMAGE } from '../kubectl-relay/cli.js';
import { startWebhook } from './index.js';

/** Requests sized from the bench (idle ~80 MiB RSS; 1,000 open streams ~110 MiB with --max-semi-space-size=2). */
const DEFAULT_RESOURCES = { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } };

export const webhookStarter: WebhookStarter = async (settings, ctx) => {
  const webhook = await startWebhook({
    kube: ctx.kubeconfig,
    namespace: settings.namespace,
    port: settings.port,
    ...(settings.url ? { url: settings.url } : {}),
    ...(settings.registration ? { registration: settings.registration } : {}),
    ...(settings.certDir !== undefined ? { certDir: settings.certDir } : {}),
    serviceName: 'bellwether-webhook',
    sidecar: {
      image: settings.sidecar.image ?? DEFAULT_SIDECAR_IMAGE,
      resources: settings.sidecar.resources ?? DEFAULT_RESOURCES,
      logLevel: settings.sidecar.logLevel,
    },
    log: ctx.log,
    registry: ctx.registry,
  });
  return { ready: () => webhook.ready(), close: () => webhook.close() };
};
