/**
 * Reading a config or key file without ever blocking the process. A route
 * file replaced by a FIFO would block `readFileSync` until a writer came —
 * the whole event loop, `/healthz` included — and a character device such as
 * /dev/zero would never end. So the file is opened non-blocking, checked on
 * the open descriptor (no race with a swap between a stat and the open), and
 * read only when it is a regular file of at most `MAX_CONFIG_BYTES`.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** Route files are a few KiB; anything near this is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type FileRead = { ok: true; text: string } | { ok: false; error: string; code: string };

export function readRegularFile(file: string, maxBytes = MAX_CONFIG_BYTES): FileRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    return { ok: false, code, error: `cannot read ${file} (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: 'ENOTREG', error: `refused ${file}: not a regular file (${kind(st)})` };
    if (st.size > maxBytes) return { ok: false, code: 'EFBIG', error: `refused ${file}: ${st.size} bytes, more than the ${maxBytes} a config file may have` };
    const buf = readFileSync(fd);
    // The file may have grown since the fstat.
    if (buf.length > maxBytes) return { ok: false, code: 'EFBIG', error: `refused ${file}: more than the ${maxBytes} bytes a config file may have` };
    return { ok: true, text: buf.toString('utf8') };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    return { ok: false, code, error: `cannot read ${file} (${code})` };
  } finally {
    closeSync(fd);
  }
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
