/**
 * Which outbound (egress) HTTP proxy, if any, an upstream origin goes
 * through: `HTTPS_PROXY` for https:// origins, `HTTP_PROXY` for http://
 * ones, unless `NO_PROXY` excludes the host. Pure; `cli.ts` reads the
 * environment and hands the values down as a `ProxyConfig`.
 *
 * NO_PROXY as curl and Go read it: a comma-separated list of
 * - `*`: no origin is proxied;
 * - host names, matching the host and every subdomain: `example.com` and
 *   `.example.com` (and `*.example.com`) all match `example.com` and
 *   `api.example.com` (a leading dot or `*.` is ignored, as curl does);
 * - IP literals (`10.0.0.7`, `::1`, `[::1]`) and CIDR ranges (`10.0.0.0/8`),
 *   compared with the origin's host literally (no DNS lookup);
 * - any of those with `:port`, matching only that port.
 * Case and whitespace around entries do not matter. Loopback origins are
 * proxied like any other unless NO_PROXY lists them (curl's rule; Go
 * exempts them): upstreams of a pod are remote, and a local test setup says
 * `NO_PROXY=127.0.0.1,localhost` when it needs to.
 */
import { BlockList, isIP } from 'node:net';

export interface ProxyConfig {
  /** Proxy URL for https:// origins (HTTPS_PROXY); CONNECT tunnels through it. */
  https?: string;
  /** Proxy URL for http:// origins (HTTP_PROXY); absolute-form requests to it. */
  http?: string;
  /** NO_PROXY as given. */
  noProxy?: string;
}

/** The proxy URL `origin` goes through, or undefined for a direct connection. */
export function proxyFor(origin: string, cfg: ProxyConfig): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  const proxy = url.protocol === 'https:' ? cfg.https : url.protocol === 'http:' ? cfg.http : undefined;
  if (!proxy) return undefined;
  const host = unbracket(url.hostname.toLowerCase());
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return noProxyMatches(host, port, cfg.noProxy ?? '') ? undefined : proxy;
}

/** Whether NO_PROXY excludes `host` (lower case, IPv6 without brackets) on `port`. */
export function noProxyMatches(host: string, port: number, noProxy: string): boolean {
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, port: want } = splitPort(entry);
    if (want !== undefined && want !== port) continue;
    if (name.includes('/')) {
      if (inCidr(host, name)) return true;
      continue;
    }
    if (isIP(name) || isIP(host)) {
      if (sameIp(name, host)) return true;
      continue;
    }
    const domain = name.replace(/^\*?\./, '');
    if (domain !== '' && (host === domain || host.endsWith(`.${domain}`))) return true;
  }
  return false;
}

function splitPort(entry: string): { name: string; port?: number } {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    const name = entry.slice(1, close === -1 ? undefined : close);
    const rest = close === -1 ? '' : entry.slice(close + 1);
    return rest.startsWith(':') && /^\d+$/.test(rest.slice(1)) ? { name, port: Number(rest.slice(1)) } : { name };
  }
  if (isIP(entry) === 6 || entry.includes('/')) return { name: entry };
  const colon = entry.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(entry.slice(colon + 1))) return { name: entry.slice(0, colon), port: Number(entry.slice(colon + 1)) };
  return { name: entry };
}

function sameIp(a: string, b: string): boolean {
  const fa = isIP(a);
  if (fa === 0 || fa !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(a, fa === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, fa === 4 ? 'ipv4' : 'ipv6');
}

function inCidr(host: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/') as [string, string];
  const family = isIP(net);
  const prefix = Number(bits);
  if (family === 0 || isIP(host) !== family || !Number.isInteger(prefix)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list.check(host, type);
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A proxy URL without its credentials, for log lines. */
export function redactProxyURL(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.origin;
  } catch {
    return '[unparseable]';
  }
}
