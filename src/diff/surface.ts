/**
 * The ABI surface of one build (`diff --abi`, docs/abi-surface.md §3): the types its exported
 * functions and variables can reach through parameters, return types, variables, members,
 * pointers, arrays, typedefs, qualifiers and function types, and for a type the shortest path from
 * each symbol that reaches it. Pure.
 *
 * Named structs, unions, classes and enums are taken by identity `kind name`: a declaration
 * (`struct foo;`) and every other definition of the name stand for the first definition of the
 * name in the file (as abidiff substitutes the full definition; as diff compares the first
 * definition of a name), so a type seen through a pointer in one unit is followed into its
 * definition from another.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, type SymbolRoot, type Type, type TypeId } from '../model/types.js';

/** How paths spell their steps (the CLI passes report/ctype's spellings). */
export interface SurfaceSpelling {
  /** The root as a path's first step: `netif_rx(struct sk_buff *)`, `struct kfx_dev kfx_devices[4]`. */
  root(r: SymbolRoot): string;
  /** Member `index` of aggregate `id` as a declaration: `struct net_device *dev`. */
  member(id: TypeId, index: number): string;
}

/** What the walk does not enter (`--suppress`): types by `kind name`, members by `kind name::member`. */
export interface SurfaceStops {
  types?: ReadonlySet<string>;
  members?: ReadonlySet<string>;
}

/** A step of the graph: to a type, through member `member` of the aggregate it leaves (else -1). */
interface Edge {
  to: TypeId;
  member: number;
}

export interface Surface {
  readonly table: TypeTable;
  readonly roots: readonly SymbolRoot[];
  /** The types each root enters directly (return, parameters, variable), canonical. */
  readonly entries: readonly TypeId[][];
  /** Every type reached, canonical, with the steps into it (reverse edges). */
  readonly into: ReadonlyMap<TypeId, readonly (Edge & { from: TypeId })[]>;
  /** `kind name` → canonical TypeId, for the named structs, unions, classes and enums reached. */
  readonly named: ReadonlyMap<string, TypeId>;
}

/** `struct foo`, `enum bar`: the identity diff compares types by; undefined for other types. */
export function identityKey(t: Type): string | undefined {
  if ((isAggregate(t) || t.kind === 'enum') && t.name !== undefined) return `${t.kind} ${t.name}`;
  return undefined;
}

/** The TypeId that stands for `id`: the first definition of a named struct, union, class or enum. */
export function canonicalType(table: TypeTable, id: TypeId): TypeId {
  const t = table.get(id);
  if ((isAggregate(t) || t.kind === 'enum') && t.name !== undefined) {
    const defs = table.definitionsOf(t.kind, t.name);
    if (defs.length > 0) return defs[0]!;
  }
  return id;
}

/** The types a type leads to (not canonical), with the member index for aggregates. */
function stepsOf(t: Type, push: (to: TypeId, member: number) => void): void {
  switch (t.kind) {
    case 'pointer':
      push(t.target, -1);
      if (t.containingType !== undefined) push(t.containingType, -1);
      return;
    case 'typedef':
    case 'qualifier':
      push(t.target, -1);
      return;
    case 'array':
      push(t.element, -1);
      return;
    case 'function':
      push(t.returnType, -1);
      for (const p of t.params) push(p, -1);
      return;
    case 'struct':
    case 'union':
    case 'class':
      t.members.forEach((m, i) => push(m.type, i));
      return;
    default:
      return; // void, base, enum, unresolved: leaves
  }
}

/** The types a root enters: return and parameter types, or the variable's type. */
export function rootTypes(r: SymbolRoot): TypeId[] {
  if (r.kind === 'object') return r.type === undefined ? [] : [r.type];
  return [r.returnType ?? 0, ...(r.params ?? []).map((p) => p.type)];
}

