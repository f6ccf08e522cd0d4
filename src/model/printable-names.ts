/**
 * For text output: the line feeds and tabs of names from the input spelled `\n` and `\t`, so a
 * name cannot start a line of its own (every other control character is escaped where output is
 * written: util/printable.ts). Applied by the CLI to a table loaded for one text rendering; JSON
 * output keeps the raw names.
 */
import type { TypeTable } from './table.js';

const BREAKS = /[\n\t]/;

function spell(s: string): string {
  return s.replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Replace, in place, every `name` (of types, members, enumerators, parameters, methods) holding a line feed or tab. */
export function escapeLineBreaksInNames(table: TypeTable): void {
  for (const t of table.types) fix(t, 0);
}

function fix(o: unknown, depth: number): void {
  if (depth > 3 || o === null || typeof o !== 'object') return;
  if (Array.isArray(o)) {
    for (const x of o) fix(x, depth + 1);
    return;
  }
  const rec = o as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (typeof v === 'string') {
      if ((k === 'name' || k === 'linkageName') && BREAKS.test(v)) rec[k] = spell(v);
    } else if (typeof v === 'object') fix(v, depth + 1);
  }
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
