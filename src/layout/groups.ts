/**
 * Cacheline groups, as the kernel declares them (include/linux/cache.h, Linux 6.8+):
 * `__cacheline_group_begin(G)` / `__cacheline_group_end(G)` are zero-length `__u8` arrays named
 * `__cacheline_group_begin__G` / `__cacheline_group_end__G` that bracket the members read together
 * on a fast path (checked at build time by CACHELINE_ASSERT_GROUP_MEMBER/_SIZE); the `_aligned`
 * variants add an alignment to the begin marker and an empty `__cacheline_group_pad__G` struct
 * after the end marker. The markers are found by name, so this works from DWARF and from BTF
 * (neither records the macros). Pure.
 */
import type { AggregateType } from '../model/types.js';

export const GROUP_BEGIN = '__cacheline_group_begin__';
export const GROUP_END = '__cacheline_group_end__';
export const GROUP_PAD = '__cacheline_group_pad__';

export type MarkerKind = 'begin' | 'end' | 'pad';

const MARKER_STEM = '__cacheline_group_';
const MARKERS = [
  [GROUP_BEGIN, 'begin'],
  [GROUP_END, 'end'],
  [GROUP_PAD, 'pad'],
] as const;

/** Which marker a member name is, if any, and the group it names. */
export function groupMarker(name: string | undefined): { kind: MarkerKind; group: string } | undefined {
  // every member name of a dump comes here: one prefix test for the common answer
  if (name === undefined || !name.startsWith(MARKER_STEM)) return undefined;
  for (const [prefix, kind] of MARKERS) {
    if (name.startsWith(prefix) && name.length > prefix.length) return { kind, group: name.slice(prefix.length) };
  }
  return undefined;
}

/** A member as the group finder needs it, in declaration order. */
export interface GroupInput {
  /** Index into the aggregate's members. */
  index: number;
  name?: string;
  /** Byte offset (the storage unit's for bit-fields) and size in bytes. */
  offset: number;
  size: number;
  /** Forced alignment (DW_AT_alignment), bytes. */
  alignment?: number;
}

export interface GroupMember {
  index: number;
  name: string;
  offset: number;
  size: number;
}

export interface CachelineGroup {
  name: string;
  /** Member indices of the begin and end markers. */
  beginMarker: number;
  endMarker: number;
  /** Offsets of the begin and end markers; size = end - begin (CACHELINE_ASSERT_GROUP_SIZE's measure). */
  begin: number;
  end: number;
  size: number;
  /** Forced alignment of the begin marker (`__cacheline_group_begin_aligned`). */
  alignment?: number;
  /** The members between the markers, in declaration order. */
  members: GroupMember[];
  /** Offset of the first member and end of the last one (undefined when the group is empty). */
  firstOffset?: number;
  lastEnd?: number;
  /** Cachelines the bytes [begin, end) touch, the first of them, and the fewest its size needs. */
  cachelines: number;
  firstLine: number;
  minCachelines: number;
  /** Members of other groups that lie in this group's cachelines. */
  sharing: { group: string; member: string; offset: number }[];
}

export interface GroupReport {
  cachelineSize: number;
  groups: CachelineGroup[];
  /** Marker names without their partner (a begin without an end, or the reverse). */
  unpaired: string[];
}

const linesOf = (from: number, to: number, line: number): [number, number] => (to > from ? [Math.floor(from / line), Math.floor((to - 1) / line)] : [Math.floor(from / line), Math.floor(from / line) - 1]);

