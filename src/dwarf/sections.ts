/** The DWARF sections of one file, as byte views. `dwarf` never sees ELF: the loader fills this. */
export interface SectionBytes {
  /** Section name for messages (".debug_info"). */
  name: string;
  bytes: Uint8Array;
  /** File offset of bytes[0] when the section is stored uncompressed; for compressed ones, of the section. */
  fileOffset: number;
}

export interface DwarfSections {
  littleEndian: boolean;
  info?: SectionBytes;
  abbrev?: SectionBytes;
  str?: SectionBytes;
  lineStr?: SectionBytes;
  strOffsets?: SectionBytes;
  line?: SectionBytes;
  /** DWARF 4 type units. */
  types?: SectionBytes;
  /**
   * Set when `line` was read sparsely (zero but where filled): fills the line program starting at
   * a unit's DW_AT_stmt_list offset before its header is parsed.
   */
  fillLine?: (offset: number) => void;
}

export const EMPTY_SECTION: SectionBytes = { name: '', bytes: new Uint8Array(0), fileOffset: 0 };
