// Experiment preload: spend BURN_US of CPU (a busy loop) per request, so a bare
// forwarder can be slowed to the sidecar's throughput. BURN_AT=request (default):
// when the request arrives; BURN_AT=response: just before the reply is written.
import http from 'node:http';
const us = Number(process.env.BURN_US ?? 0);
const spin = () => { const end = performance.now() + us / 1000; while (performance.now() < end); };
if (process.env.BURN_AT === 'response') {
  const orig = http.ServerResponse.prototype.writeHead;
  http.ServerResponse.prototype.writeHead = function (...a) { spin(); return orig.apply(this, a); };
} else {
  const orig = http.createServer;
  http.createServer = (...args) => {
    const handler = args.find((a) => typeof a === 'function');
    const wrapped = (req, res) => { spin(); handler(req, res); };
    return orig(...args.map((a) => (a === handler ? wrapped : a)));
  };
}
