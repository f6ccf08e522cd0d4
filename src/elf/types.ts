/** The ELF structures the reader hands out: header, section, symbol, note. */

export interface ElfHeader {
  /** ELF class: 32 or 64 (EI_CLASS). */
  class: 32 | 64;
  littleEndian: boolean;
  /** EI_OSABI */
  osabi: number;
  /** EI_ABIVERSION */
  abiVersion: number;
  /** e_type: ET_REL=1, ET_EXEC=2, ET_DYN=3, ET_CORE=4 */
  type: number;
  /** e_machine */
  machine: number;
  /** e_version */
  version: number;
  /** e_entry (an address: may exceed 2^53) */
  entry: bigint;
  phoff: number;
  shoff: number;
  /** e_flags */
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  /** Number of sections, resolved through section 0's sh_size when e_shnum is 0. */
  shnum: number;
  /** Index of the section name string table, resolved through section 0's sh_link for SHN_XINDEX. */
  shstrndx: number;
}

export interface Section {
  index: number;
  name: string;
  /** sh_name: offset of the name in the section name string table. */
  nameOffset: number;
  /** sh_type */
  type: number;
  /** sh_flags */
  flags: number;
  /** sh_addr (an address: may exceed 2^53) */
  addr: bigint;
  /** sh_offset */
  fileOffset: number;
  /** sh_size: bytes in the file (compressed size for SHF_COMPRESSED). */
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSymbol {
  /** Index in its symbol table. */
  index: number;
  name: string;
  /** st_value as a number (exact below 2^53; always exact in ET_REL files). */
  value: number;
  /** st_value, exact. */
  valueBig: bigint;
  size: number;
  /** st_info */
  info: number;
  /** st_other */
  other: number;
  /** Section index, resolved through SHT_SYMTAB_SHNDX for SHN_XINDEX. */
  shndx: number;
  /** st_info >> 4 (STB_*) */
  bind: number;
  /** st_info & 0xf (STT_*) */
  type: number;
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}
