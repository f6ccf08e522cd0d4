import type { TypeTable } from '../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../model/types.js';
import { printableTypes } from './pahole.js';
import { DW_LANG_Rust, rustLastSegment } from './rust.js';

/** Which types to show: the CLI's filters, as plain data. */
export interface Selection {
  /** -C: exact names and `/REGEX/` patterns. Empty or undefined: every printable type. */
  classes?: string[];
  /** Only structs (and classes) / only unions. */
  structs?: boolean;
  unions?: boolean;
  /** Leave out names starting with any of these prefixes. */
  exclude?: string[];
  /** Only names starting with one of these prefixes (pahole -y/--prefix_filter). */
  prefix?: string[];
  /** Every distinct definition of a name, not only the first (pahole prints the first). */
  allDefinitions?: boolean;
}

export interface SelectionResult {
  ids: TypeId[];
  /** -C names and patterns that matched nothing. */
  missing: string[];
}

type Matcher = { pattern: string; test: (name: string) => boolean };

/** Split `-C a,b,/re/` arguments into matchers; a `/.../` item is a regular expression. */
export function parseClassPatterns(args: string[]): Matcher[] {
  const out: Matcher[] = [];
  for (const arg of args) {
    for (const item of splitPatterns(arg)) {
      if (item.length > 2 && item.startsWith('/') && item.endsWith('/')) {
        const re = new RegExp(item.slice(1, -1));
        out.push({ pattern: item, test: (n) => re.test(n) });
      } else out.push({ pattern: item, test: (n) => n === item });
    }
  }
  return out;
}

/** Commas separate names, except inside a /regex/ and inside `<...>` or `(...)` (Rust and C++ type arguments, tuples). */
export function splitPatterns(arg: string): string[] {
  const items: string[] = [];
  let cur = '';
  let inRegex = false;
  let nest = 0;
  for (const ch of arg) {
    if (!inRegex) {
      if (ch === '<' || ch === '(') nest++;
      else if ((ch === '>' && !cur.endsWith('-')) || ch === ')') nest = Math.max(0, nest - 1);
    }
    if (ch === ',' && !inRegex && nest === 0) {
      if (cur) items.push(cur);
      cur = '';
      continue;
    }
    if (ch === '/') inRegex = cur === '' ? true : inRegex ? false : inRegex;
    cur += ch;
  }
  if (cur) items.push(cur);
  return items;
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

/** The -C items when every one is an exact name (no /REGEX/, no `::` path); undefined otherwise. */
export function exactClassNames(sel: Selection): string[] | undefined {
  if (!sel.classes?.length) return undefined;
  const names = parseClassPatterns(sel.classes).map((m) => m.pattern);
  // a path (`rust_types::Shape`) is no single DW_AT_name a unit could be searched for
  return names.some((n) => (n.length > 2 && n.startsWith('/') && n.endsWith('/')) || n.includes('::')) ? undefined : names;
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
