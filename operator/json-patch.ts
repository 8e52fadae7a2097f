/**
 * RFC 6902 JSON Patch, the subset the injector emits (`add`, `replace`,
 * `remove`), and `applyPatch` for `kubectl relay inject -f` (offline
 * injection) and the tests. JSON Pointer (RFC 6901) escapes `~` as `~0` and
 * `/` as `~1`: the annotation key `bellwether.dev/injected` is the path
 * segment `bellwether.dev~1injected`.
 */

export type JsonPatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** One JSON Pointer segment. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `/metadata/annotations/bellwether.dev~1injected` → ['metadata', 'annotations', 'bellwether.dev/injected']. */
export function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`JSON pointer ${JSON.stringify(path)} must start with /`);
  return path.slice(1).split('/').map(unescapePointer);
}

type Json = unknown;

function child(parent: Json, key: string, path: string): Json {
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^(0|[1-9][0-9]*)$/.test(key) || i >= parent.length) throw new Error(`${path}: no array element ${key}`);
    return parent[i];
  }
  if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, key)) return (parent as Record<string, Json>)[key];
  throw new Error(`${path}: no member ${JSON.stringify(key)}`);
}

/**
 * Applies `ops` to a deep copy of `doc` and returns it; `doc` is untouched.
 * Throws on a path that does not resolve, as the API server would refuse the
 * patch. `add` on an array inserts at the index (`-` appends); on an object it
 * sets the member (replacing one that exists).
 */
export function applyPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  let root: Json = structuredClone(doc);
  for (const op of ops) {
    const keys = parsePointer(op.path);
    if (keys.length === 0) {
      if (op.op === 'remove') throw new Error('cannot remove the whole document');
      root = structuredClone(op.value);
      continue;
    }
    const last = keys[keys.length - 1] as string;
    let parent: Json = root;
    for (const k of keys.slice(0, -1)) parent = child(parent, k, op.path);
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      const max = op.op === 'add' ? parent.length : parent.length - 1;
      if (!(last === '-' || /^(0|[1-9][0-9]*)$/.test(last)) || i > max || (last === '-' && op.op !== 'add')) {
        throw new Error(`${op.path}: index ${last} out of range`);
      }
      if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === 'replace') parent[i] = structuredClone(op.value);
      else parent.splice(i, 1);
    } else if (parent !== null && typeof parent === 'object') {
      const obj = parent as Record<string, Json>;
      if (op.op !== 'add' && !Object.hasOwn(obj, last)) throw new Error(`${op.path}: no member ${JSON.stringify(last)}`);
      if (op.op === 'remove') delete obj[last];
      else obj[last] = structuredClone(op.value);
    } else {
      throw new Error(`${op.path}: parent is not an object or array`);
    }
  }
  return root as T;
}