/** Walk everything the roots reach (one breadth-first walk from all of them). */
export function buildSurface(table: TypeTable, roots: readonly SymbolRoot[], stops: SurfaceStops = {}): Surface {
  const canon = new Map<TypeId, TypeId>();
  const canonical = (id: TypeId): TypeId => {
    let c = canon.get(id);
    if (c === undefined) canon.set(id, (c = canonicalType(table, id)));
    return c;
  };
  const into = new Map<TypeId, (Edge & { from: TypeId })[]>();
  const named = new Map<string, TypeId>();
  const queue: TypeId[] = [];
  const visit = (id: TypeId): void => {
    if (into.has(id)) return;
    into.set(id, []);
    const key = identityKey(table.get(id));
    if (key !== undefined) named.set(key, id);
    queue.push(id);
  };
  const entries = roots.map((r) => {
    const ids = [...new Set(rootTypes(r).map(canonical))];
    for (const id of ids) visit(id);
    return ids;
  });
  for (let q = 0; q < queue.length; q++) {
    const from = queue[q]!;
    const t = table.get(from);
    const key = identityKey(t);
    if (key !== undefined && stops.types?.has(key)) continue;
    stepsOf(t, (target, member) => {
      if (member >= 0 && stops.members !== undefined && key !== undefined) {
        const name = (t as { members: { name?: string }[] }).members[member]!.name;
        if (name !== undefined && stops.members.has(`${key}::${name}`)) return;
      }
      const to = canonical(target);
      visit(to);
      into.get(to)!.push({ from, to, member });
    });
  }
  return { table, roots, entries, into, named };
}

/** One root reaching a type, with the shortest path's steps spelt out. */
export interface RootPath {
  symbol: string;
  path: string[];
}

/**
 * What paths need of a surface, with every step already spelt: the type table can go (a whole
 * vmlinux's is hundreds of MB; `diff --abi` reads the other side meanwhile).
 */
export interface SpeltSurface {
  readonly roots: readonly { name: string; label: string }[];
  readonly entries: readonly TypeId[][];
  readonly into: ReadonlyMap<TypeId, readonly (Edge & { from: TypeId })[]>;
  readonly named: ReadonlyMap<string, TypeId>;
  /** How each reached type shows in a path (named types and typedefs only). */
  readonly steps: ReadonlyMap<TypeId, string>;
  /** Member steps, by `from:member`. */
  readonly members: ReadonlyMap<string, string>;
}

/** Spell every step of the surface once (roots, named types, typedefs, member edges). */
export function spellSurface(s: Surface, spell: SurfaceSpelling): SpeltSurface {
  const steps = new Map<TypeId, string>();
  const members = new Map<string, string>();
  for (const [id, edges] of s.into) {
    const k = stepName(s.table.get(id));
    if (k !== undefined) steps.set(id, k);
    for (const e of edges) {
      const key = `${e.from}:${e.member}`;
      if (e.member >= 0 && !members.has(key)) members.set(key, spell.member(e.from, e.member));
    }
  }
  return { roots: s.roots.map((r) => ({ name: r.name, label: spell.root(r) })), entries: s.entries, into: s.into, named: s.named, steps, members };
}

/**
 * Answers, for a named type `key`, every root that reaches it, each with one shortest path, e.g.
 * `netif_rx(struct sk_buff *) → struct sk_buff → struct net_device *dev → struct net_device`.
 * Shortest paths for all roots at once: a breadth-first walk back from the type over the reversed
 * steps gives each type its distance and next step towards it; only the roots entering a type
 * the walk met are looked at. The graph is numbered once into flat arrays, and each step's
 * spelling looked up once per walk (a vmlinux surface has ~40 K types and ~30 K roots, and a diff
 * asks for hundreds of types, 400 K paths in all). Shortest paths first, then in surface order.
 */
