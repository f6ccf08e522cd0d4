/**
 * The byte map of a struct: its bytes cut into segments that tile [0, size) exactly once — a
 * member, a run of bit-fields sharing a storage unit, a hole or the tail padding — for the
 * pictures (terminal map, HTML report). Pure, from member extents only, so a computed Layout, a
 * show JSON report and the facts of a diff all give the same map.
 */
import type { Layout } from './types.js';

/** Where a member lies: bytes, and bits for bit-fields (allocation-order bit offset in the aggregate). */
export interface MemberExtent {
  name?: string | null;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
}

export interface MapShape {
  kind: string;
  size: number;
  members: readonly MemberExtent[];
}

export type SegmentKind = 'member' | 'bitfields' | 'union' | 'hole' | 'padding';

export interface Segment {
  kind: SegmentKind;
  /** Byte range [start, end); zero-length for members without bytes (flexible arrays, width-0 bit-fields). */
  start: number;
  end: number;
  /** Indices into the shape's members (one for 'member', the bit-fields for 'bitfields', all for 'union'). */
  members: number[];
}

export interface ByteMap {
  size: number;
  cachelineSize: number;
  segments: Segment[];
}

const isBitfield = (m: MemberExtent) => m.bitSize !== undefined && m.bitOffset !== undefined;

/** The bytes a member really uses: its bit range for bit-fields, [offset, offset + size) otherwise. */
export function usedBytes(m: MemberExtent): [number, number] {
  if (!isBitfield(m)) return [m.offset, m.offset + Math.max(0, m.size)];
  if (m.bitSize === 0) return [Math.floor(m.bitOffset! / 8), Math.floor(m.bitOffset! / 8)];
  return [Math.floor(m.bitOffset! / 8), Math.ceil((m.bitOffset! + m.bitSize!) / 8)];
}

/** Cut a struct's (or union's) bytes into members, bit-field runs, holes and padding. */
export function byteMap(shape: MapShape, cachelineSize: number): ByteMap {
  const size = Math.max(0, shape.size);
  const raw: Segment[] = [];
  /** Per bit-field run: where its storage unit ends. */
  const unitEnds = new Map<Segment, number>();
  if (shape.kind === 'union') {
    const end = Math.min(size, shape.members.reduce((n, m) => Math.max(n, usedBytes(m)[1]), 0));
    raw.push({ kind: 'union', start: 0, end, members: shape.members.map((_, i) => i) });
  } else {
    // bit-fields sharing a storage unit form one run
    let run: Segment | undefined;
    let runUnit = '';
    shape.members.forEach((m, i) => {
      const [s, e] = usedBytes(m);
      if (isBitfield(m)) {
        const unit = `${m.offset}/${m.size}`;
        // the unit the bits end in: the recorded one, or (bits spilling past it, as pahole records
        // units combined with previous fields) the next unit-sized boundary
        const unitEnd = e > m.offset + m.size && m.size > 0 ? Math.ceil(e / m.size) * m.size : m.offset + m.size;
        // a bit-field joins the run when its bytes lie inside the run's storage unit, or it shares the unit
        if (run && (s < unitEnds.get(run)! || (runUnit === unit && s <= run.end))) {
          run.end = Math.max(run.end, e);
          run.members.push(i);
          unitEnds.set(run, Math.max(unitEnds.get(run)!, unitEnd));
          return;
        }
        run = { kind: 'bitfields', start: s, end: e, members: [i] };
        runUnit = unit;
        unitEnds.set(run, unitEnd);
        raw.push(run);
        return;
      }
      run = undefined;
      raw.push({ kind: 'member', start: s, end: e, members: [i] });
    });
  }
  // in offset order; overlaps (hostile or unusual debug info) are clipped so every byte has one owner
  raw.sort((a, b) => a.start - b.start);
  // a run of bit-fields covers its storage unit up to whatever comes next: unused bits of a unit are
  // bit holes (inside the unit), not byte holes, as pahole counts them
  let next = size; // start of the next segment that owns bytes
  for (let k = raw.length - 1; k >= 0; k--) {
    const seg = raw[k]!;
    const unitEnd = unitEnds.get(seg);
    if (unitEnd !== undefined) seg.end = Math.max(seg.end, Math.min(unitEnd, next, size));
    if (seg.end > seg.start) next = seg.start;
  }
  const segments: Segment[] = [];
  let at = 0;
  for (const seg of raw) {
    const start = Math.min(size, Math.max(seg.start, at));
    const end = Math.min(size, Math.max(seg.end, start));
    if (start > at) segments.push({ kind: 'hole', start: at, end: start, members: [] });
    segments.push({ ...seg, start, end });
    at = end;
  }
  if (at < size) segments.push({ kind: 'padding', start: at, end: size, members: [] });
  return { size, cachelineSize, segments };
}

/** The shape of a computed Layout: its data members and base classes (static members have no bytes). */
export interface LayoutMemberExtent extends MemberExtent {
  /** Index into Layout.members. */
  layoutIndex: number;
}

export function layoutShape(layout: Layout): { kind: string; size: number; members: LayoutMemberExtent[] } {
  const members: LayoutMemberExtent[] = [];
  layout.members.forEach((m, k) => {
    if (m.role === 'static') return;
    const e: LayoutMemberExtent = { offset: m.relOffset, size: m.size, layoutIndex: k };
    if (m.name !== undefined) e.name = m.name;
    if (m.bitfield) {
      e.bitOffset = m.bitOffset;
      e.bitSize = m.bitfield.width;
    }
    members.push(e);
  });
  return { kind: layout.kind, size: layout.size, members };
}

/** The cachelines [first, last] a byte range touches (an empty range: the line it starts in). */
export function cachelinesOf(start: number, end: number, cachelineSize: number): [number, number] {
  const first = Math.floor(start / cachelineSize);
  return [first, end > start ? Math.floor((end - 1) / cachelineSize) : first];
}
