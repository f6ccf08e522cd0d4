/**
 * `structscope reorg` output. The proposed layout is printed by the pahole renderer itself, from
 * the reordered struct the layout step built and laid out (layout/reorg/reordered.ts), so the text
 * is exactly pahole-style. Pure.
 */
import type { TypeTable } from '../model/table.js';
import { describeMove, type ReorgOk, type ReorgResult } from '../layout/reorg/index.js';
import { memberLabel } from '../layout/abi/attributes.js';
import type { ReorderedView } from '../layout/reorg/reordered.js';
import { renderBlock } from './pahole.js';

/** 2: moves are data ({member, after}), not sentences. */
export const REORG_SCHEMA_VERSION = 2;

export interface ReorgTextOptions {
  cachelineSize: number;
}

const cachelines = (size: number, line: number): number => Math.ceil(size / line);

/** pahole's closing remark: `   /* saved 8 bytes and 1 cacheline! *\/`. */
function savedRemark(r: ReorgOk, line: number): string {
  const saved = r.oldLayout.size - r.newLayout.size;
  if (saved <= 0) return '';
  const cl = cachelines(r.oldLayout.size, line) - cachelines(r.newLayout.size, line);
  return `   /* saved ${saved} byte${saved !== 1 ? 's' : ''}${cl > 0 ? ` and ${cl} cacheline${cl !== 1 ? 's' : ''}` : ''}! */`;
}

const renderView = (v: ReorderedView): string => renderBlock(v.table, v.block);

/**
 * One struct: the moves, (with --steps) each intermediate layout, then the new layout closed
 * with the savings. `views` are the laid-out proposal and, for --steps, each intermediate order.
 */
export function renderReorgText(r: ReorgResult, views: { final?: ReorderedView; steps?: readonly ReorderedView[] }, o: ReorgTextOptions): string {
  const name = r.agg?.name ?? '(anonymous)';
  if (!r.ok) return `/* ${r.agg?.kind ?? 'struct'} ${name}: not reorganized: ${r.reason} */\n`;
  let out = '';
  if (!r.moves.length) out += `/* ${r.agg.kind} ${name}: no order${r.budget ? ` within ${r.budget.maxMoves} moves` : ''} is smaller; nothing to move */\n`;
  out += intentNotes(r);
  for (const m of r.moves) out += `${describeMove(r.agg, m)}\n`;
  if (r.moves.length) out += '\n';
  (views.steps ?? []).forEach((v, k) => {
    out += `/* step ${k + 1}: ${describeMove(r.agg, r.moves[k]!)} */\n`;
    out += renderView(v) + '\n\n';
  });
  if (views.final) out += renderView(views.final) + savedRemark(r, o.cachelineSize) + '\n';
  return out;
}

export interface ReorgJsonMember {
  name: string | null;
  originalIndex: number;
  offset: number;
  size: number;
  bitOffset: number;
  bitSize?: number;
}

/** One move: `member` (with a run of bit-fields: every member in `block`) now follows `after` (null: first). */
export interface ReorgJsonMove {
  member: string;
  index: number;
  block?: string[];
  after: string | null;
  afterIndex: number | null;
}

export interface ReorgJsonType {
  name: string | null;
  kind: 'struct' | 'union' | 'class';
  reorganized: boolean;
  reason?: string;
  oldSize?: number;
  newSize?: number;
  saved?: number;
  lowerBound?: number;
  minimal?: string;
  oldCachelines?: number;
  newCachelines?: number;
  moves?: ReorgJsonMove[];
  members?: ReorgJsonMember[];
  kept?: string[];
  budget?: { maxMoves: number; size: number; moves: number; moreSaved: number };
  hot?: { members: (string | null)[]; cachelinesBefore: number; cachelinesAfter: number; fewest: number };
}

export function reorgJsonType(r: ReorgResult, cachelineSize: number): ReorgJsonType {
  const base = { name: r.agg?.name ?? null, kind: r.agg?.kind ?? 'struct' };
  if (!r.ok) return { ...base, reorganized: false, reason: r.reason };
  const at = new Map(r.newLayout.members.map((m) => [m.index, m]));
  return {
    ...base,
    reorganized: true,
    oldSize: r.oldLayout.size,
    newSize: r.newLayout.size,
    saved: r.oldLayout.size - r.newLayout.size,
    lowerBound: r.lowerBound,
    minimal: r.minimal,
    oldCachelines: cachelines(r.oldLayout.size, cachelineSize),
    newCachelines: cachelines(r.newLayout.size, cachelineSize),
    moves: r.moves.map((m) => {
      const mv: ReorgJsonMove = { member: memberLabel(r.agg, m.members[0]!), index: m.members[0]!, after: m.after === undefined ? null : memberLabel(r.agg, m.after), afterIndex: m.after ?? null };
      if (m.members.length > 1) mv.block = m.members.map((i) => memberLabel(r.agg, i));
      return mv;
    }),
    members: r.order.map((i) => {
      const e = at.get(i)!;
      const m: ReorgJsonMember = { name: r.agg.members[i]!.name ?? null, originalIndex: i, offset: Math.floor(e.bitOffset / 8), size: e.byteSize, bitOffset: e.bitOffset };
      if (e.bitSize !== undefined) m.bitSize = e.bitSize;
      return m;
    }),
    ...(r.barriers.length ? { kept: r.barriers.map((i) => memberLabel(r.agg, i)) } : {}),
    ...(r.budget ? { budget: { ...r.budget, moreSaved: r.newLayout.size - r.budget.size } } : {}),
    ...(r.hot
      ? { hot: { members: r.hot.members.map((i) => r.agg.members[i]!.name ?? null), cachelinesBefore: r.hot.before, cachelinesAfter: r.hot.after, fewest: r.hot.fewest } }
      : {}),
  };
}

/** Comment lines on what bounded or shaped a proposal: kept members, the budget, the hot members. */
function intentNotes(r: ReorgOk): string {
  let out = '';
  if (r.barriers.length && r.moves.length) out += `/* kept in place (cacheline group markers, cacheline-aligned members): ${r.barriers.map((i) => memberLabel(r.agg, i)).join(', ')} */\n`;
  if (r.hot) out += `/* hot members: ${r.hot.members.length} in ${r.hot.after} cacheline${r.hot.after === 1 ? '' : 's'} (before: ${r.hot.before}; their sizes need ${r.hot.fewest}) */\n`;
  if (r.budget) {
    const more = r.newLayout.size - r.budget.size;
    out += `/* --max-moves ${r.budget.maxMoves}: ${r.budget.moves} moves would save ${more} more byte${more === 1 ? '' : 's'} (size ${r.budget.size}) */\n`;
  }
  return out;
}

export function reorgDocument(files: { path: string; abi: string; types: ReorgJsonType[] }[]) {
  return { schemaVersion: REORG_SCHEMA_VERSION, tool: 'structscope', command: 'reorg', files };
}
