/**
 * Where the units of a file's .debug_info are, read from their headers alone (a few bytes each)
 * rather than from the whole section: what splitting a file between worker threads needs. The
 * DWARF side (length fields, sharing units out) is dwarf/extents.ts.
 */
import { unitExtentsOf } from '../dwarf/extents.js';
import { ET, openElf, plainDebugSection, rawDebugSection, type ElfFile } from '../elf/index.js';

/**
 * [offset, end) of every unit, or undefined when .debug_info is not stored plainly (compressed,
 * split in parts, broken). `relocatable`: ET_REL files too (unit lengths are never relocated),
 * for a reader that relocates each worker's share (loadDebugSectionRangesRelocated).
 */
export function readUnitExtents(path: string, relocatable = false): [number, number][] | undefined {
  let elf;
  try {
    elf = openElf(path);
  } catch {
    return undefined; // the reader in one piece reports it
  }
  try {
    return unitExtents(elf, relocatable);
  } finally {
    elf.close();
  }
}

/** Whether `path` is an ELF relocatable file (ET_REL: kernel modules, objects); false when unreadable. */
export function isRelocatable(path: string): boolean {
  let elf;
  try {
    elf = openElf(path);
  } catch {
    return false;
  }
  try {
    return elf.header.type === ET.REL;
  } finally {
    elf.close();
  }
}

/**
 * unit extents of an open file (see readUnitExtents); only 32-bit DWARF units. Not ET_REL unless
 * `relocatable`: the byte search for names (name-search.ts) needs relocated .debug_info.
 */
export function unitExtents(elf: ElfFile, relocatable = false): [number, number][] | undefined {
  try {
    const s = relocatable ? rawDebugSection(elf, '.debug_info') : plainDebugSection(elf, '.debug_info');
    if (!s) return undefined;
    return unitExtentsOf(s.size, elf.header.littleEndian, (at, n) => elf.readAt(s.fileOffset + at, n, s.name));
  } catch {
    return undefined;
  }
}
