/**
 * The smallest size any order can reach (abstract block model): an exact search over the
 * alignment classes (blocks of the same size and alignment are interchangeable), memoised on
 * (blocks left per class, offset modulo the struct alignment), which is what decides the
 * remaining padding. Falls back to largest-alignment-first with hole filling when the state
 * space is too large.
 */
import { abstractLayout, advance, roundUp, type Block } from './blocks.js';

export interface PackResult {
  /** Block ids in placement order (the trailing block, if any, last). */
  order: number[];
  size: number;
  /** True when the exact search finished (the size is the minimum of the abstract model). */
  exact: boolean;
}

const STATE_LIMIT = 100_000;

/** Smallest abstract layout of all blocks; `fixedLast` stays at the end. */
export function packMinimal(blocks: readonly Block[], structAlign: number, bound = 0): PackResult {
  const movable = blocks.filter((b) => !b.last);
  const tail = blocks.filter((b) => b.last).map((b) => b.id);
  // the heuristic usually reaches the lower bound already: then nothing smaller exists
  const quick = [...greedyPack(movable), ...tail];
  const quickSize = sizeOf(blocks, quick, structAlign);
  if (quickSize <= bound) return { order: quick, size: quickSize, exact: true };
  const exact = exactPack(movable, structAlign);
  const order = exact ?? greedyPack(movable);
  return { order: [...order, ...tail], size: sizeOf(blocks, [...order, ...tail], structAlign), exact: exact !== undefined };
}

function sizeOf(blocks: readonly Block[], order: readonly number[], structAlign: number): number {
  return abstractLayout(blocks, order, structAlign).size;
}

/**
 * Largest alignment first; before placing a block, fill the gap its alignment leaves with smaller
 * blocks. `start`: the byte offset the first block follows.
 */
export function greedyPack(blocks: readonly Block[], start = 0): number[] {
  const left = [...blocks].sort((a, b) => b.align - a.align || b.size - a.size || a.id - b.id);
  const order: number[] = [];
  let off = start;
  while (left.length) {
    const b = left.shift()!;
    const start = roundUp(off, b.align);
    // fill the gap: each time the block that needs the least padding here, the largest on ties
    while (off < start) {
      let pick = -1;
      let pad = Infinity;
      for (let k = 0; k < left.length; k++) {
        const c = left[k]!;
        const at = roundUp(off, c.align);
        if (at + c.size > start) continue;
        if (at - off < pad || (at - off === pad && c.size > left[pick]!.size)) {
          pick = k;
          pad = at - off;
        }
      }
      if (pick < 0) break;
      const c = left.splice(pick, 1)[0]!;
      order.push(c.id);
      off = roundUp(off, c.align) + c.size;
    }
    order.push(b.id);
    off = roundUp(off, b.align) + b.size;
  }
  return order;
}

/** Exact minimum over orders of classes; undefined when the state space is too large. */
function exactPack(blocks: readonly Block[], structAlign: number): number[] | undefined {
  const classes = new Map<string, Block[]>();
  for (const b of blocks) {
    const key = `${b.size}/${b.align}`;
    const list = classes.get(key);
    if (list) list.push(b);
    else classes.set(key, [b]);
  }
  const cls = [...classes.values()];
  let states = 1;
  for (const c of cls) {
    states *= c.length + 1;
    if (states > STATE_LIMIT) return undefined;
  }
  const M = Math.max(structAlign, ...blocks.map((b) => b.align), 1);
  if (states * Math.min(M, 64) > STATE_LIMIT * 2) return undefined;
  const counts = cls.map((c) => c.length);
  const memo = new Map<string, { cost: number; pick: number }>();
  // cost: bytes added from offset r (mod M) until the end, tail padding included
  const best = (r: number): number => {
    const key = counts.join(',') + '|' + r;
    const hit = memo.get(key);
    if (hit) return hit.cost;
    let cost = Infinity;
    let pick = -1;
    let any = false;
    for (let i = 0; i < cls.length; i++) {
      if (!counts[i]) continue;
      any = true;
      const b = cls[i]![0]!;
      const at = roundUp(r, b.align);
      const step = at - r + b.size;
      counts[i]!--;
      const c = step + best((r + step) % M);
      counts[i]!++;
      if (c < cost) {
        cost = c;
        pick = i;
      }
    }
    if (!any) cost = (M - (r % M)) % M;
    memo.set(key, { cost, pick });
    return cost;
  };
  best(0);
  // replay the picks; blocks of one class keep their original relative order
  const order: number[] = [];
  const used = cls.map(() => 0);
  let r = 0;
  for (;;) {
    const hit = memo.get(counts.join(',') + '|' + r)!;
    if (hit.pick < 0) break;
    const b = cls[hit.pick]![used[hit.pick]!]!;
    used[hit.pick]!++;
    order.push(b.id);
    r = (roundUp(r, b.align) + b.size) % M;
    counts[hit.pick]!--;
  }
  return order;
}

/**
 * Each segment packed on its own, in order, barriers in place (blocks never leave their segment);
 * with `hot`, the hot blocks of a segment come first, packed together, then the others. From an
 * aligned start, largest-alignment-first leaves no padding between blocks whose sizes are multiples
 * of their alignment, so the hot blocks end as early as their sizes allow: the fewest cachelines.
 */
// coldInPlace: the other blocks keep their original order (a start for the move search)
export function packSegments(blocks: readonly Block[], hot?: ReadonlySet<number>, coldInPlace = false): number[] {
  const segments = new Map<number, Block[]>();
  for (const b of blocks) {
    const list = segments.get(b.segment);
    if (list) list.push(b);
    else segments.set(b.segment, [b]);
  }
  const order: number[] = [];
  let bit = 0;
  const append = (ids: readonly number[]) => {
    for (const id of ids) {
      order.push(id);
      bit = advance(bit, blocks[id]!);
    }
  };
  for (const seg of [...segments.keys()].sort((a, b) => a - b)) {
    const list = segments.get(seg)!;
    const movable = list.filter((b) => !b.last);
    const parts = hot ? [movable.filter((b) => hot.has(b.id)), movable.filter((b) => !hot.has(b.id))] : [movable];
    parts.forEach((part, k) => append(coldInPlace && k === parts.length - 1 ? part.map((b) => b.id) : greedyPack(part, Math.ceil(bit / 8))));
    append(list.filter((b) => b.last).map((b) => b.id));
  }
  return order;
}
