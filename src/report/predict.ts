/**
 * `show --target`: how a type that cannot be predicted for the target is reported in text.
 * One C comment line in the place of its layout, so pahole-format output stays parseable.
 */
import type { TypeTable } from '../model/table.js';
import type { AggregateType, TypeId } from '../model/types.js';

/** `/* struct NAME: unpredictable on TARGET: REASON *\/` (one line, without the newline, like a layout block). */
export function unpredictableNotice(table: TypeTable, id: TypeId, target: string, reason: string): string {
  const t = table.get(id) as AggregateType;
  return `/* ${t.kind} ${t.name ?? '(anonymous)'}: unpredictable on ${target}: ${reason.replace(/\*\//g, '* /')} */`;
}
