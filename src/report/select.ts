import type { TypeTable } from '../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../model/types.js';
import { printableTypes } from './pahole.js';
import { exactClassNames, isRegexPattern, parseClassPatterns, type Matcher, type Selection } from '../model/selection.js';
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
  if (matchers && !sel.allDefinitions && !sel.structs && !sel.unions) {
    const typedefs = firstTypedefsNamed(table, matchers, sel.typedefs === true);
    for (const [k, m] of matchers.entries()) {
      const td = typedefs.get(m.pattern);
      if (td === undefined || sel.exclude?.some((p) => m.pattern.startsWith(p))) continue;
      if (sel.prefix?.length && !sel.prefix.some((p) => m.pattern.startsWith(p))) continue;
      const at = ids.findIndex((id) => (table.get(id) as AggregateType).name === m.pattern);
      // the struct of that name comes first (gcc's `typedef struct foo {…} foo;`): pahole prints it
      if (at >= 0 && !(dieOf(table, td) < dieOf(table, ids[at]!))) continue;
      const pick = sel.typedefs ? td : aggregateNamedBy(table, td); // (enums are found only with sel.typedefs)
      if (pick === undefined) continue;
      if (at >= 0) ids.splice(at, 1);
      hit.add(m.pattern);
      if (ids.includes(pick)) continue;
      rank[pick] = k;
      ids.push(pick);
    }
  }
  if (matchers) ids.sort((a, b) => rank[a]! - rank[b]!); // stable: file order within a pattern
  const missing = matchers ? matchers.filter((m) => !hit.has(m.pattern)).map((m) => m.pattern) : [];
  return { ids, missing };
}

/**
 * pahole -C NAME finds any named type (dwarves.c cu__find_type_by_name), typedefs too, and with
 * `enums` (the text, where pahole prints `enum NAME {…};`) enum definitions: per exact -C name
 * (not a /REGEX/), the one of that name that comes first in the file.
 */
function firstTypedefsNamed(table: TypeTable, matchers: readonly Matcher[], enums: boolean): Map<string, TypeId> {
  const names = new Set(matchers.map((m) => m.pattern).filter((n) => !isRegexPattern(n)));
  const out = new Map<string, TypeId>();
  table.types.forEach((t, id) => {
    const named = t.kind === 'typedef' || (enums && t.kind === 'enum' && !t.declaration && t.enumerators.length > 0);
    if (!named || t.name === undefined || !names.has(t.name)) return;
    const seen = out.get(t.name);
    if (seen === undefined || dieOf(table, id) < dieOf(table, seen)) out.set(t.name, id);
  });
  return out;
}

/** Where a type's DIE is, for "which comes first"; Infinity when unknown (BTF, another file). */
function dieOf(table: TypeTable, id: TypeId): number {
  const o = (table.get(id) as { origin?: { die: number; file?: number } }).origin;
  return o === undefined || o.die < 0 || (o.file ?? 0) !== 0 ? Infinity : o.die;
}

/** The struct, union or class at the end of a typedef chain, if that is where it ends. */
function aggregateNamedBy(table: TypeTable, td: TypeId): TypeId | undefined {
  let id = td;
  for (let n = 0; n < 64 && table.get(id).kind === 'typedef'; n++) id = (table.get(id) as { target: TypeId }).target;
  id = table.resolveDeclaration(id);
  const t = table.get(id);
  return isAggregate(t) && !t.declaration ? id : undefined;
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
