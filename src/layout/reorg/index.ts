/**
 * Reorganise a struct: the smallest size any member order reaches (pack.ts), reached with as few
 * moved members as the search finds (moves.ts), every candidate laid out by the ABI engine with
 * the attributes inferred from DWARF (aligned(N), packed …), so the layout reported is the one
 * the compiler will produce. Pure.
 */
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../../model/types.js';
import { AttributeInference, type Abi, type EngineLayout, type InferOptions } from '../abi/index.js';
import { memberLabel } from '../abi/attributes.js';
import type { AggregatePlan, MemberPlan } from '../abi/engine.js';
import { abstractLayout, lowerBound, makeBlocks, type Block } from './blocks.js';
import { applyMoves, greedyMoves, holeFillMoves, movesTo, reduceMoves, type BlockMove } from './moves.js';
import { packMinimal, packSegments } from './pack.js';
import { findGroups, groupMarker } from '../groups.js';

export { keptBlocks, movesTo } from './moves.js';
export type { Block } from './blocks.js';

export interface ReorgOptions {
  cachelineSize: number;
  /** Member names that keep their place. */
  pin?: readonly string[];
  keepCachelines?: boolean;
  /** The most moved members a proposal may have (undefined: no limit). */
  maxMoves?: number;
  /** Members read together: packed into as few cachelines as possible at the front (of their group). */
  hot?: readonly string[];
  /**
   * Keep the author's intent (default true): cacheline group markers and members aligned to a whole
   * cacheline never move, and no member crosses them (members stay in their group).
   */
  keepIntent?: boolean;
}

/** What a larger --max-moves budget would reach. */
export interface ReorgBudget {
  maxMoves: number;
  /** The size the search reaches without a budget, and the moves it takes. */
  size: number;
  moves: number;
}

/** --hot: cachelines the hot members touch before and after, and the fewest their sizes allow. */
export interface HotLines {
  members: number[];
  before: number;
  after: number;
  fewest: number;
}

export interface ReorgMove {
  /** Model member indices of the moved block (several for a run of bit-fields). */
  members: number[];
  /** The member it now follows (the last of the preceding block); undefined: first. */
  after?: number;
}

export type MinimalProof =
  /** The size equals roundup(sum of sizes, alignment). */
  | 'lower-bound'
  /** An exhaustive search over alignment classes found nothing smaller. */
  | 'exhaustive'
  /** Neither (constraints given, bit-fields, or too many classes to search). */
  | 'unproven';

export interface ReorgOk {
  ok: true;
  id: TypeId;
  agg: AggregateType;
  oldLayout: EngineLayout;
  newLayout: EngineLayout;
  /** Model member indices in the new declaration order. */
  order: number[];
  moves: ReorgMove[];
  /** Member orders after each move (for --steps). */
  steps: number[][];
  lowerBound: number;
  minimal: MinimalProof;
  /** Set when a larger --max-moves budget would give a smaller size. */
  budget?: ReorgBudget;
  hot?: HotLines;
  /** Members that never moved because they are group markers or start a cacheline on purpose. */
  barriers: number[];
}

export interface ReorgRefused {
  ok: false;
  id: TypeId;
  agg?: AggregateType;
  reason: string;
}

export type ReorgResult = ReorgOk | ReorgRefused;

/** One reorganiser per file: shares the attribute inference (and its engine) between types. */
export class Reorganizer {
  readonly inference: AttributeInference;

  constructor(
    readonly table: TypeTable,
    readonly abi: Abi,
    inferOptions: InferOptions = {},
  ) {
    this.inference = new AttributeInference(table, abi, inferOptions);
  }

  /** Lay the members of `plan` out in `order` (model member indices). */
  layoutOrder(plan: AggregatePlan, attrs: Parameters<AttributeInference['engine']['layoutPlan']>[1], order: readonly number[]): EngineLayout {
    const byIndex = new Map<number, MemberPlan>(plan.members.map((m) => [m.index, m]));
    return this.inference.engine.layoutPlan({ ...plan, members: order.map((i) => byIndex.get(i)!) }, attrs);
  }

