/**
 * The seam where the admission webhook plugs into the operator process.
 * `operator/webhook/` (built separately) provides a `WebhookStarter`; main.ts
 * passes it to `runOperator`, which calls it once with the parsed flags.
 * Without one, the operator runs without a webhook (reconcile and fleet
 * status only) and says so in its log.
 */
import type { KubeConfig, V1ResourceRequirements } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface WebhookSettings {
  /** HTTPS port to serve AdmissionReviews on (--webhook-port, 9443). */
  port: number;
  /** Register the webhook by URL (operator outside the cluster), else by Service. */
  url?: string;
  /** --webhook-registration: who writes the MutatingWebhookConfiguration. */
  registration?: 'create' | 'ca-bundle' | 'none';
  /** --webhook-cert-dir: a mounted serving certificate instead of the operator's own CA. */
  certDir?: string;
  /** The operator's namespace: the webhook skips it, and keeps its CA Secret there. */
  namespace: string;
  /** This replica's name. */
  identity: string;
  sidecar: { image?: string; resources?: V1ResourceRequirements; logLevel: string };
}

export interface WebhookContext {
  kubeconfig: KubeConfig;
  log: Logger;
  /** The operator's metrics registry: register injection metrics here. */
  registry: Registry;
  /** Only the leader should write shared objects (the CA Secret, the MutatingWebhookConfiguration). */
  isLeader: () => boolean;
}

export interface WebhookHandle {
  /** Ready to answer AdmissionReviews (cert loaded). Counted in /readyz. */
  ready?(): boolean;
  close(): Promise<void>;
}

export type WebhookStarter = (settings: WebhookSettings, ctx: WebhookContext) => Promise<WebhookHandle>;
