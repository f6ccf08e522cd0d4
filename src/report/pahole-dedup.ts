/**
 * Which definitions pahole 1.24 prints when a name is defined more than once: it keeps a
 * red-black tree of printed structures ordered by type__compare() (name, size, number of
 * members, then per member name, bit offset and bit-field width) and skips a definition that
 * the tree search finds "equal". Member names are compared only when both are present, so an
 * anonymous member matches any name: the comparison is not a total order, and whether a
 * definition counts as seen depends on the path the search takes through the tree. To print
 * the same blocks, this is the same tree: same comparison, same insertion and rebalancing
 * (Linux's rbtree, i.e. the textbook red-black insert), same insertion order.
 */
import type { AggregateType } from '../model/types.js';

/** What type__compare() looks at. Plain data, so it can cross worker threads. */
export interface StructureSignature {
  name: string;
  size: number;
  /** Number of (non-static) members. */
  count: number;
  /** Per member: name (null when anonymous), bit offset, bit-field width (0 when not one). */
  members: [string | null, number, number][];
}

export function structureSignature(t: AggregateType): StructureSignature {
  return {
    name: t.name ?? '',
    size: t.size,
    count: t.members.filter((m) => !m.isStatic).length,
    members: t.members.map((m) => [m.name ?? null, m.isStatic ? 0 : m.bitOffset, m.bitSize ?? 0]),
  };
}

/**
 * The signature of a type read only as far as a comparison needs: most names differ, so the
 * member list is built for the few types that share a name with another (printableTypes()).
 */
class AggregateSignature implements StructureSignature {
  readonly name: string;
  readonly size: number;
  private full?: StructureSignature;
  constructor(private readonly t: AggregateType) {
    this.name = t.name ?? '';
    this.size = t.size;
  }
  get count(): number {
    return (this.full ??= structureSignature(this.t)).count;
  }
  get members(): [string | null, number, number][] {
    return (this.full ??= structureSignature(this.t)).members;
  }
}

/** structureSignature() built lazily: for comparisons in this thread only (not plain data). */
export function lazyStructureSignature(t: AggregateType): StructureSignature {
  return new AggregateSignature(t);
}

/** strcmp on the UTF-8 bytes (equal to code unit order for the ASCII names C has). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** pahole's type__compare(a, b): sign only matters. */
export function compareStructures(a: StructureSignature, b: StructureSignature): number {
  const byName = strcmp(a.name, b.name);
  if (byName) return byName;
  if (a.size !== b.size) return a.size - b.size;
  if (a.count !== b.count) return a.count - b.count;
  const n = Math.min(a.members.length, b.members.length);
  for (let i = 0; i < n; i++) {
    const [na, oa, wa] = a.members[i]!;
    const [nb, ob, wb] = b.members[i]!;
    if (na !== null && nb !== null) {
      const c = strcmp(na, nb);
      if (c) return c;
    }
    if (oa !== ob) return oa - ob;
    if (wa !== wb) return wa - wb;
  }
  return 0;
}

/** Child slots: 0 left, 1 right; the rebalancing cases are mirror images, written once. */
type Side = 0 | 1;

interface Node {
  sig: StructureSignature;
  kids: [Node | null, Node | null];
  parent: Node | null;
  red: boolean;
}

/** The set of structures pahole has printed. */
export class StructureTree {
  private root: Node | null = null;

  /** Add a definition unless the search finds an equal one; true when added (pahole prints it). */
  add(sig: StructureSignature): boolean {
    let parent: Node | null = null;
    let side: Side = 0;
    for (let p = this.root; p; p = p.kids[side]) {
      parent = p;
      // pahole compares the tree's entry with the new one: type__compare(&str->class->type, …, &class->type, …)
      const rc = compareStructures(p.sig, sig);
      if (rc === 0) return false;
      side = rc > 0 ? 0 : 1;
    }
    const node: Node = { sig, kids: [null, null], parent, red: true };
    if (parent) parent.kids[side] = node;
    else this.root = node;
    this.fixAfterInsert(node);
    return true;
  }

  /** The textbook (and Linux rbtree) insert fix-up: recolour while the uncle is red, else rotate. */
  private fixAfterInsert(z: Node): void {
    while (z.parent && z.parent.red) {
      const parent: Node = z.parent;
      const grand = parent.parent!;
      const side: Side = parent === grand.kids[0] ? 0 : 1;
      const other: Side = side === 0 ? 1 : 0;
      const uncle = grand.kids[other];
      if (uncle && uncle.red) {
        parent.red = false;
        uncle.red = false;
        grand.red = true;
        z = grand;
        continue;
      }
      if (z === parent.kids[other]) {
        z = parent;
        this.rotate(z, side);
      }
      z.parent!.red = false;
      grand.red = true;
      this.rotate(grand, other);
    }
    this.root!.red = false;
  }

  /** Rotate x down towards `side` (0: a left rotation, its right child rises). */
  private rotate(x: Node, side: Side): void {
    const other: Side = side === 0 ? 1 : 0;
    const y = x.kids[other]!;
    x.kids[other] = y.kids[side];
    if (y.kids[side]) y.kids[side]!.parent = x;
    y.parent = x.parent;
    if (!x.parent) this.root = y;
    else x.parent.kids[x === x.parent.kids[0] ? 0 : 1] = y;
    y.kids[side] = x;
    x.parent = y;
  }
}