/** The groups of one struct's members (declaration order), or undefined when it has no markers. */
export function findGroups(members: readonly GroupInput[], cachelineSize: number): GroupReport | undefined {
  if (!members.some((m) => groupMarker(m.name))) return undefined;
  const open = new Map<string, { pos: number; m: GroupInput }>();
  const pairs: { name: string; begin: GroupInput; end: GroupInput; from: number; to: number }[] = [];
  const unpaired: string[] = [];
  members.forEach((m, pos) => {
    const mk = groupMarker(m.name);
    if (!mk || mk.kind === 'pad') return;
    if (mk.kind === 'begin') {
      if (open.has(mk.group)) unpaired.push(open.get(mk.group)!.m.name!);
      open.set(mk.group, { pos, m });
      return;
    }
    const b = open.get(mk.group);
    if (!b) {
      unpaired.push(m.name!);
      return;
    }
    open.delete(mk.group);
    pairs.push({ name: mk.group, begin: b.m, end: m, from: b.pos, to: pos });
  });
  for (const { m } of open.values()) unpaired.push(m.name!);
  pairs.sort((a, b) => a.from - b.from);

  const groups: CachelineGroup[] = pairs.map((p) => {
    const inside = members.slice(p.from + 1, p.to).filter((m) => !groupMarker(m.name));
    const size = p.end.offset - p.begin.offset;
    const [first, last] = linesOf(p.begin.offset, p.end.offset, cachelineSize);
    const g: CachelineGroup = {
      name: p.name,
      beginMarker: p.begin.index,
      endMarker: p.end.index,
      begin: p.begin.offset,
      end: p.end.offset,
      size,
      // anonymous members (kernel structs put unions inside groups) as `check` and `reorg` label them
      members: inside.map((m) => ({ index: m.index, name: m.name ?? `<anonymous #${m.index}>`, offset: m.offset, size: m.size })),
      cachelines: last - first + 1,
      firstLine: first,
      minCachelines: Math.ceil(Math.max(0, size) / cachelineSize),
      sharing: [],
    };
    if (p.begin.alignment !== undefined) g.alignment = p.begin.alignment;
    if (inside.length) {
      g.firstOffset = Math.min(...inside.map((m) => m.offset));
      g.lastEnd = Math.max(...inside.map((m) => m.offset + m.size));
    }
    return g;
  });
  for (const g of groups) {
    const lastLine = g.firstLine + g.cachelines - 1;
    for (const o of groups) {
      if (o === g) continue;
      for (const m of o.members) {
        if (m.size === 0) continue;
        const [a, b] = linesOf(m.offset, m.offset + m.size, cachelineSize);
        if (a <= lastLine && b >= g.firstLine) g.sharing.push({ group: o.name, member: m.name, offset: m.offset });
      }
    }
  }
  return { cachelineSize, groups, unpaired };
}

/** The groups of a struct as DWARF/BTF placed it. */
export function aggregateGroups(agg: AggregateType, cachelineSize: number): GroupReport | undefined {
  if (agg.kind === 'union') return undefined;
  return findGroups(
    agg.members.flatMap((m, index) => (m.isStatic ? [] : [{ index, name: m.name, offset: Math.floor(m.bitOffset / 8), size: m.byteSize, alignment: m.alignment }])),
    cachelineSize,
  );
}

/** Groups that span more cachelines than their size needs. */
export function spreadGroups(report: GroupReport | undefined): CachelineGroup[] {
  return report?.groups.filter((g) => g.cachelines > g.minCachelines) ?? [];
}

/**
 * `aligned(N) on MARKER` as `check` words it: the alignment comes from the group macros, which
 * is their purpose, not an accident of the layout.
 */
export function explainMarkerAlignment(attribute: string): string {
  const m = /^aligned\((\d+)\) on (\S+)$/.exec(attribute);
  const mk = m ? groupMarker(m[2]) : undefined;
  if (!m || !mk) return attribute;
  // the begin marker's alignment comes from __cacheline_group_begin_aligned or a ____cacheline_aligned
  // written after the marker (tcp_sock): both mean the group starts aligned on purpose
  const why =
    mk.kind === 'begin'
      ? `group ${mk.group} starts aligned on purpose`
      : mk.kind === 'end'
        ? `group ${mk.group} ends aligned (__cacheline_group_end_aligned)`
        : `the padding after group ${mk.group} (__cacheline_group_end_aligned)`;
  return `${attribute} (cacheline group marker: ${why})`;
}
