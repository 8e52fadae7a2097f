import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, readRegularFile } from './regular-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bellwether-regular-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a regular file', () => {
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, 'spec: {}\n');
    expect(readRegularFile(f)).toEqual({ ok: true, text: 'spec: {}\n' });
  });

  it('refuses a FIFO at once instead of blocking on it', () => {
    const f = join(dir, 'fifo');
    execFileSync('mkfifo', [f]);
    expect(readRegularFile(f)).toEqual({ ok: false, code: 'ENOTREG', error: `refused ${f}: not a regular file (a FIFO)` });
  });

  it('refuses a directory and a character device', () => {
    expect(readRegularFile(dir)).toMatchObject({ ok: false, error: `refused ${dir}: not a regular file (a directory)` });
    expect(readRegularFile('/dev/zero')).toMatchObject({ ok: false, error: 'refused /dev/zero: not a regular file (a character device)' });
  });

  it('refuses a file over the size limit', () => {
    const f = join(dir, 'big');
    writeFileSync(f, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20));
    expect(readRegularFile(f)).toMatchObject({ ok: false, code: 'EFBIG' });
    expect(readRegularFile(f, 2 * MAX_CONFIG_BYTES).ok).toBe(true);
  });

  it('reports a missing file with its code', () => {
    const f = join(dir, 'missing');
    expect(readRegularFile(f)).toEqual({ ok: false, code: 'ENOENT', error: `cannot read ${f} (ENOENT)` });
  });
});
