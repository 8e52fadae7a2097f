import { describe, expect, it } from 'vitest';
import { errors } from 'undici';
import { errorKind, FirstByteTimeout } from './upstream.js';
import { IdleTimeout } from './upstream-body.js';

const coded = (code: string): Error => Object.assign(new Error(code), { code });

describe('errorKind', () => {
  it.each([
    ['ECONNREFUSED before headers', coded('ECONNREFUSED'), false, 'connect'],
    ['ECONNRESET after headers', coded('ECONNRESET'), true, 'cut'],
    ['undici socket closed', coded('UND_ERR_SOCKET'), false, 'connect'],
    ['DNS', coded('ENOTFOUND'), false, 'connect'],
    ['TLS', coded('ERR_TLS_CERT_ALTNAME_INVALID'), false, 'connect'],
    ['TLS verification', coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), false, 'connect'],
    ['corrupt gzip', coded('Z_DATA_ERROR'), true, 'cut'],
    ['connect timeout', new errors.ConnectTimeoutError(), false, 'connect_timeout'],
    ['first-byte timeout', new FirstByteTimeout(500), false, 'first_byte_timeout'],
    ['idle timeout', new IdleTimeout(500), true, 'idle_timeout'],
    ['undici refusing the Expect header', new errors.NotSupportedError('expect header not supported'), false, 'local'],
    ['undici refusing an argument', new errors.InvalidArgumentError('invalid header'), false, 'local'],
    ['a bug', new TypeError('x is undefined'), false, 'local'],
    ['relay headers over 16 KiB', coded('UND_ERR_HEADERS_OVERFLOW'), false, 'connect'],
    ['an egress proxy refusing the tunnel', coded('UND_ERR_ABORTED'), false, 'connect'],
    ['a decoder closing early', coded('ERR_STREAM_PREMATURE_CLOSE'), true, 'cut'],
    ['the body closing early, without a code', new Error('the upstream body closed early'), true, 'cut'],
    ['something unknown before headers', 'boom', false, 'connect'],
  ] as const)('%s', (_name, err, afterHeaders, kind) => {
    expect(errorKind(err, afterHeaders)).toBe(kind);
  });
});
