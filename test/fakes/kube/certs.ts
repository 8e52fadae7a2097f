/**
 * A throwaway CA and a serving certificate for 127.0.0.1/localhost, made with
 * the `openssl` binary (test support only: the fake's TLS mode and webhook
 * tests). Node can make keys but not X.509 certificates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  cert: string;
  key: string;
}
export interface TestPki {
  ca: Pem;
  server: Pem;
  /** The CA certificate base64-encoded, as a webhook's `caBundle` or a kubeconfig's `certificate-authority-data`. */
  caBundle: string;
}

export function makeTestPki(opts: { commonName?: string; dnsNames?: string[]; ips?: string[] } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-pki-'));
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=fake-kube-test-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    ssl('req', ...ec, '-keyout', f('tls.key'), '-out', f('tls.csr'), '-subj', `/CN=${opts.commonName ?? 'localhost'}`);
    const sans = [...(opts.dnsNames ?? ['localhost']).map((d) => `DNS:${d}`), ...(opts.ips ?? ['127.0.0.1']).map((i) => `IP:${i}`)];
    writeFileSync(f('ext.cnf'), `subjectAltName=${sans.join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
    ssl('x509', '-req', '-in', f('tls.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('tls.crt'), '-days', '2', '-extfile', f('ext.cnf'));
    const ca = { cert: readFileSync(f('ca.crt'), 'utf8'), key: readFileSync(f('ca.key'), 'utf8') };
    return { ca, server: { cert: readFileSync(f('tls.crt'), 'utf8'), key: readFileSync(f('tls.key'), 'utf8') }, caBundle: Buffer.from(ca.cert).toString('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
