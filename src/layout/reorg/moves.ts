/**
 * Few moves: the members that keep their relative order form the longest increasing subsequence
 * of original positions in the new order; every other block is "moved" (placed right after its
 * new predecessor). The greedy search starts from the original order and makes, one at a time,
 * the single move that shrinks the abstract layout most, so that a small size needs few moves.
 */
import { abstractLayout, advance, fitsBetween, roundUp, segmentsHold, type AbstractLayout, type Block } from './blocks.js';

/** Block ids of a longest increasing subsequence of `order` (the blocks that do not move). */
export function keptBlocks(order: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k] = position in order of the smallest tail of a run of k+1
  const prev = new Array<number>(order.length).fill(-1);
  for (let i = 0; i < order.length; i++) {
    const v = order[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) kept.add(order[i]!);
  return kept;
}

export interface BlockMove {
  block: number;
  /** The block it now follows; undefined: it goes first. */
  after?: number;
}

/** The moves that turn the original order into `order`, in the order they are applied. */
export function movesTo(order: readonly number[]): BlockMove[] {
  const kept = keptBlocks(order);
  const moves: BlockMove[] = [];
  order.forEach((id, i) => {
    if (kept.has(id)) return;
    moves.push(i === 0 ? { block: id } : { block: id, after: order[i - 1]! });
  });
  return moves;
}

/** Apply moves one by one to the original order: the intermediate orders (for --steps). */
export function applyMoves(n: number, moves: readonly BlockMove[]): number[][] {
  let cur = Array.from({ length: n }, (_, i) => i);
  const steps: number[][] = [];
  for (const m of moves) {
    cur = cur.filter((x) => x !== m.block);
    const at = m.after === undefined ? 0 : cur.indexOf(m.after) + 1;
    cur.splice(at, 0, m.block);
    steps.push([...cur]);
  }
  return steps;
}

export interface GreedyOptions {
  structAlign: number;
  cachelineSize: number;
  /** Stop once this size is reached. */
  target: number;
  /** Every member stays in its original cacheline. */
  keepCachelines: boolean;
  maxSteps?: number;
  /** Orders kept per step (default by struct size). */
  beam?: number;
}

/** Score tie-break: cachelines the members that shared one before now touch, summed. */
export function cachelineSpread(blocks: readonly Block[], original: AbstractLayout, l: AbstractLayout, line: number): number {
  const groups = new Map<number, Set<number>>();
  for (const b of blocks) {
    const g = Math.floor(original.offsets[b.id]! / line);
    let s = groups.get(g);
    if (!s) groups.set(g, (s = new Set()));
    s.add(Math.floor(l.offsets[b.id]! / line));
    if (b.size > 0) s.add(Math.floor((l.offsets[b.id]! + b.size - 1) / line));
  }
  let n = 0;
  for (const s of groups.values()) n += s.size;
  return n;
}

function constraintsHold(blocks: readonly Block[], original: AbstractLayout, l: AbstractLayout, o: GreedyOptions): boolean {
  for (const b of blocks) {
    if (b.pinned && l.offsets[b.id] !== original.offsets[b.id]) return false;
    if (o.keepCachelines && Math.floor(l.offsets[b.id]! / o.cachelineSize) !== Math.floor(original.offsets[b.id]! / o.cachelineSize)) return false;
  }
  return true;
}

/**
 * Single moves from the original order, one step at a time, keeping the `beam` best orders by
 * (size, end of data, cacheline spread) after each step: a move that only pays off together with
 * a second one survives. Returns the best order found after each number of steps (index 0: the
 * original); the caller keeps the smallest size with the fewest moves.
 */
