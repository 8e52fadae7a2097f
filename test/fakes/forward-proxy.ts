/**
 * A tiny HTTP forward proxy on loopback, as a corporate egress proxy would
 * be: absolute-form requests (`GET http://host:port/path`) for http://
 * origins, and CONNECT tunnels (for https:// origins). It records what it
 * forwarded and counts the connections made to it.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';

export interface ForwardProxy {
  url: string;
  /** `GET http://127.0.0.1:1234/v1/models`, `CONNECT api.example.com:443`, … */
  seen: string[];
  /** Connections accepted from clients so far. */
  connections: number;
  close(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form requests only\n');
      return;
    }
    const up = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host ?? '', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  const proxy: ForwardProxy = {
    url: '',
    seen,
    connections: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  server.on('connection', (s: net.Socket) => {
    proxy.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
