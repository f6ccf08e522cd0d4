/** What a conversion takes and returns (the driver is to-model.ts). */
import type { TypeTable } from '../../model/table.js';
import type { Diagnostic } from '../../util/diagnostic.js';
import type { SymbolRoot } from '../../model/types.js';
import type { DwarfSections } from '../sections.js';

export interface DwarfTypes {
  table: TypeTable;
  dwarfVersions: number[];
  addressSize: number;
  diagnostics: Diagnostic[];
  unitCount: number;
  /** True when stopAfterUnit ended reading before the last unit, or units were skipped. */
  partial: boolean;
  /** [offset, end) of every unit of .debug_info. */
  unitExtents: [number, number][];
  /** Some DIE referred into another unit (ref_addr, type units): units cannot be read alone. */
  crossUnitRefs: boolean;
  /** Units converted per DW_AT_language (DW_LANG_* code), in first-seen order. */
  unitLanguages: { language: number; units: number }[];
  /** With LoadOptions.roots: the functions and variables found for those names (convert/roots.ts). */
  roots?: SymbolRoot[];
}

export interface LoadOptions {
  /** Called after each unit, for progress reporting. */
  onUnit?: (done: number, total: number) => void;
  /**
   * Checked after each unit: true stops reading (the types seen so far are returned, and the
   * result is marked partial). Lets `-C NAME` stop at the first definition, as pahole does.
   */
  stopAfterUnit?: (table: TypeTable) => boolean;
  /**
   * Only the units at these .debug_info offsets are converted (those a type index or a name
   * search found); the result is then partial. Ignored when units cannot be read alone.
   */
  onlyUnits?: { has(offset: number): boolean };
  /**
   * Called before a unit of .debug_info is decoded, with its byte range: lets the loader fill in a
   * sparsely read section only for the units actually converted (and the units they refer to).
   */
  beforeUnit?: (start: number, end: number) => void;
  /** Record DW_AT_decl_file/line on members too (reorg --patch); off by default to save memory. */
  memberDecl?: boolean;
  /**
   * Only the struct/union/class/enum definitions of these names are wanted (`-C NAME`): in a C
   * unit, only those are converted, with the types they refer to; every other definition of the
   * unit is left alone. (C only: there a member's type is complete, so the DIE it refers to is the
   * definition and nothing is found by name; C++ may refer to a declaration whose definition is
   * elsewhere in the unit.) Files with type units, dwz or split DWARF convert everything.
   * A C unit's top-level typedefs of these names are converted too (pahole -C finds typedefs).
   */
  typeNames?: readonly string[];
  /**
   * Exported symbol names (`diff --abi`): the top-level DW_TAG_subprogram / DW_TAG_variable DIEs
   * of these names (DW_AT_linkage_name first, for C++) are kept as DwarfTypes.roots, with the
   * types of their parameters, return value or object. Undefined: none are decoded (no cost).
   */
  roots?: ReadonlySet<string>;
}

/** Debug info outside the file's own sections (see src/load: supplementary.ts, split.ts). */
export interface ExternalDwarf {
  /** The dwz supplementary file's sections (DW_FORM_GNU_ref_alt / ref_sup, strp_alt / strp_sup). */
  alt?: DwarfSections;
  /**
   * The full unit(s) of a skeleton unit (split DWARF), from its .dwo or the .dwp. Throws a
   * StructscopeError naming what is missing; the converter records it and goes on.
   */
  split?: (skeleton: SkeletonInfo) => SplitUnitSections | undefined;
}

export interface SkeletonInfo {
  version: number;
  dwoName?: string;
  compDir?: string;
  /** DWARF 5 header dwo_id (16 hex digits). */
  dwoId?: string;
}

export interface SplitUnitSections {
  sections: DwarfSections;
  /** DW_AT_str_offsets_base of the split unit (it has none of its own). */
  strOffsetsBase: number;
  /**
   * The type units of a .dwp (.debug_tu_index), each with its own contributions; the same
   * array for every unit of one package, so they are added once.
   */
  typeUnits?: readonly SplitUnitSections[];
}
