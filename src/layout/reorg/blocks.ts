/**
 * The units a reorganisation moves: one block per ordinary member, one per run of adjacent
 * bit-fields (kept together so their storage units stay shared), and an abstract layout of a
 * block order (offset = roundup(offset, align), as gcc places ordinary members) used to search
 * orders quickly. Every order proposed is laid out again by the engine (index.ts).
 */

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
}

export interface BlockInput {
  index: number;
  /** Allocation-order bit offset and width in the original layout. */
  bitOffset: number;
  bitSize?: number;
  byteSize: number;
  alignment: number;
}

/** Group members (in placement order) into blocks. */
export function makeBlocks(members: readonly BlockInput[], pinned: ReadonlySet<number> = new Set()): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.bitSize !== undefined) {
      let j = i;
      while (j + 1 < members.length && members[j + 1]!.bitSize !== undefined) j++;
      const run = members.slice(i, j + 1);
      const first = Math.min(...run.map((r) => r.bitOffset));
      const end = Math.max(...run.map((r) => r.bitOffset + r.bitSize!));
      const align = Math.max(1, ...run.map((r) => r.alignment));
      blocks.push({
        id: blocks.length,
        members: run.map((r) => r.index),
        // bytes the run needs when it starts on its own storage unit
        size: Math.max(1, Math.ceil((end - first) / 8)),
        align,
        bitfield: true,
        last: false,
        pinned: run.some((r) => pinned.has(r.index)),
      });
      i = j;
      continue;
    }
    blocks.push({
      id: blocks.length,
      members: [m.index],
      size: m.byteSize,
      align: Math.max(1, m.alignment),
      bitfield: false,
      last: i === members.length - 1 && m.byteSize === 0,
      pinned: pinned.has(m.index),
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

export const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Lay out a block order abstractly; `structAlign` rounds the size. */
export function abstractLayout(blocks: readonly Block[], order: readonly number[], structAlign: number): AbstractLayout {
  const offsets = new Array<number>(blocks.length).fill(0);
  let off = 0;
  for (const id of order) {
    const b = blocks[id]!;
    const at = roundUp(off, b.align);
    offsets[id] = at;
    off = at + b.size;
  }
  return { offsets, dataEnd: off, size: roundUp(off, structAlign) };
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