export function pathFinder(s: SpeltSurface): (key: string) => RootPath[] {
  const g = numberedGraph(s);
  const n = g.ids.length;
  const next = new Int32Array(n); // the node one step nearer the type (-1 at the type)
  const nextMember = new Int32Array(n);
  const dist = new Int32Array(n);
  const seenIn = new Int32Array(n); // the walk that met the node last (walks count from 1)
  const queue = new Int32Array(n);
  const rootSeen = new Int32Array(s.roots.length);
  const memberStamp = new Int32Array(n);
  const memberSteps: string[] = new Array<string>(n);
  let walk = 0;
  return (key) => {
    const targetId = s.named.get(key);
    const target = targetId === undefined ? undefined : g.index.get(targetId);
    if (target === undefined) return [];
    walk++;
    const reaching: number[] = [];
    seenIn[target] = walk;
    next[target] = -1;
    dist[target] = 0;
    queue[0] = target;
    for (let q = 0, tail = 1; q < tail; q++) {
      const to = queue[q]!;
      for (let k = g.rootStart[to]!; k < g.rootStart[to + 1]!; k++) {
        const r = g.rootList[k]!;
        if (rootSeen[r] !== walk) {
          rootSeen[r] = walk;
          reaching.push(r);
        }
      }
      for (let k = g.edgeStart[to]!; k < g.edgeStart[to + 1]!; k++) {
        const from = g.edgeFrom[k]!;
        if (seenIn[from] === walk) continue;
        seenIn[from] = walk;
        next[from] = to;
        nextMember[from] = g.edgeMember[k]!;
        dist[from] = dist[to]! + 1;
        queue[tail++] = from;
      }
    }
    // a member step spelt once per walk (a walk fixes which member leads on from each type)
    const memberStep = (v: number): string => {
      if (memberStamp[v] !== walk) {
        memberStamp[v] = walk;
        memberSteps[v] = s.members.get(`${g.ids[v]}:${nextMember[v]}`)!;
      }
      return memberSteps[v]!;
    };
    const out: RootPath[] = [];
    for (const i of reaching.sort((a, b) => a - b)) {
      let best = -1;
      for (const id of s.entries[i]!) {
        const v = g.index.get(id)!;
        if (seenIn[v] === walk && (best < 0 || dist[v]! < dist[best]!)) best = v;
      }
      const r = s.roots[i]!;
      const path = [r.label];
      for (let v = best; v >= 0; ) {
        const k = g.typeStep[v];
        if (k !== undefined && path[path.length - 1] !== k) path.push(k); // a typedef's name once
        const to = next[v]!;
        if (to < 0) break;
        if (nextMember[v]! >= 0) path.push(memberStep(v));
        v = to;
      }
      out.push({ symbol: r.name, path });
    }
    return out.sort((a, b) => a.path.length - b.path.length);
  };
}

/** The surface numbered 0..n-1, with the reversed steps and the roots entering each type as flat lists. */
interface NumberedGraph {
  ids: TypeId[];
  /** How node v shows in a path (s.steps), if at all. */
  typeStep: (string | undefined)[];
  index: Map<TypeId, number>;
  /** Steps into node v: edgeFrom/edgeMember[edgeStart[v] .. edgeStart[v+1]). */
  edgeStart: Int32Array;
  edgeFrom: Int32Array;
  edgeMember: Int32Array;
  /** Roots entering node v: rootList[rootStart[v] .. rootStart[v+1]). */
  rootStart: Int32Array;
  rootList: Int32Array;
}

function numberedGraph(s: SpeltSurface): NumberedGraph {
  const ids = [...s.into.keys()];
  const index = new Map<TypeId, number>();
  ids.forEach((id, v) => index.set(id, v));
  const n = ids.length;
  const edgeStart = new Int32Array(n + 1);
  ids.forEach((id, v) => (edgeStart[v + 1] = edgeStart[v]! + s.into.get(id)!.length));
  const edgeFrom = new Int32Array(edgeStart[n]!);
  const edgeMember = new Int32Array(edgeStart[n]!);
  ids.forEach((id, v) => {
    let k = edgeStart[v]!;
    for (const e of s.into.get(id)!) {
      edgeFrom[k] = index.get(e.from)!;
      edgeMember[k++] = e.member;
    }
  });
  const rootStart = new Int32Array(n + 1);
  for (const entered of s.entries) for (const id of entered) rootStart[index.get(id)! + 1]!++;
  for (let v = 0; v < n; v++) rootStart[v + 1]! += rootStart[v]!;
  const rootList = new Int32Array(rootStart[n]!);
  const fill = rootStart.slice(0, n);
  s.entries.forEach((entered, r) => {
    for (const id of entered) rootList[fill[index.get(id)!]!++] = r;
  });
  return { ids, typeStep: ids.map((id) => s.steps.get(id)), index, edgeStart, edgeFrom, edgeMember, rootStart, rootList };
}

/** How a type shows in a path: its identity, or a typedef's name; nothing for the types in between. */
function stepName(t: Type): string | undefined {
  if (t.kind === 'typedef') return t.name;
  return identityKey(t);
}

