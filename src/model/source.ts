/**
 * What layout and report need to know about the binary the types came from: its machine and ABI
 * facts (to choose a layout engine) and what was read. How it was loaded (partial reads, the
 * index cache) is load's business: see load/loaded.ts.
 */
import type { Diagnostic } from '../util/diagnostic.js';
import type { TypeTable } from './table.js';

/** What a file exports (elf reads it, report renders it): defined in util, which elf may import. */
export type { ExportedSymbol, ExportKind } from '../util/exported-symbol.js';

/** Facts about the file a TypeTable was loaded from. */
export interface FileInfo {
  path: string;
  /** ELF e_machine number and its name (e.g. 62, "x86_64"). */
  machine: number;
  machineName: string;
  elfClass: 32 | 64;
  littleEndian: boolean;
  /** ELF e_flags (selects ABI variants such as mips o32/n32, arm EABI version). */
  flags: number;
  /** Pointer size in bytes from the units (4 or 8). */
  addressSize: number;
  /** Distinct DWARF versions of the units read, ascending. */
  dwarfVersions: number[];
  /** Units read per DW_AT_language (DW_LANG_* code). */
  unitLanguages?: { language: number; units: number }[];
  /** Hex build-id from .note.gnu.build-id, when present. */
  buildId?: string;
  /** Where the types came from: BTF records no decl file/line, no forced alignment. Undefined: DWARF. */
  debugFormat?: 'btf';
  /** Every file whose debug info was read (the file itself, separate debug files, .dwo …). */
  filesRead: string[];
  /** Files other than the one named that supplied debug info, and how each was found. */
  debugFiles?: { path: string; role: 'build-id' | 'debuglink' | 'dwo' | 'dwp' | 'supplementary' }[];
}

/** A file's facts, its types and what went wrong on the way: what layout and report take. */
export interface TypedFile {
  info: FileInfo;
  table: TypeTable;
  diagnostics: Diagnostic[];
}
