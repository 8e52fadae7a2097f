// A V8 heap snapshot (.heapsnapshot JSON) attributed to the modules that hold
// it. Every object is given to exactly one owner, so the owners add up to the
// whole heap:
//
//   source          a script's source text (V8 keeps it for lazy compilation,
//                   Function.prototype.toString and stack traces)
//   code            what V8 compiled from it: SharedFunctionInfos, bytecode,
//                   feedback, scope infos, optimized code, the Script itself
//   closures        function objects made from its code, and their contexts
//                   (module-level variables live in a module's context)
//   objects         objects whose constructor is one of its functions (node's
//                   own classes, Socket or ServerResponse, are node's)
//                   (`new Pool()` is undici's, `{}` is nobody's)
//   held            anything else, given to the owner of the nearest object
//                   that dominates it (that alone keeps it alive): `{}` in a
//                   module-level Map is that module's
//
// What no owned object dominates (node's own startup objects, builtins,
// objects shared by several modules) stays "(unattributed)", by V8 type.
//
// Owners are packages (`undici`, `@marcbachmann/cel-js`), the bellwether
// sidecar by folder (`bellwether sidecar/proxy`), `node:` built-ins, and
// "(generated code)" for scripts without a name (`new Function`, eval: ajv
// compiles its validators that way).

export const CATEGORIES = ['source', 'code', 'closures', 'objects', 'held'];

/** The owner a script's name (a path, file: URL or node: id) belongs to. */
export function ownerOfScript(name) {
  if (name === '') return '(generated code)';
  if (name.startsWith('node:')) return 'node: built-ins';
  const path = name.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const sidecar = /\/sidecar\/(?:([^/]+)\/)?[^/]+\.[cm]?[jt]s$/.exec(path);
  if (sidecar) return `bellwether sidecar/${sidecar[1] ?? '(top)'}`;
  return path;
}

/**
 * Attributes `snap` (the parsed JSON). Returns { totalBytes, owners: Map(owner →
 * { source, code, closures, objects, held, total }), unattributed: Map(type → bytes),
 * detail: Map(owner → Map("type name" → bytes)) for the owners in `detailFor` }.
 */
