/**
 * The units a reorganisation moves: one block per ordinary member, one per run of adjacent
 * bit-fields (kept together so their storage units stay shared), and an abstract layout of a
 * block order (offset = roundup(offset, align), as gcc places ordinary members) used to search
 * orders quickly. Every order proposed is laid out again by the engine (index.ts).
 */
import { roundUp } from '../align.js';

export interface Block {
  /** Position in the original order (also the block's id). */
  id: number;
  /** Model member indices, in declaration order. */
  members: number[];
  size: number;
  align: number;
  bitfield: boolean;
  /** A trailing flexible or zero-length array: stays last. */
  last: boolean;
  /** --pin: never moves (and keeps its offset). */
  pinned: boolean;
  /**
   * A barrier (cacheline group marker, or a member aligned to a whole cacheline): never moves, and
   * no block crosses it. Blocks stay in their segment: segments never decrease along an order.
   */
  fixed: boolean;
  segment: number;
  /** Bit-field runs: each field's width and its declared type's size and alignment, bytes. */
  fields?: { width: number; typeSize: number; typeAlign: number }[];
}

export interface BlockInput {
  index: number;
  /** Allocation-order bit offset and width in the original layout. */
  bitOffset: number;
  bitSize?: number;
  byteSize: number;
  alignment: number;
  /** For bit-fields: the declared type's alignment on the target, bytes. */
  typeAlign?: number;
}

/** Group members (in placement order) into blocks; `barriers` (member indices) split them into segments. */
export function makeBlocks(members: readonly BlockInput[], pinned: ReadonlySet<number> = new Set(), barriers: ReadonlySet<number> = new Set()): Block[] {
  const blocks: Block[] = [];
  let segment = 0;
  // a barrier has a segment of its own, between the blocks before and after it
  const place = (b: Omit<Block, 'segment'>): void => {
    if (b.fixed) segment += 2;
    blocks.push({ ...b, segment: b.fixed ? segment - 1 : segment });
  };
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.bitSize !== undefined) {
      let j = i;
      while (j + 1 < members.length && members[j + 1]!.bitSize !== undefined) j++;
      const run = members.slice(i, j + 1);
      const first = Math.min(...run.map((r) => r.bitOffset));
      const end = Math.max(...run.map((r) => r.bitOffset + r.bitSize!));
      const align = Math.max(1, ...run.map((r) => r.alignment));
      place({
        id: blocks.length,
        members: run.map((r) => r.index),
        // bytes the run needs when it starts on its own storage unit
        size: Math.max(1, Math.ceil((end - first) / 8)),
        align,
        bitfield: true,
        last: false,
        pinned: run.some((r) => pinned.has(r.index)),
        fixed: run.some((r) => barriers.has(r.index)),
        fields: run.map((r) => ({ width: r.bitSize!, typeSize: r.byteSize, typeAlign: r.typeAlign ?? r.byteSize })),
      });
      i = j;
      continue;
    }
    place({
      id: blocks.length,
      members: [m.index],
      size: m.byteSize,
      align: Math.max(1, m.alignment),
      bitfield: false,
      last: i === members.length - 1 && m.byteSize === 0 && !barriers.has(m.index),
      pinned: pinned.has(m.index),
      fixed: barriers.has(m.index),
    });
  }
  return blocks;
}

export interface AbstractLayout {
  /** Byte offset of each block, by block id. */
  offsets: number[];
  /** End of the last block. */
  dataEnd: number;
  size: number;
}

export { roundUp };

/**
 * Lay out a block order abstractly; `structAlign` rounds the size. Works in bits so that runs of
 * bit-fields share storage as gcc places them (PCC_BITFIELD_TYPE_MATTERS: a field moves to the
 * next boundary of its type's alignment only when it would not fit in the unit it starts in).
 */
export function abstractLayout(blocks: readonly Block[], order: readonly number[], structAlign: number): AbstractLayout {
  const offsets = new Array<number>(blocks.length).fill(0);
  let bit = 0;
  for (const id of order) {
    const b = blocks[id]!;
    offsets[id] = Math.floor(startBit(bit, b) / 8);
    bit = advance(bit, b);
  }
  const off = Math.ceil(bit / 8);
  return { offsets, dataEnd: off, size: roundUp(off, structAlign) };
}

/** Where block `b` starts when the previous one ends at `bit`. */
export function startBit(bit: number, b: Block): number {
  if (!b.fields) return roundUp(Math.ceil(bit / 8), b.align) * 8;
  const f = b.fields[0]!;
  const a = f.typeAlign * 8;
  return (bit % a) + f.width > f.typeSize * 8 ? Math.ceil(bit / a) * a : bit;
}

/** The bit where block `b` ends when the previous one ends at `bit`. */
export function advance(bit: number, b: Block): number {
  if (!b.fields) return (roundUp(Math.ceil(bit / 8), b.align) + b.size) * 8;
  for (const f of b.fields) {
    const a = f.typeAlign * 8;
    if ((bit % a) + f.width > f.typeSize * 8) bit = Math.ceil(bit / a) * a;
    bit += f.width;
  }
  return bit;
}

/** roundup(sum of sizes, alignment): no order can be smaller. */
export function lowerBound(blocks: readonly Block[], structAlign: number, bitfieldBits: (b: Block) => number): number {
  // adjacent runs of bit-fields can share storage units: count their bits together
  let sum = 0;
  let bits = 0;
  for (const b of blocks) {
    if (b.bitfield) bits += bitfieldBits(b);
    else sum += b.size;
  }
  return roundUp(sum + Math.ceil(bits / 8), structAlign);
}

/** Every block in its segment: segments never decrease along the order. */
export function segmentsHold(blocks: readonly Block[], order: readonly number[]): boolean {
  for (let i = 1; i < order.length; i++) if (blocks[order[i - 1]!]!.segment > blocks[order[i]!]!.segment) return false;
  return true;
}

/** Whether `b` may go between `before` and `after` (block ids, undefined at the ends) without leaving its segment. */
export function fitsBetween(blocks: readonly Block[], b: Block, before: number | undefined, after: number | undefined): boolean {
  return (before === undefined || blocks[before]!.segment <= b.segment) && (after === undefined || blocks[after]!.segment >= b.segment);
}
