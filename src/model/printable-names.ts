/**
 * For text output: the line feeds and tabs of names from the input spelled `\n` and `\t`, so a
 * name cannot start a line of its own (every other control character is escaped where output is
 * written: util/printable.ts). Applied by the CLI to a table loaded for one text rendering; JSON
 * output keeps the raw names.
 */
import type { TypeTable } from './table.js';
import type { ClassChild, Method, Type } from './types.js';

const BREAKS = /[\n\t]/;

function spell(s: string): string {
  return s.replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** How many times each table's names were rewritten: memoised renderings of a table check it. */
const edits = new WeakMap<TypeTable, number>();

/** The number of times escapeLineBreaksInNames changed `table` (0: never). */
export function nameEdits(table: TypeTable): number {
  return edits.get(table) ?? 0;
}

/** Replace, in place, every `name` (of types, members, enumerators, methods, static variables) and method linkage name holding a line feed or tab. */
export function escapeLineBreaksInNames(table: TypeTable): void {
  if (table.plainNames) return; // a -C table of BTF has ~125,000 ids to visit for nothing
  let changed = false;
  const fix = <T extends { name?: string }>(o: T): void => {
    if (o.name !== undefined && BREAKS.test(o.name)) {
      o.name = spell(o.name);
      changed = true;
    }
  };
  const fixMethod = (m: Method): void => {
    fix(m);
    if (m.linkageName !== undefined && BREAKS.test(m.linkageName)) {
      m.linkageName = spell(m.linkageName);
      changed = true;
    }
  };
  for (const t of table.types as Type[]) {
    switch (t.kind) {
      case 'base':
      case 'typedef':
        fix(t);
        break;
      case 'enum':
        fix(t);
        for (const e of t.enumerators) fix(e);
        break;
      case 'struct':
      case 'union':
      case 'class':
        fix(t);
        for (const m of t.members) fix(m);
        for (const c of (t.children ?? []) as ClassChild[]) {
          if (c.kind === 'method') fixMethod(c.method);
          else if (c.kind === 'variable') fix(c);
        }
        break;
    }
  }
  if (changed) edits.set(table, nameEdits(table) + 1);
}

/** The same for a diff's facts: type names, member names and member type spellings. */
export function escapeLineBreaksInFacts(types: { name: string; members?: { name: string | null; type: string }[] }[]): void {
  for (const t of types) {
    if (BREAKS.test(t.name)) t.name = spell(t.name);
    for (const m of t.members ?? []) {
      if (m.name !== null && BREAKS.test(m.name)) m.name = spell(m.name);
      if (BREAKS.test(m.type)) m.type = spell(m.type);
    }
  }
}