export function attribute(snap, { detailFor = [] } = {}) {
  const meta = snap.snapshot.meta;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const [T_TYPE, T_NAME, T_SIZE, T_EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const [E_TYPE, E_NAME, E_TO] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const { nodes, edges, strings } = snap;
  const N = nodes.length / NF;
  const firstEdge = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) {
    firstEdge[i] = e;
    e += nodes[i * NF + T_EDGES] * EF;
  }
  firstEdge[N] = edges.length;
  const type = (i) => nodeTypes[nodes[i * NF + T_TYPE]];
  const name = (i) => strings[nodes[i * NF + T_NAME]];
  const size = (i) => nodes[i * NF + T_SIZE];
  const WEAK = edgeTypes.indexOf('weak');
  const SHORTCUT = edgeTypes.indexOf('shortcut');
  const namedEdge = (t) => edgeTypes[t] !== 'element' && edgeTypes[t] !== 'hidden';
  /** The target of i's first edge called `edgeName`, or -1. */
  const follow = (i, edgeName) => {
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += EF) {
      if (namedEdge(edges[e + E_TYPE]) && strings[edges[e + E_NAME]] === edgeName) return edges[e + E_TO] / NF;
    }
    return -1;
  };

  // Direct owners.
  const NONE = -1;
  const ownerNames = [];
  const ownerIds = new Map();
  const ownerId = (o) => {
    if (!ownerIds.has(o)) {
      ownerIds.set(o, ownerNames.length);
      ownerNames.push(o);
    }
    return ownerIds.get(o);
  };
  const owner = new Int32Array(N).fill(NONE);
  const category = new Uint8Array(N).fill(CATEGORIES.indexOf('held'));
  const give = (i, o, cat) => {
    if (i >= 0 && owner[i] === NONE) {
      owner[i] = o;
      category[i] = CATEGORIES.indexOf(cat);
    }
  };

  // Scripts, through the SharedFunctionInfos that point at them.
  const sfiOwner = new Int32Array(N).fill(NONE);
  for (let i = 0; i < N; i++) {
    if (type(i) !== 'code') continue;
    const script = follow(i, 'script_or_debug_info') >= 0 ? follow(i, 'script_or_debug_info') : follow(i, 'script');
    if (script < 0 || follow(script, 'source') < 0) continue;
    const o = ownerId(ownerOfScript(name(script)));
    sfiOwner[i] = o;
    give(script, o, 'code');
    give(follow(script, 'source'), o, 'source');
  }
  // A SharedFunctionInfo's own parts: bytecode, feedback metadata, scope info, code.
  for (let i = 0; i < N; i++) {
    const o = sfiOwner[i];
    if (o === NONE) continue;
    give(i, o, 'code');
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += EF) {
      if (edges[e + E_TYPE] === WEAK) continue;
      const t = edges[e + E_TO] / NF;
      if (type(t) === 'code' || type(t) === 'hidden' || type(t) === 'array') give(t, o, 'code');
    }
  }
  // Closures, their feedback and contexts.
  const closureOwner = new Int32Array(N).fill(NONE);
  for (let i = 0; i < N; i++) {
    if (type(i) !== 'closure') continue;
    const sfi = follow(i, 'shared');
    if (sfi < 0 || sfiOwner[sfi] === NONE) continue;
    const o = sfiOwner[sfi];
    closureOwner[i] = o;
    give(i, o, 'closures');
    give(follow(i, 'feedback_cell'), o, 'code');
    give(follow(i, 'context'), o, 'closures');
  }
  // Objects by their constructor (map → constructor, or back_pointer to an older map first).
  for (let i = 0; i < N; i++) {
    if (owner[i] !== NONE || type(i) !== 'object') continue;
    let map = follow(i, 'map');
    for (let hops = 0; map >= 0 && hops < 64; hops++) {
      const c = follow(map, 'constructor');
      if (c >= 0 && type(c) === 'closure') {
        if (closureOwner[c] !== NONE) give(i, closureOwner[c], 'objects');
        break;
      }
      map = c >= 0 && type(c) === 'object shape' ? c : follow(map, 'back_pointer');
    }
  }

  // The rest: the owner of the immediate dominator, in dominator-tree order.
  const idom = dominators(N, firstEdge, edges, EF, E_TYPE, E_TO, NF, new Set([WEAK, SHORTCUT]));
  const order = dominatorOrder(N, idom);
  for (const i of order) if (owner[i] === NONE && idom[i] >= 0 && idom[i] !== i) owner[i] = owner[idom[i]];

  const owners = new Map();
  const unattributed = new Map();
  const detail = new Map(detailFor.map((o) => [o, new Map()]));
  let totalBytes = 0;
  for (let i = 0; i < N; i++) {
    if (idom[i] < 0) continue; // unreachable
    totalBytes += size(i);
    if (owner[i] === NONE) {
      unattributed.set(type(i), (unattributed.get(type(i)) ?? 0) + size(i));
      continue;
    }
    const key = ownerNames[owner[i]];
    const d = detail.get(key);
    if (d) {
      const what = `${type(i)} ${name(i).slice(0, 60)}`;
      d.set(what, (d.get(what) ?? 0) + size(i));
    }
    if (!owners.has(key)) owners.set(key, Object.fromEntries([...CATEGORIES, 'total'].map((c) => [c, 0])));
    const row = owners.get(key);
    row[CATEGORIES[category[i]]] += size(i);
    row.total += size(i);
  }
  return { totalBytes, owners, unattributed, detail };
}

