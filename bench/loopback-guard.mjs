// Preloaded (`node --import ./loopback-guard.mjs`) into contestants whose code we
// do not own, so that nothing in a benchmark run can open a connection to an
// address off this machine: any TCP connect to a host outside 127.0.0.0/8, ::1
// and `localhost` fails with an error before DNS is asked. Unix sockets pass.
import net from 'node:net';

const original = net.Socket.prototype.connect;

function hostOf(args) {
  const [a0, a1] = args;
  if (Array.isArray(a0)) return hostOf(a0); // internal normalized form
  if (a0 !== null && typeof a0 === 'object') return a0.path ? null : (a0.host ?? 'localhost');
  if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    return typeof a1 === 'string' ? a1 : 'localhost';
  }
  return null; // a path: unix socket
}

function isLoopback(host) {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = hostOf(args);
  if (host !== null && !isLoopback(host)) {
    process.stderr.write(`loopback-guard: refused a connection to ${host}\n`);
    process.nextTick(() => this.destroy(new Error(`loopback-guard: ${host} is not on loopback`)));
    return this;
  }
  return original.apply(this, args);
};
