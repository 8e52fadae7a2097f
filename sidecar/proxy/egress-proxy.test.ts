import { describe, expect, it } from 'vitest';
import { noProxyMatches, proxyFor, redactProxyURL, type ProxyConfig } from './egress-proxy.js';

const P = 'http://proxy.corp:3128';
const PS = 'http://secure-proxy.corp:3128';
const both = (noProxy = ''): ProxyConfig => ({ http: P, https: PS, noProxy });

describe('proxyFor', () => {
  it.each([
    // origin, config, expected proxy
    ['https://api.openai.com', both(), PS],
    ['http://relay.internal:8080', both(), P],
    ['https://api.openai.com', { http: P }, undefined],
    ['http://relay.internal', { https: PS }, undefined],
    ['https://api.openai.com', {}, undefined],
    ['https://api.openai.com', both('*'), undefined],
    ['https://api.openai.com', both(' * '), undefined],
    ['https://api.openai.com', both('openai.com'), undefined],
    ['https://api.openai.com', both('.openai.com'), undefined],
    ['https://openai.com', both('.openai.com'), undefined],
    ['https://api.openai.com', both('*.openai.com'), undefined],
    ['https://api.openai.com', both('OpenAI.COM'), undefined],
    ['https://API.OPENAI.COM', both('openai.com'), undefined],
    ['https://notopenai.com', both('openai.com'), PS],
    ['https://openai.com.evil.net', both('openai.com'), PS],
    ['https://api.openai.com', both('example.com, openai.com'), undefined],
    ['https://api.openai.com', both(',,example.com,,'), PS],
    ['https://api.openai.com', both('api.openai.com:443'), undefined],
    ['https://api.openai.com', both('api.openai.com:8443'), PS],
    ['https://api.openai.com:8443', both('api.openai.com:8443'), undefined],
    ['http://relay.internal', both('relay.internal:80'), undefined],
    ['http://10.0.0.7:8080', both('10.0.0.7'), undefined],
    ['http://10.0.0.7:8080', both('10.0.0.8'), P],
    ['http://10.0.0.7:8080', both('10.0.0.7:8080'), undefined],
    ['http://10.0.0.7:8080', both('10.0.0.7:9090'), P],
    ['http://10.0.0.7', both('10.0.0.0/8'), undefined],
    ['http://11.0.0.7', both('10.0.0.0/8'), P],
    ['http://[fd00::7]:8080', both('fd00::7'), undefined],
    ['http://[fd00::7]:8080', both('[fd00::7]'), undefined],
    ['http://[fd00::7]:8080', both('[fd00::7]:8080'), undefined],
    ['http://[fd00::7]:8080', both('[fd00::7]:9090'), P],
    ['http://[fd00::7]:8080', both('fd00::/16'), undefined],
    ['http://[fd00:0:0::7]', both('fd00::7'), undefined],
    ['http://10.0.0.7', both('0.0.7'), P], // an IP is not a domain suffix
    ['http://127.0.0.1:9000', both(), P], // loopback is proxied unless listed (curl)
    ['http://127.0.0.1:9000', both('127.0.0.1'), undefined],
    ['http://localhost:9000', both('localhost'), undefined],
    ['not a url', both(), undefined],
  ] as const)('%s with %j → %s', (origin, cfg, want) => {
    expect(proxyFor(origin, cfg)).toBe(want);
  });
});

describe('noProxyMatches', () => {
  it('ignores empty entries and a lone dot', () => {
    expect(noProxyMatches('example.com', 443, '')).toBe(false);
    expect(noProxyMatches('example.com', 443, '.')).toBe(false);
    expect(noProxyMatches('example.com', 443, ' , ')).toBe(false);
  });
});

describe('redactProxyURL', () => {
  it('drops credentials', () => {
    expect(redactProxyURL('http://user:s3cret@proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(redactProxyURL('http://proxy.corp:3128/')).toBe('http://proxy.corp:3128');
  });
});
