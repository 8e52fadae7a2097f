// The `helm test` check (templates/tests/operator-test.yaml runs it with the
// operator image's node). Passes when the operator answers /readyz through its
// Service and the webhook Service answers TLS, with a certificate valid for its
// DNS name, and /healthz 200. Exit 0 on success, 1 with a FAIL line otherwise.
const https = require('node:https');
const tls = require('node:tls');

const { READY_URL, WEBHOOK_URL, WEBHOOK_NAME } = process.env;

async function ready() {
  const res = await fetch(READY_URL, { signal: AbortSignal.timeout(5000) });
  const body = (await res.text()).trim();
  if (res.status !== 200) throw new Error(`operator ${READY_URL}: ${res.status} ${body}`);
  console.log(`ok: operator ${READY_URL}: 200 ${body}`);
}

function webhook() {
  const u = new URL(WEBHOOK_URL);
  return new Promise((resolve, reject) => {
    // The CA is checked by the API server (caBundle); here: TLS up, right name, healthy.
    const req = https.get({ host: u.hostname, port: u.port || 443, path: u.pathname, servername: WEBHOOK_NAME, rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      const err = tls.checkServerIdentity(WEBHOOK_NAME, res.socket.getPeerCertificate());
      if (err) return reject(new Error(`webhook ${WEBHOOK_URL}: ${err.message}`));
      if (res.statusCode !== 200) return reject(new Error(`webhook ${WEBHOOK_URL}: ${res.statusCode}`));
      console.log(`ok: webhook ${WEBHOOK_URL}: TLS certificate for ${WEBHOOK_NAME}, 200`);
      resolve();
    });
    req.on('timeout', () => req.destroy(new Error(`webhook ${WEBHOOK_URL}: no answer in 5s`)));
    req.on('error', reject);
  });
}

ready()
  .then(webhook)
  .then(
    () => process.exit(0),
    (e) => {
      console.error(`FAIL ${e.message}`);
      process.exit(1);
    },
  );
