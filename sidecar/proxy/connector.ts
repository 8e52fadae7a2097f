/**
 * undici's connector with a connect timeout that holds to the millisecond.
 *
 * undici enforces `connect.timeout` (and `headersTimeout`, `bodyTimeout`) on
 * its coarse "fast timers", which fire up to a second late: a `connect: 500ms`
 * fired at ~1 s. Here the TCP + TLS handshake is raced against a plain
 * `setTimeout`, and the error is undici's own `ConnectTimeoutError`, so the
 * rest of the stack sees what it always saw, on time.
 */
import type { Socket } from 'node:net';
import { buildConnector, errors, type Connector, type ConnectorOptions } from './undici.js';

export function preciseConnector(timeoutMs: number, tls: ConnectorOptions = {}): Connector {
  const connect = buildConnector({ ...tls, timeout: 0 }); // 0: undici sets no timer of its own
  return (opts, callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const err = new errors.ConnectTimeoutError(`connect timeout after ${timeoutMs} ms (spec.timeouts.connect)`);
      socket?.destroy(err);
      callback(err, null);
    }, timeoutMs);
    // undici's connector returns the socket it opened, though its type says void.
    const socket = connect(opts, (err, s) => {
      if (settled) {
        s?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (err) callback(err, null);
      else callback(null, s!);
    }) as unknown as Socket | undefined;
    return socket;
  };
}
