/**
 * `--webhook-cert-dir`: serve a certificate someone else issues and renews —
 * cert-manager's Certificate, mounted from its Secret — instead of the
 * operator's own CA (certs.ts). The directory holds the Secret's keys as
 * files: `tls.crt`, `tls.key` and, from cert-manager, `ca.crt`. The kubelet
 * swaps the files when the Secret changes; the webhook re-reads them every
 * minute and hot-swaps the served certificate. Nothing is written anywhere.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebhookCertificates } from './certs.js';

/** How often a mounted certificate is re-read (cert-manager renews a third of the validity before expiry). */
export const CERT_DIR_RECHECK_MS = 60_000;

async function optional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Reads `tls.crt`, `tls.key` and (if present) `ca.crt`; the caBundle is `ca.crt`, empty without it. */
export async function readCertDir(dir: string): Promise<WebhookCertificates> {
  const [certPem, keyPem, caPem] = await Promise.all([optional(join(dir, 'tls.crt')), optional(join(dir, 'tls.key')), optional(join(dir, 'ca.crt'))]);
  if (certPem === undefined || keyPem === undefined) throw new Error(`--webhook-cert-dir ${dir}: needs tls.crt and tls.key (a kubernetes.io/tls Secret mounted as a volume)`);
  return { certPem, keyPem, caPem: caPem ?? '', caBundlePem: caPem ?? '', changes: [] };
}
