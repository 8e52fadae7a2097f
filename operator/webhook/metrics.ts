/**
 * The webhook's Prometheus metrics, registered on the operator's Registry.
 * Labels are bounded: `reason` is a SkipCode (skip-reason.ts), `sidecar` is
 * native|container, `error` one of four values.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SkipCode } from './skip-reason.js';

export type ReviewError = 'not_admission_review' | 'too_large' | 'malformed_object' | 'internal';

export class WebhookMetrics {
  readonly injections: Counter<'sidecar'>;
  readonly skips: Counter<'reason'>;
  readonly errors: Counter<'error'>;
  readonly duration: Histogram;
  readonly certRotations: Counter<'what'>;

  constructor(registry: Registry) {
    this.injections = new Counter({
      name: 'bellwether_webhook_injections_total',
      help: 'Pods the webhook injected the sidecar into, by kind of sidecar (native: init container with restartPolicy Always, 1.29+; container: plain container).',
      labelNames: ['sidecar'] as const,
      registers: [registry],
    });
    this.skips = new Counter({
      name: 'bellwether_webhook_skips_total',
      help: 'Pods the webhook did not inject, by reason (a pod skipped for several reasons counts once per reason; already_injected: a second pass). The pod annotation bellwether.dev/skip-reason has the details.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'bellwether_webhook_review_errors_total',
      help: 'Admission requests the webhook could not review; every one of them admits the pod unchanged (or lets failurePolicy Ignore do so).',
      labelNames: ['error'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'bellwether_webhook_review_duration_seconds',
      help: 'Time from the admission request arriving to the response being written.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.certRotations = new Counter({
      name: 'bellwether_webhook_certificate_changes_total',
      help: 'Certificates this replica created or rotated in the webhook TLS Secret, or loaded after another replica did (what: ca|serving|loaded).',
      labelNames: ['what'] as const,
      registers: [registry],
    });
  }

  skipped(code: SkipCode | 'already_injected'): void {
    this.skips.inc({ reason: code });
  }
}