export function greedyMoves(blocks: readonly Block[], o: GreedyOptions): number[][] {
  const n = blocks.length;
  const start = Array.from({ length: n }, (_, i) => i);
  const original = abstractLayout(blocks, start, o.structAlign);
  const beamWidth = o.beam ?? (n <= 40 ? 12 : n <= 120 ? 4 : 1);
  type State = { order: number[]; l: AbstractLayout; spread: number };
  const better = (a: State, b: State) => a.l.size - b.l.size || a.l.dataEnd - b.l.dataEnd || a.spread - b.spread;
  let beam: State[] = [{ order: start, l: original, spread: cachelineSpread(blocks, original, original, o.cachelineSize) }];
  const bestPerStep: number[][] = [start];
  let bestSize = original.size;
  const maxSteps = o.maxSteps ?? n;
  let stale = 0;
  for (let step = 0; step < maxSteps && bestSize > o.target && stale < 2; step++) {
    const seen = new Set<string>();
    const next: State[] = [];
    const worst = (): State | undefined => (next.length >= beamWidth ? next[next.length - 1] : undefined);
    for (const cur of beam) {
      for (const b of blocks) {
        if (b.pinned || b.last || b.fixed) continue;
        const without = cur.order.filter((x) => x !== b.id);
        const from = cur.order.indexOf(b.id);
        const limit = blocks[without[without.length - 1]!]?.last ? without.length - 1 : without.length;
        // end offsets of the prefixes of `without`, so each insertion point costs one pass over the rest
        const prefix = new Array<number>(without.length + 1);
        prefix[0] = 0;
        for (let k = 0; k < without.length; k++) {
          const c = blocks[without[k]!]!;
          prefix[k + 1] = advance(prefix[k]!, c);
        }
        for (let p = 0; p <= limit; p++) {
          if (p === from) continue; // same order
          if (!fitsBetween(blocks, b, without[p - 1], without[p])) continue;
          let bit = advance(prefix[p]!, b);
          for (let k = p; k < without.length; k++) bit = advance(bit, blocks[without[k]!]!);
          const off = Math.ceil(bit / 8);
          const size = roundUp(off, o.structAlign);
          // a step must not grow the layout; with a beam of 1 it must shrink (size, end of data)
          if (size > cur.l.size || (size === cur.l.size && (off > cur.l.dataEnd || (beamWidth === 1 && off === cur.l.dataEnd)))) continue;
          const w = worst();
          if (w && (size > w.l.size || (size === w.l.size && off > w.l.dataEnd))) continue;
          const cand = [...without.slice(0, p), b.id, ...without.slice(p)];
          const key = cand.join(',');
          if (seen.has(key)) continue;
          seen.add(key);
          const l = abstractLayout(blocks, cand, o.structAlign);
          if (!constraintsHold(blocks, original, l, o)) continue;
          const st: State = { order: cand, l, spread: cachelineSpread(blocks, original, l, o.cachelineSize) };
          next.push(st);
          next.sort(better);
          if (next.length > beamWidth) next.pop();
        }
      }
    }
    if (!next.length) break;
    const prevBest = beam[0]!;
    beam = next;
    bestPerStep.push(beam[0]!.order);
    stale = better(beam[0]!, prevBest) < 0 && (beam[0]!.l.size < prevBest.l.size || beam[0]!.l.dataEnd < prevBest.l.dataEnd) ? 0 : stale + 1;
    bestSize = Math.min(bestSize, beam[0]!.l.size);
  }
  return bestPerStep;
}

/**
 * Hole filling, as a developer does by hand (and pahole tries): take the holes from the top;
 * fill each with the block from further down that fits it and leaves the smallest layout (the
 * largest such block on ties, then the last one). Returns the order after each move.
 */
export function holeFillMoves(blocks: readonly Block[], o: GreedyOptions): number[][] {
  const n = blocks.length;
  let cur = Array.from({ length: n }, (_, i) => i);
  const original = abstractLayout(blocks, cur, o.structAlign);
  let curL = original;
  const states: number[][] = [cur];
  for (let iter = 0; iter < 2 * n && curL.size > o.target; iter++) {
    let moved = false;
    for (let k = 0; k + 1 < cur.length && !moved; k++) {
      const a = blocks[cur[k]!]!;
      const end = curL.offsets[a.id]! + a.size;
      const next = curL.offsets[cur[k + 1]!]!;
      if (next <= end) continue;
      let best: { order: number[]; l: AbstractLayout; size: number; pos: number } | undefined;
      for (let j = k + 2; j < cur.length; j++) {
        const c = blocks[cur[j]!]!;
        if (c.pinned || c.last || c.fixed || roundUp(end, c.align) + c.size > next) continue;
        const cand = [...cur.slice(0, k + 1), c.id, ...cur.slice(k + 1).filter((x) => x !== c.id)];
        if (!segmentsHold(blocks, cand)) continue;
        const l = abstractLayout(blocks, cand, o.structAlign);
        if (l.size > curL.size || (l.size === curL.size && l.dataEnd > curL.dataEnd)) continue;
        if (!constraintsHold(blocks, original, l, o)) continue;
        if (best && (l.size > best.l.size || (l.size === best.l.size && (l.dataEnd > best.l.dataEnd || (l.dataEnd === best.l.dataEnd && c.size < best.size))))) continue;
        best = { order: cand, l, size: c.size, pos: j };
      }
      if (best) {
        cur = best.order;
        curL = best.l;
        states.push(cur);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return states;
}

/**
 * Fewer moves for an order of a given size: put moved blocks back among the blocks that keep
 * their relative order (anywhere between their kept neighbours) whenever the size stays the same.
 */
export function reduceMoves(blocks: readonly Block[], order: readonly number[], o: GreedyOptions): number[] {
  const original = abstractLayout(blocks, blocks.map((b) => b.id), o.structAlign);
  let cur = [...order];
  const size = abstractLayout(blocks, cur, o.structAlign).size;
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    const kept = keptBlocks(cur);
    for (const b of blocks) {
      if (kept.has(b.id) || b.last || b.fixed) continue;
      const without = cur.filter((x) => x !== b.id);
      // between the nearest kept blocks before and after it in the original order
      let lo = 0;
      let hi = without.length;
      without.forEach((x, i) => {
        if (!kept.has(x)) return;
        if (x < b.id) lo = Math.max(lo, i + 1);
        else if (x > b.id) hi = Math.min(hi, i);
      });
      if (blocks[without[without.length - 1]!]?.last) hi = Math.min(hi, without.length - 1);
      for (let p = lo; p <= hi; p++) {
        if (!fitsBetween(blocks, b, without[p - 1], without[p])) continue;
        const cand = [...without.slice(0, p), b.id, ...without.slice(p)];
        const l = abstractLayout(blocks, cand, o.structAlign);
        if (l.size > size || !constraintsHold(blocks, original, l, o)) continue;
        cur = cand;
        kept.add(b.id);
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return cur;
}