  reorganize(id: TypeId, opts: ReorgOptions): ReorgResult {
    const t = this.table.get(id);
    if (!isAggregate(t) || t.declaration) return { ok: false, id, reason: 'not a complete struct' };
    if (t.kind === 'union') return { ok: false, id, agg: t, reason: 'a union: member order does not change its layout' };
    if (t.members.some((m) => m.isBase || m.artificial || m.isStatic)) {
      return { ok: false, id, agg: t, reason: 'C++ class with bases, a vtable or static members: not supported' };
    }
    const inferred = this.inference.infer(id);
    if (inferred.status === 'unpredictable') return { ok: false, id, agg: t, reason: `the layout engine cannot lay it out: ${inferred.unpredictable}` };
    if (inferred.status === 'unexplained') return { ok: false, id, agg: t, reason: "the layout engine does not reproduce the compiler's layout (see `structscope check`)" };
    const attrs = inferred.attributes;
    // an unnamed bit-field (not in DWARF) stays in front of the member it precedes: the engine
    // places it before that member wherever the member goes
    const gaps = (attrs.unnamedBefore?.size ?? 0) > 0;
    if (attrs.packed || attrs.pack) return { ok: false, id, agg: t, reason: 'packed struct: member order does not change its size' };
    const plan = this.inference.engine.plan(t);
    if ('unpredictable' in plan) return { ok: false, id, agg: t, reason: plan.unpredictable };
    const oldLayout = inferred.layout!;

    const pinned = new Set<number>();
    for (const name of opts.pin ?? []) {
      const i = t.members.findIndex((m) => m.name === name);
      if (i >= 0) pinned.add(i);
    }
    const placed = new Map(oldLayout.members.map((m) => [m.index, m]));
    // the author's intent: group markers, and members aligned to a whole cacheline, stay where they are
    const barriers = new Set<number>();
    if (opts.keepIntent !== false) {
      for (const e of oldLayout.members) if (groupMarker(t.members[e.index]?.name) || e.alignment >= opts.cachelineSize) barriers.add(e.index);
    }
    const blocks = makeBlocks(
      plan.members.map((mp) => {
        const e = placed.get(mp.index)!;
        return { index: mp.index, bitOffset: e.bitOffset, bitSize: e.bitSize, byteSize: e.byteSize, alignment: e.alignment, typeAlign: mp.field.align };
      }),
      pinned,
      barriers,
    );
    const hotNames = new Set(opts.hot ?? []);
    const hotMembers = t.members.flatMap((m, i) => (m.name !== undefined && hotNames.has(m.name) ? [i] : []));
    const hotBlocks = new Set(blocks.filter((b) => b.members.some((i) => hotMembers.includes(i))).map((b) => b.id));
    const structAlign = oldLayout.alignment;
    const bits = (b: Block) => b.members.reduce((s, i) => s + (placed.get(i)!.bitSize ?? 0), 0);
    const bound = lowerBound(blocks, structAlign, bits);
    const toMembers = (order: readonly number[]) => order.flatMap((b) => blocks[b]!.members);

    const constrained = pinned.size > 0 || opts.keepCachelines === true;
    const segmented = blocks.some((b) => b.fixed);
    const lastOf = (b: number) => blocks[b]!.members[blocks[b]!.members.length - 1]!;
    const sizeOf = (order: number[]) => abstractLayout(blocks, order, structAlign).size;
    const moveList = (moves: BlockMove[]): ReorgMove[] =>
      moves.map((m) => (m.after === undefined ? { members: blocks[m.block]!.members } : { members: blocks[m.block]!.members, after: lastOf(m.after) }));

    if (hotBlocks.size) {
      // --hot: the hot members first (in their segment), packed together; then the fewest moves
      // that shrink the rest, searched from there with the hot blocks held in place
      const start = packSegments(blocks, hotBlocks, true);
      const renumbered = start.map((b, k) => ({ ...blocks[b]!, id: k, pinned: blocks[b]!.pinned || hotBlocks.has(b) }));
      const local = { structAlign, cachelineSize: opts.cachelineSize, target: bound, keepCachelines: false };
      const found = [...greedyMoves(renumbered, local), ...holeFillMoves(renumbered, local).slice(1)].map((o) => o.map((k) => start[k]!));
      let choice: { order: number[]; layout: EngineLayout; moves: BlockMove[]; lines: number } | undefined;
      for (const order of [...found, packSegments(blocks, hotBlocks)]) {
        const layout = this.layoutOrder(plan, attrs, toMembers(order));
        if (layout.unpredictable !== undefined) continue;
        const moves = movesTo(order);
        if (opts.maxMoves !== undefined && moves.length > opts.maxMoves) continue;
        const lines = linesTouched(layout, hotMembers, opts.cachelineSize);
        if (choice && (lines > choice.lines || (lines === choice.lines && (layout.size > choice.layout.size || (layout.size === choice.layout.size && moves.length >= choice.moves.length))))) continue;
        choice = { order, layout, moves, lines };
      }
      if (!choice) {
        const need = movesTo(start).length;
        return { ok: false, id, agg: t, reason: `packing the hot members takes at least ${need} moves, more than --max-moves ${opts.maxMoves}` };
      }
      const hotBytes = hotMembers.reduce((sum, i) => sum + (placed.get(i)!.byteSize ?? 0), 0);
      return {
        ok: true,
        id,
        agg: t,
        oldLayout,
        newLayout: choice.layout,
        order: toMembers(choice.order),
        moves: moveList(choice.moves),
        steps: applyMoves(blocks.length, choice.moves).map(toMembers),
        lowerBound: bound,
        minimal: choice.layout.size === bound ? 'lower-bound' : 'unproven',
        hot: {
          members: hotMembers,
          before: linesTouched(oldLayout, hotMembers, opts.cachelineSize),
          after: choice.lines,
          fewest: Math.ceil(hotBytes / opts.cachelineSize),
        },
        barriers: [...barriers],
      };
    }

    const packed = constrained ? undefined : segmented ? { order: packSegments(blocks), size: 0, exact: false } : packMinimal(blocks, structAlign, bound);
    if (packed && segmented) packed.size = sizeOf(packed.order);
    const target = Math.max(bound, packed?.size ?? bound);
    const search = { structAlign, cachelineSize: opts.cachelineSize, target, keepCachelines: opts.keepCachelines === true };
    const greedy = [...greedyMoves(blocks, search), ...holeFillMoves(blocks, search).slice(1)];

    // Candidates, each laid out by the engine: the original, every greedy state, the packed order.
    const candidates: number[][] = [...greedy];
    if (packed) candidates.push(packed.order);
    // then the same sizes with fewer moves, where moved blocks can go back
    const smallest = Math.min(...candidates.map(sizeOf));
    for (const order of candidates.filter((c) => sizeOf(c) === smallest)) candidates.push(reduceMoves(blocks, order, search));
    // groups: the cachelines groups span beyond what their sizes need (a tie-break after the size)
    const grouped = t.members.some((m) => groupMarker(m.name));
    const groupExcess = (order: readonly number[], layout: EngineLayout): number => {
      if (!grouped) return 0;
      const at = new Map(layout.members.map((e) => [e.index, e]));
      const report = findGroups(
        order.map((i) => ({ index: i, name: t.members[i]!.name, offset: Math.floor(at.get(i)!.bitOffset / 8), size: at.get(i)!.byteSize })),
        opts.cachelineSize,
      );
      return report?.groups.reduce((sum, g) => sum + g.cachelines - g.minCachelines, 0) ?? 0;
    };
    type Choice = { order: number[]; layout: EngineLayout; moves: BlockMove[]; spread: number; excess: number };
    const better = (c: Choice, than: Choice | undefined) =>
      !than ||
      c.layout.size < than.layout.size ||
      (c.layout.size === than.layout.size &&
        (c.excess < than.excess || (c.excess === than.excess && (c.moves.length < than.moves.length || (c.moves.length === than.moves.length && c.spread < than.spread)))));
    // the best within the --max-moves budget, and the best without one (to say what more moves would save)
    let best: Choice | undefined;
    let unbounded: Choice | undefined;
    const seen = new Set<string>();
    const consider = (order: number[]) => {
      const key = order.join(',');
      if (seen.has(key)) return;
      seen.add(key);
      const layout = this.layoutOrder(plan, attrs, toMembers(order));
      if (layout.unpredictable !== undefined) return;
      if (constrained && !keepsConstraints(layout, oldLayout, pinned, opts)) return;
      const c: Choice = { order, layout, moves: movesTo(order), spread: cachelineSpread(oldLayout, layout, opts.cachelineSize), excess: groupExcess(toMembers(order), layout) };
      if (better(c, unbounded)) unbounded = c;
      if ((opts.maxMoves === undefined || c.moves.length <= opts.maxMoves) && better(c, best)) best = c;
    };
    for (const order of candidates) consider(order);
    // within the budget: the greedy states that need too many moves, with moved blocks put back
    if (opts.maxMoves !== undefined && best && unbounded && unbounded.layout.size < best.layout.size) {
      for (const order of greedy) if (movesTo(order).length > opts.maxMoves) consider(reduceMoves(blocks, order, search));
    }
    if (!best || best.layout.size > oldLayout.size) best = { order: blocks.map((b) => b.id), layout: oldLayout, moves: [], spread: 0, excess: 0 };

    const anyBitfield = blocks.some((b) => b.bitfield);
    const minimal: MinimalProof =
      best.layout.size === bound ? 'lower-bound' : packed?.exact && !anyBitfield && !gaps && best.layout.size === packed.size ? 'exhaustive' : 'unproven';
    const budget: ReorgBudget | undefined =
      opts.maxMoves !== undefined && unbounded && unbounded.layout.size < best.layout.size
        ? { maxMoves: opts.maxMoves, size: unbounded.layout.size, moves: unbounded.moves.length }
        : undefined;
    return {
      ok: true,
      id,
      agg: t,
      oldLayout,
      newLayout: best.layout,
      order: toMembers(best.order),
      moves: moveList(best.moves),
      steps: applyMoves(blocks.length, best.moves).map(toMembers),
      lowerBound: bound,
      minimal,
      ...(budget ? { budget } : {}),
      barriers: [...barriers],
    };
  }
}

