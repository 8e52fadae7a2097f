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
    ['a string', 'boom', false, 'local'],
  ] as const)('%s', (_name, err, afterHeaders, kind) => {
    expect(errorKind(err, afterHeaders)).toBe(kind);
  });
});
