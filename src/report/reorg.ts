/**
 * `structscope reorg` output. The proposed layout is printed by the pahole renderer itself: the
 * reordered struct is built as a model type (members in the new order at the engine's offsets)
 * in an overlay of the file's table, so the text is exactly pahole-style. Pure.
 */
import type { TypeTable } from '../model/table.js';
import type { AggregateType, ClassChild, Member, Type, TypeId } from '../model/types.js';
import type { EngineLayout } from '../layout/abi/index.js';
import { describeMove, type ReorgOk, type ReorgResult } from '../layout/reorg/index.js';
import { memberLabel } from '../layout/abi/attributes.js';
import { renderBlock } from './pahole.js';
import { typeBlock } from '../layout/computed.js';

/** 2: moves are data ({member, after}), not sentences. */
export const REORG_SCHEMA_VERSION = 2;

/** The struct with its members in `order` at the offsets of `layout`. */
export function reorderedType(agg: AggregateType, order: readonly number[], layout: EngineLayout): AggregateType {
  const at = new Map(layout.members.map((m) => [m.index, m]));
  const members: Member[] = order.map((i) => {
    const m = agg.members[i]!;
    const e = at.get(i)!;
    return { ...m, bitOffset: e.bitOffset };
  });
  // children (clang nests anonymous types in C structs, after the member using them) list members
  // and nested types in DIE order: a nested type moves with the member of that type, else with
  // the member before it
  let children: ClassChild[] | undefined;
  if (agg.children) {
    const after = new Map<number, ClassChild[]>();
    const head: ClassChild[] = [];
    let prev = -1;
    for (const c of agg.children) {
      if (c.kind === 'member') {
        prev = c.index;
        continue;
      }
      const owner = c.kind === 'type' ? agg.members.findIndex((m) => m.type === c.type) : -1;
      const at = owner >= 0 ? owner : prev;
      if (at < 0) head.push(c);
      else {
        const list = after.get(at);
        if (list) list.push(c);
        else after.set(at, [c]);
      }
    }
    children = [...head];
    order.forEach((i, k) => children!.push({ kind: 'member', index: k }, ...(after.get(i) ?? [])));
  }
  const out: AggregateType = { ...agg, members, size: layout.size };
  if (children) out.children = children;
  return out;
}

/** A view of `table` with one extra type, without copying it. */
export function overlayTable(table: TypeTable, t: Type): { table: TypeTable; id: TypeId } {
  const id = table.types.length;
  const view = Object.create(table) as TypeTable;
  view.get = (x: TypeId) => (x === id ? t : table.get(x));
  return { table: view, id };
}

export interface ReorgTextOptions {
  cachelineSize: number;
  addressSize: number;
  steps: boolean;
}

const cachelines = (size: number, line: number): number => Math.ceil(size / line);

/** pahole's closing remark: `   /* saved 8 bytes and 1 cacheline! *\/`. */
function savedRemark(r: ReorgOk, line: number): string {
  const saved = r.oldLayout.size - r.newLayout.size;
  if (saved <= 0) return '';
  const cl = cachelines(r.oldLayout.size, line) - cachelines(r.newLayout.size, line);
  return `   /* saved ${saved} byte${saved !== 1 ? 's' : ''}${cl > 0 ? ` and ${cl} cacheline${cl !== 1 ? 's' : ''}` : ''}! */`;
}

function renderOrder(table: TypeTable, r: ReorgOk, order: readonly number[], layout: EngineLayout, o: ReorgTextOptions): string {
  const v = overlayTable(table, reorderedType(r.agg, order, layout));
  const opts = { cachelineSize: o.cachelineSize, addressSize: o.addressSize };
  return renderBlock(v.table, typeBlock(v.table, v.id, opts), opts);
}

/**
 * One struct: the moves, (with --steps) each intermediate layout, then the new layout closed
 * with the savings. `layoutOf` lays out an intermediate order (the engine, from the CLI).
 */
export function renderReorgText(table: TypeTable, r: ReorgResult, o: ReorgTextOptions, layoutOf?: (order: readonly number[]) => EngineLayout): string {
  const name = r.agg?.name ?? '(anonymous)';
  if (!r.ok) return `/* ${r.agg?.kind ?? 'struct'} ${name}: not reorganized: ${r.reason} */\n`;
  let out = '';
  if (!r.moves.length) out += `/* ${r.agg.kind} ${name}: no order is smaller; nothing to move */\n`;
  for (const m of r.moves) out += `${describeMove(r.agg, m)}\n`;
  if (r.moves.length) out += '\n';
  if (o.steps && layoutOf) {
    r.steps.slice(0, -1).forEach((order, k) => {
      out += `/* step ${k + 1}: ${describeMove(r.agg, r.moves[k]!)} */\n`;
      out += renderOrder(table, r, order, layoutOf(order), o) + '\n\n';
    });
  }
  const text = renderOrder(table, r, r.order, r.newLayout, o);
  out += text + savedRemark(r, o.cachelineSize) + '\n';
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
  };
}

export function reorgDocument(files: { path: string; abi: string; types: ReorgJsonType[] }[]) {
  return { schemaVersion: REORG_SCHEMA_VERSION, tool: 'structscope', command: 'reorg', files };
}
