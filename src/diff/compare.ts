/**
 * Compare two sets of layout facts. Types are matched by kind and name (the first definition of a
 * name counts, as pahole prints it); members by name, anonymous members by offset and type, then by
 * order and type; an unmatched old and new member with the same type, offset and size is a rename.
 * Pure.
 */
import type { FileFacts, LayoutFacts, MemberFacts, TypeFacts, TypeSummaryFacts } from './facts.js';

export type MemberChange = 'added' | 'removed' | 'renamed' | 'retyped' | 'resized' | 'bitfield' | 'moved' | 'cacheline';

/** One side of a member change: the member's facts and the cacheline it starts in. */
export interface MemberSide extends Omit<MemberFacts, 'base'> {
  cacheline: number;
}

export interface MemberDiff {
  /** The member's name in the new version (the old one when removed). */
  name: string | null;
  /** The most telling change: added, removed, renamed, retyped, resized, bitfield or moved. */
  change: Exclude<MemberChange, 'cacheline'>;
  /** Every change, in the order of MemberChange ('cacheline': it starts in another cacheline). */
  changes: MemberChange[];
  old?: MemberSide;
  new?: MemberSide;
}

export type TypeChange = 'added' | 'removed' | 'changed';

export interface TypeDiff {
  kind: string;
  name: string;
  change: TypeChange;
  old?: TypeSummaryFacts;
  new?: TypeSummaryFacts;
  /** Member changes (empty for added and removed types). */
  members: MemberDiff[];
}

export interface DiffResult {
  old: FileFacts;
  new: FileFacts;
  /** Types compared on each side. */
  oldTypes: number;
  newTypes: number;
  unchanged: number;
  /** Added, removed and changed types: changed and removed in old order, then added in new order. */
  types: TypeDiff[];
}

const CHANGE_ORDER: MemberChange[] = ['added', 'removed', 'renamed', 'retyped', 'resized', 'bitfield', 'moved', 'cacheline'];
export const SUMMARY_FIELDS = ['size', 'alignment', 'cachelines', 'holes', 'sumHoles', 'bitHoles', 'sumBitHoles', 'padding'] as const;

const typeKey = (t: TypeFacts) => `${t.kind} ${t.name}`;

function byKey(types: TypeFacts[]): Map<string, TypeFacts> {
  const m = new Map<string, TypeFacts>();
  for (const t of types) if (t.name !== '' && !m.has(typeKey(t))) m.set(typeKey(t), t);
  return m;
}

export function summaryOf(t: TypeFacts): TypeSummaryFacts {
  const { size, alignment, cachelines, holes, sumHoles, bitHoles, sumBitHoles, padding } = t;
  return { size, alignment, cachelines, holes, sumHoles, bitHoles, sumBitHoles, padding };
}

export function diffLayouts(oldF: LayoutFacts, newF: LayoutFacts): DiffResult {
  const olds = byKey(oldF.types);
  const news = byKey(newF.types);
  const types: TypeDiff[] = [];
  let unchanged = 0;
  for (const [key, o] of olds) {
    const n = news.get(key);
    if (!n) {
      types.push({ kind: o.kind, name: o.name, change: 'removed', old: summaryOf(o), members: [] });
      continue;
    }
    const members = diffMembers(o.members, n.members, oldF.file.cachelineSize, newF.file.cachelineSize);
    const summaryChanged = SUMMARY_FIELDS.some((f) => o[f] !== n[f]);
    if (!summaryChanged && members.length === 0) {
      unchanged++;
      continue;
    }
    types.push({ kind: o.kind, name: o.name, change: 'changed', old: summaryOf(o), new: summaryOf(n), members });
  }
  for (const [key, n] of news) if (!olds.has(key)) types.push({ kind: n.kind, name: n.name, change: 'added', new: summaryOf(n), members: [] });
  return { old: oldF.file, new: newF.file, oldTypes: olds.size, newTypes: news.size, unchanged, types };
}

