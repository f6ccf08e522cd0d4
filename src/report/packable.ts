/** `pahole --packable`: pahole.c print_packable_info() for the structs class__filter() keeps. */
import type { TypeTable } from '../model/table.js';
import type { AggregateType, TypeId } from '../model/types.js';
import { isStructLike } from '../layout/pahole-rules.js';
import { paholePackable } from '../layout/pahole-reorganize.js';

/**
 * One `name\tsize\tnew_size\tsavings` line per packable type of `ids` (normally printableTypes():
 * named, top-level, complete, deduplicated). Unions are skipped, as class__filter() does with
 * show_packable. Anonymous structs never reach print_packable_info() without -a, so they are skipped.
 */
export function renderPackable(table: TypeTable, ids: readonly TypeId[], addressSize: number): string {
  let out = '';
  for (const id of ids) {
    if (!isStructLike(table, id)) continue;
    const t = table.get(id) as AggregateType;
    if (t.declaration || t.name === undefined || t.topLevel === false) continue;
    const r = paholePackable(table, id, addressSize);
    if (!r) continue;
    out += `${t.name}\t${r.size}\t${r.newSize}\t${r.size - r.newSize}\n`;
  }
  return out;
}
