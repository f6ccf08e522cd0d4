import type { DwarfSections, SectionBytes } from '../dwarf/sections.js';
import { loadDebugSection, loadDebugSectionRanges, type ElfFile } from '../elf/index.js';

/** The DWARF sections structscope reads, by their standard names. */
export const SECTION_NAMES = {
  info: '.debug_info',
  abbrev: '.debug_abbrev',
  str: '.debug_str',
  lineStr: '.debug_line_str',
  strOffsets: '.debug_str_offsets',
  line: '.debug_line',
  types: '.debug_types',
} as const;

/**
 * Read the DWARF sections of an ELF file (decompressed, relocated). `suffix` ".dwo" reads the
 * sections of a split DWARF object or package (".debug_info.dwo" …). With `infoRanges`, only
 * those byte ranges of .debug_info are read, when it is stored plainly (elf/debug.ts). Sections in
 * `read` were read already (by the caller) and are taken as they are.
 */
export function readDwarfSections(
  elf: ElfFile,
  suffix = '',
  infoRanges?: [number, number][],
  read: Partial<Record<keyof typeof SECTION_NAMES, Uint8Array>> = {},
): DwarfSections {
  const out: DwarfSections = { littleEndian: elf.header.littleEndian };
  for (const [key, base] of Object.entries(SECTION_NAMES) as [keyof typeof SECTION_NAMES, string][]) {
    const name = base + suffix;
    const sparse = key === 'info' && infoRanges ? loadDebugSectionRanges(elf, name, infoRanges) : undefined;
    const bytes = sparse ?? read[key] ?? loadDebugSection(elf, name);
    if (!bytes) continue;
    const section = elf.section(name) ?? elf.section(name.replace(/^\.debug_/, '.zdebug_'));
    const sb: SectionBytes = { name, bytes, fileOffset: section?.fileOffset ?? 0 };
    out[key] = sb;
  }
  return out;
}
