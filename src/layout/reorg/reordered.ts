/**
 * A proposed member order as a struct the pahole renderer can print: the reordered struct is built
 * as a model type (members in the new order at the engine's offsets) in an overlay of the file's
 * table, then laid out like any other type (layout/computed.ts typeBlock).
 */
import type { TypeTable } from '../../model/table.js';
import type { AggregateType, ClassChild, Member, Type, TypeId } from '../../model/types.js';
import type { EngineLayout } from '../abi/index.js';
import { typeBlock, type ComputeOptions, type TypeBlock } from '../computed.js';
import type { ReorgOk } from './index.js';

/** A laid-out reordered struct and the table view that holds it. */
export interface ReorderedView {
  table: TypeTable;
  block: TypeBlock;
}

/** `r`'s struct with its members in `order` at the offsets of `layout`, laid out for printing. */
export function reorderedView(table: TypeTable, r: ReorgOk, order: readonly number[], layout: EngineLayout, opts: ComputeOptions): ReorderedView {
  const v = overlayTable(table, reorderedType(r.agg, order, layout));
  return { table: v.table, block: typeBlock(v.table, v.id, opts) };
}

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