/** Cachelines touched by the members that shared one before, summed over the old cachelines. */
function cachelineSpread(old: EngineLayout, l: EngineLayout, line: number): number {
  const now = new Map(l.members.map((m) => [m.index, m]));
  const groups = new Map<number, Set<number>>();
  for (const m of old.members) {
    const g = Math.floor(m.bitOffset / 8 / line);
    let s = groups.get(g);
    if (!s) groups.set(g, (s = new Set()));
    const n = now.get(m.index)!;
    const start = Math.floor(n.bitOffset / 8);
    s.add(Math.floor(start / line));
    if (n.byteSize > 0) s.add(Math.floor((start + n.byteSize - 1) / line));
  }
  let total = 0;
  for (const s of groups.values()) total += s.size;
  return total;
}

/** Cachelines touched by the given members (model indices) in a layout. */
export function linesTouched(l: EngineLayout, members: readonly number[], line: number): number {
  const want = new Set(members);
  const lines = new Set<number>();
  for (const m of l.members) {
    if (!want.has(m.index)) continue;
    const start = Math.floor(m.bitOffset / 8);
    const end = m.bitSize !== undefined ? Math.ceil((m.bitOffset + m.bitSize) / 8) : start + m.byteSize;
    for (let k = Math.floor(start / line); k <= Math.floor((Math.max(end, start + 1) - 1) / line); k++) lines.add(k);
  }
  return lines.size;
}

