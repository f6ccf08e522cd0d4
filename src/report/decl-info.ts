/**
 * pahole -I/--show_decl_info: the two comment lines tag__fprintf() prints before a top-level type,
 * the name of the unit it was read from and where it was declared (dwarves_fprintf.c
 * tag__fprintf_decl_info): `/* Used at: UNIT *\/` and `/* <DIE offset in hex> FILE:LINE *\/`.
 * pahole 1.24 and 1.31 print the same. Only DWARF records these; BTF has neither.
 */
import type { TypeTable } from '../model/table.js';
import { VOID_TYPE, type DeclLocation, type Origin, type TypeId } from '../model/types.js';

/** The lines for the type `id` (each with its newline), or undefined when its origin is unknown. */
export function declInfoLines(table: TypeTable, id: TypeId): string | undefined {
  if (id === VOID_TYPE) return undefined;
  const t = table.get(id) as { origin?: Origin; decl?: DeclLocation };
  const origin = t.origin;
  if (!origin || origin.die < 0 || origin.unit === undefined) return undefined;
  const unit = table.unitNames.get(origin.unit);
  if (unit === undefined) return undefined;
  // C's printf of a NULL file name and pahole's line 0 when DW_AT_decl_file/line are absent;
  // libdw's dwarf_decl_file() gives no name for file 0 either (DWARF 5's primary file, clang)
  const where = t.decl ? `${t.decl.fileIndex === 0 ? '(null)' : t.decl.file}:${t.decl.line}` : '(null):0';
  return `/* Used at: ${unit} */\n/* <${origin.die.toString(16)}> ${where} */\n`;
}
