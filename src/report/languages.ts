/**
 * Which source languages a file's units were written in, and a notice when the types of a language
 * structscope does not print (anything but C, C++ and Rust) were skipped: such an object otherwise
 * reads as "no types" with no word why.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, type TypeId } from '../model/types.js';

/** DW_LANG_* names (DWARF 5 §7.12 and the registry's later additions). */
const DW_LANG: Record<number, string> = {
  0x01: 'C89', 0x02: 'C', 0x03: 'Ada83', 0x04: 'C++', 0x05: 'Cobol74', 0x06: 'Cobol85', 0x07: 'Fortran77',
  0x08: 'Fortran90', 0x09: 'Pascal83', 0x0a: 'Modula2', 0x0b: 'Java', 0x0c: 'C99', 0x0d: 'Ada95',
  0x0e: 'Fortran95', 0x0f: 'PLI', 0x10: 'ObjC', 0x11: 'ObjC++', 0x12: 'UPC', 0x13: 'D', 0x14: 'Python',
  0x15: 'OpenCL', 0x16: 'Go', 0x17: 'Modula3', 0x18: 'Haskell', 0x19: 'C++03', 0x1a: 'C++11', 0x1b: 'OCaml',
  0x1c: 'Rust', 0x1d: 'C11', 0x1e: 'Swift', 0x1f: 'Julia', 0x20: 'Dylan', 0x21: 'C++14', 0x22: 'Fortran03',
  0x23: 'Fortran08', 0x24: 'RenderScript', 0x25: 'BLISS', 0x26: 'Kotlin', 0x27: 'Zig', 0x28: 'Crystal',
  0x2a: 'C++17', 0x2b: 'C++20', 0x2c: 'C17', 0x2d: 'Fortran18', 0x2e: 'Ada2005', 0x2f: 'Ada2012',
  0x30: 'HIP', 0x31: 'Assembly', 0x32: 'C#', 0x33: 'Mojo', 0x8001: 'MIPS assembler',
};

/** The languages structscope prints: C, C++ and Objective-C dialects, and Rust (0x1c). */
const C_FAMILY = new Set([0x01, 0x02, 0x04, 0x0c, 0x10, 0x11, 0x12, 0x19, 0x1a, 0x1c, 0x1d, 0x21, 0x2a, 0x2b, 0x2c]);

export function languageName(code: number): string {
  return DW_LANG[code] ?? `DW_LANG 0x${code.toString(16)}`;
}

/**
 * One line naming the languages whose units defined named structs, unions or classes of which none
 * is printed (`printed()`, asked only when such languages are present), with their unit and type counts; undefined when there are none. Units
 * without types (assembly) are not worth a word.
 */
export function skippedLanguagesNotice(
  table: TypeTable,
  printed: () => ReadonlySet<TypeId>,
  unitLanguages: readonly { language: number; units: number }[] = [],
): string | undefined {
  if (unitLanguages.every((l) => C_FAMILY.has(l.language))) return undefined; // the common case costs nothing
  const defined = new Map<number, number>();
  const shown = new Map<number, number>();
  const printedIds = printed();
  for (const id of table.definitions) {
    const t = table.get(id);
    if (!isAggregate(t) || t.name === undefined || t.language === undefined || C_FAMILY.has(t.language)) continue;
    defined.set(t.language, (defined.get(t.language) ?? 0) + 1);
    if (printedIds.has(id)) shown.set(t.language, (shown.get(t.language) ?? 0) + 1);
  }
  const parts: string[] = [];
  for (const { language, units } of unitLanguages) {
    const n = defined.get(language) ?? 0;
    if (C_FAMILY.has(language) || n === 0 || (shown.get(language) ?? 0) > 0) continue;
    parts.push(`${units} ${languageName(language)} unit${units === 1 ? '' : 's'} (${n} struct/union type${n === 1 ? '' : 's'})`);
  }
  return parts.length ? `types skipped: ${parts.join(', ')}; only C, C++ and Rust types are shown` : undefined;
}
