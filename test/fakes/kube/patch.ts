/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902, `test` included), pure.
 * Errors are ApiErrors with the codes the real server's patcher uses: a patch
 * that does not decode → 400, one that does not apply → 422.
 */
import { badRequest, unprocessable } from './status.js';
import { clone } from './types.js';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Op {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`JSON pointer must be empty or start with a "/": ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The container holding the last token of `path`, and that token. */
function parent(doc: Json, path: string, opName: string): [Record<string, Json> | Json[], string] {
  const toks = pointer(path);
  if (toks.length === 0) throw unprocessable(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
  let cur: Json = doc;
  for (const t of toks.slice(0, -1)) {
    const next: Json = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') {
      throw unprocessable(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
    }
    cur = next;
  }
  return [cur as Record<string, Json> | Json[], toks[toks.length - 1]!];
}

function get(doc: Json, path: string): Json {
  let cur: Json = doc;
  for (const t of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, t) ? cur[t] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function index(arr: Json[], tok: string, forAdd: boolean, opName: string, path: string): number {
  if (forAdd && tok === '-') return arr.length;
  const i = Number(tok);
  if (!/^(0|[1-9][0-9]*)$/.test(tok) || i > arr.length || (!forAdd && i === arr.length)) {
    throw unprocessable(`${opName} operation does not apply: doc is missing path: "${path}": index out of bounds`);
  }
  return i;
}

function add(doc: Json, path: string, value: Json, opName = 'add'): Json {
  if (path === '') return clone(value);
  const [p, tok] = parent(doc, path, opName);
  if (Array.isArray(p)) p.splice(index(p, tok, true, opName, path), 0, clone(value));
  else p[tok] = clone(value);
  return doc;
}

function remove(doc: Json, path: string, opName = 'remove'): Json {
  const [p, tok] = parent(doc, path, opName);
  if (Array.isArray(p)) p.splice(index(p, tok, false, opName, path), 1);
  else {
    if (!Object.prototype.hasOwnProperty.call(p, tok)) {
      throw unprocessable(`${opName} operation does not apply: doc is missing key: ${path}: missing value`);
    }
    delete p[tok];
  }
  return doc;
}

export function parseJsonPatch(body: Json): Op[] {
  if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of body as Op[]) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw badRequest('the server rejected our request due to an error in our request');
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) throw badRequest(`Unexpected kind: ${String(op.op)}`);
  }
  return body as Op[];
}

export function jsonPatch(target: Json, ops: Op[]): Json {
  let doc = clone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, op.value);
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        if (get(doc, op.path) === undefined) {
          throw unprocessable(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
        }
        doc = op.path === '' ? clone(op.value) : add(remove(doc, op.path, 'replace'), op.path, op.value, 'replace');
        break;
      case 'move':
      case 'copy': {
        const v = get(doc, op.from ?? '');
        if (v === undefined) throw unprocessable(`${op.op} operation does not apply: doc is missing from path: ${op.from ?? ''}: missing value`);
        if (op.op === 'move') doc = remove(doc, op.from ?? '', 'move');
        doc = add(doc, op.path, v, op.op);
        break;
      }
      case 'test':
        if (!deepEqual(get(doc, op.path), op.value)) {
          throw unprocessable(`testing value ${op.path} failed: test failed`);
        }
        break;
    }
  }
  return doc;
}