/**
 * Immediate dominators from node 0 (the snapshot's root), ignoring `skip` edge
 * types: Cooper, Harvey & Kennedy's iterative algorithm over a reverse postorder.
 * idom[i] is -1 for nodes not reachable from the root.
 */
function dominators(N, firstEdge, edges, EF, E_TYPE, E_TO, NF, skip) {
  // Postorder by an iterative DFS.
  const post = new Int32Array(N).fill(-1);
  const byPost = new Int32Array(N);
  const stackNode = new Int32Array(N);
  const stackEdge = new Uint32Array(N);
  const seen = new Uint8Array(N);
  let sp = 0;
  let count = 0;
  stackNode[0] = 0;
  stackEdge[0] = firstEdge[0];
  seen[0] = 1;
  sp = 1;
  while (sp > 0) {
    const n = stackNode[sp - 1];
    let e = stackEdge[sp - 1];
    let pushed = false;
    for (; e < firstEdge[n + 1]; e += EF) {
      if (skip.has(edges[e + E_TYPE])) continue;
      const t = edges[e + E_TO] / NF;
      if (seen[t]) continue;
      seen[t] = 1;
      stackEdge[sp - 1] = e + EF;
      stackNode[sp] = t;
      stackEdge[sp] = firstEdge[t];
      sp++;
      pushed = true;
      break;
    }
    if (!pushed) {
      post[n] = count;
      byPost[count++] = n;
      sp--;
    }
  }
  // Predecessors (reachable ones only), as CSR.
  const predCount = new Uint32Array(N + 1);
  for (let n = 0; n < N; n++) {
    if (post[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) if (!skip.has(edges[e + E_TYPE])) predCount[edges[e + E_TO] / NF + 1]++;
  }
  for (let i = 0; i < N; i++) predCount[i + 1] += predCount[i];
  const preds = new Int32Array(predCount[N]);
  const fill = predCount.slice(0, N);
  for (let n = 0; n < N; n++) {
    if (post[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
      if (skip.has(edges[e + E_TYPE])) continue;
      const t = edges[e + E_TO] / NF;
      preds[fill[t]++] = n;
    }
  }
  // idom in postorder numbers.
  const dom = new Int32Array(count).fill(-1);
  const root = post[0];
  dom[root] = root;
  let changed = true;
  while (changed) {
    changed = false;
    for (let p = count - 1; p >= 0; p--) {
      if (p === root) continue;
      const n = byPost[p];
      let d = -1;
      for (let k = predCount[n]; k < predCount[n + 1]; k++) {
        let q = post[preds[k]];
        if (dom[q] < 0) continue;
        if (d < 0) {
          d = q;
          continue;
        }
        let a = d;
        while (a !== q) {
          while (a < q) a = dom[a];
          while (q < a) q = dom[q];
        }
        d = a;
      }
      if (d >= 0 && dom[p] !== d) {
        dom[p] = d;
        changed = true;
      }
    }
  }
  const idom = new Int32Array(N).fill(-1);
  for (let p = 0; p < count; p++) idom[byPost[p]] = dom[p] < 0 ? -1 : byPost[dom[p]];
  return idom;
}

/** Nodes ordered so that every node comes after its immediate dominator (BFS of the tree). */
function dominatorOrder(N, idom) {
  const childCount = new Uint32Array(N + 1);
  for (let i = 0; i < N; i++) if (idom[i] >= 0 && idom[i] !== i) childCount[idom[i] + 1]++;
  for (let i = 0; i < N; i++) childCount[i + 1] += childCount[i];
  const children = new Int32Array(childCount[N]);
  const fill = childCount.slice(0, N);
  for (let i = 0; i < N; i++) if (idom[i] >= 0 && idom[i] !== i) children[fill[idom[i]]++] = i;
  const order = [0];
  for (let k = 0; k < order.length; k++) {
    const n = order[k];
    for (let c = childCount[n]; c < childCount[n + 1]; c++) order.push(children[c]);
  }
  return order;
}