/** Pairs of (old index, new index) of matched members. */
function matchMembers(a: MemberFacts[], b: MemberFacts[]): { pairs: [number, number][]; renames: Set<number> } {
  const pairs: [number, number][] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pair = (i: number, j: number) => {
    pairs.push([i, j]);
    usedA.add(i);
    usedB.add(j);
  };
  // by name
  const named = new Map<string, number>();
  b.forEach((m, j) => {
    if (m.name !== null && !named.has(m.name)) named.set(m.name, j);
  });
  a.forEach((m, i) => {
    const j = m.name === null ? undefined : named.get(m.name);
    if (j !== undefined && !usedB.has(j)) pair(i, j);
  });
  // anonymous members (and base classes): same type and offset, then same type in order
  const anonA = () => a.map((_, i) => i).filter((i) => a[i]!.name === null && !usedA.has(i));
  const anonB = () => b.map((_, j) => j).filter((j) => b[j]!.name === null && !usedB.has(j));
  for (const i of anonA()) {
    const j = anonB().find((j) => b[j]!.type === a[i]!.type && b[j]!.offset === a[i]!.offset);
    if (j !== undefined) pair(i, j);
  }
  for (const i of anonA()) {
    const j = anonB().find((j) => b[j]!.type === a[i]!.type);
    if (j !== undefined) pair(i, j);
  }
  // renames: a named member gone and a named member new with the same type and position
  const renames = new Set<number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (usedA.has(i) || x.name === null) continue;
    const j = b.findIndex((y, j) => !usedB.has(j) && y.name !== null && y.type === x.type && y.offset === x.offset && y.size === x.size && y.bitOffset === x.bitOffset && y.bitSize === x.bitSize);
    if (j >= 0) {
      pair(i, j);
      renames.add(j);
    }
  }
  return { pairs, renames };
}

function side(m: MemberFacts, cachelineSize: number): MemberSide {
  const s: MemberSide = { name: m.name, type: m.type, offset: m.offset, size: m.size, cacheline: Math.floor(m.offset / cachelineSize) };
  if (m.bitSize !== undefined) {
    s.bitOffset = m.bitOffset;
    s.bitSize = m.bitSize;
  }
  return s;
}

/** Bit position inside the storage unit, or undefined for a plain member. */
const bitPosition = (m: MemberFacts) => (m.bitSize === undefined ? undefined : m.bitOffset! - m.offset * 8);

export function diffMembers(a: MemberFacts[], b: MemberFacts[], clsA: number, clsB: number): MemberDiff[] {
  const { pairs, renames } = matchMembers(a, b);
  const oldOf = new Map<number, number>(); // new index -> old index
  for (const [i, j] of pairs) oldOf.set(j, i);
  const matchedOld = new Set(pairs.map(([i]) => i));
  const out: { key: number; d: MemberDiff }[] = [];

  b.forEach((n, j) => {
    const i = oldOf.get(j);
    if (i === undefined) {
      out.push({ key: j, d: { name: n.name, change: 'added', changes: ['added'], new: side(n, clsB) } });
      return;
    }
    const o = a[i]!;
    const os = side(o, clsA);
    const ns = side(n, clsB);
    const changes: MemberChange[] = [];
    if (renames.has(j)) changes.push('renamed');
    if (o.type !== n.type) changes.push('retyped');
    if (o.size !== n.size) changes.push('resized');
    if (o.bitSize !== n.bitSize || bitPosition(o) !== bitPosition(n)) changes.push('bitfield');
    if (o.offset !== n.offset) changes.push('moved');
    if (os.cacheline !== ns.cacheline) changes.push('cacheline');
    if (changes.length === 0) return;
    changes.sort((x, y) => CHANGE_ORDER.indexOf(x) - CHANGE_ORDER.indexOf(y));
    out.push({ key: j, d: { name: n.name, change: changes[0] as MemberDiff['change'], changes, old: os, new: ns } });
  });
  // a removed member goes after the new position of the old member before it
  a.forEach((o, i) => {
    if (matchedOld.has(i)) return;
    let key = -0.5;
    for (let k = i - 1; k >= 0; k--) {
      const j = pairs.find(([x]) => x === k)?.[1];
      if (j !== undefined) {
        key = j + 0.5;
        break;
      }
    }
    out.push({ key: key + i / (a.length + 1) / 4, d: { name: o.name, change: 'removed', changes: ['removed'], old: side(o, clsA) } });
  });
  out.sort((x, y) => x.key - y.key);
  return out.map((x) => x.d);
}
