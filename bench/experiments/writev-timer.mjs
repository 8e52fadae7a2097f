// Experiment preload: time every call of the native writev of a TCP handle (wall
// clock, ns) — the binding, its syscall and whatever the kernel does inside it,
// nothing else — split by side: "app" = sockets accepted by one of this
// process's servers, "upstream" = the rest. On SIGUSR2 the running totals are
// written to the file named by WRITEV_OUT.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
const { TCP } = process.binding('tcp_wrap');
const orig = TCP.prototype.writev;
const serverPorts = new Set();
const origListen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...a) { this.once('listening', () => serverPorts.add(this.address().port)); return origListen.apply(this, a); };
const side = new WeakMap();
const acc = { app: { n: 0, ns: 0n, over50us: 0 }, upstream: { n: 0, ns: 0n, over50us: 0 } };
TCP.prototype.writev = function (...a) {
  let s = side.get(this);
  if (!s) { const o = {}; this.getsockname(o); s = serverPorts.has(o.port) ? 'app' : 'upstream'; side.set(this, s); }
  const t = process.hrtime.bigint();
  const r = orig.apply(this, a);
  const d = process.hrtime.bigint() - t;
  const x = acc[s]; x.n++; x.ns += d; if (d > 50_000n) x.over50us++;
  return r;
};
process.on('SIGUSR2', () => writeFileSync(process.env.WRITEV_OUT, JSON.stringify(acc, (k, v) => (typeof v === 'bigint' ? Number(v) : v))));
