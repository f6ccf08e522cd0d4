import type { TypeTable } from '../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../model/types.js';
import { printableTypes } from './pahole.js';
import { exactClassNames, parseClassPatterns, type Selection } from '../model/selection.js';
import { DW_LANG_Rust, rustLastSegment } from './rust.js';

export { exactClassNames, parseClassPatterns, splitPatterns, type Selection } from '../model/selection.js';

export interface SelectionResult {
  ids: TypeId[];
  /** -C names and patterns that matched nothing. */
  missing: string[];
}

/** Apply a Selection to a table: pahole's printable types (or every definition), filtered, in file order. */
export function selectTypes(table: TypeTable, sel: Selection): SelectionResult {
  const base = sel.allDefinitions ? allNamedDefinitions(table) : printableTypes(table);
  const matchers = sel.classes?.length ? parseClassPatterns(sel.classes) : undefined;
  const hit = new Set<string>();
  const ids: TypeId[] = [];
  const rank: number[] = []; // index of the first -C pattern a type matched: pahole prints in argument order
  const shownNames = new Set<string>();
  for (const id of base) {
    const t = table.get(id) as AggregateType;
    const name = t.name ?? '';
    if (sel.structs && t.kind === 'union') continue;
    if (sel.unions && t.kind !== 'union') continue;
    if (sel.exclude?.some((p) => name.startsWith(p))) continue;
    if (sel.prefix?.length && !sel.prefix.some((p) => name.startsWith(p))) continue;
    if (matchers) {
      // a Rust type is found by its path and by its last segment (`Option<&u8>`), as pahole finds it
      const short = t.language === DW_LANG_Rust ? rustLastSegment(name) : undefined;
      const m = matchers.filter((x) => x.test(name) || (short !== undefined && x.test(short)));
      if (m.length === 0) continue;
      rank[id] = matchers.indexOf(m[0]!);
      for (const x of m) hit.add(x.pattern);
      // like pahole -C: one block per name unless every definition was asked for
      if (!sel.allDefinitions && shownNames.has(name)) continue;
      shownNames.add(name);
    }
    ids.push(id);
  }
  if (matchers) ids.sort((a, b) => rank[a]! - rank[b]!); // stable: file order within a pattern
  const missing = matchers ? matchers.filter((m) => !hit.has(m.pattern)).map((m) => m.pattern) : [];
  return { ids, missing };
}

function allNamedDefinitions(table: TypeTable): TypeId[] {
  return table.definitions.filter((id) => {
    const t = table.get(id);
    return isAggregate(t) && !t.declaration && t.name !== undefined;
  });
}

/**
 * When every -C item is an exact name and only the first definition is wanted, reading can stop
 * as soon as each name has a complete top-level definition: later units cannot change the output.
 * Undefined when the whole file must be read.
 */
export function firstDefinitionsFound(sel: Selection): ((table: TypeTable) => boolean) | undefined {
  const names = sel.allDefinitions ? undefined : exactClassNames(sel);
  if (!names) return undefined;
  const kinds = sel.unions ? (['union'] as const) : sel.structs ? (['struct', 'class'] as const) : (['struct', 'union', 'class'] as const);
  return (table) =>
    names.every((n) =>
      kinds.some((k) => table.definitionsOf(k, n).some((id) => (table.get(id) as AggregateType).topLevel !== false)),
    );
}