function keepsConstraints(l: EngineLayout, old: EngineLayout, pinned: ReadonlySet<number>, opts: ReorgOptions): boolean {
  const before = new Map(old.members.map((m) => [m.index, m.bitOffset]));
  for (const m of l.members) {
    const was = before.get(m.index)!;
    if (pinned.has(m.index) && was !== m.bitOffset) return false;
    if (opts.keepCachelines && Math.floor(was / 8 / opts.cachelineSize) !== Math.floor(m.bitOffset / 8 / opts.cachelineSize)) return false;
  }
  return true;
}

/** `'name'` of a member for move lists (anonymous members by position). */
export function moveLabel(agg: AggregateType, index: number): string {
  return `'${memberLabel(agg, index)}'`;
}

/** A move as text: `move 'x' after 'y'`. */
export function describeMove(agg: AggregateType, m: ReorgMove): string {
  const what = m.members.length > 1 ? `${moveLabel(agg, m.members[0]!)}..${moveLabel(agg, m.members[m.members.length - 1]!)}` : moveLabel(agg, m.members[0]!);
  return m.after === undefined ? `move ${what} to the top` : `move ${what} after ${moveLabel(agg, m.after)}`;
}

/** Abstract layouts are exported for tests of the search itself. */
export { abstractLayout };
