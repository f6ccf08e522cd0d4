/**
 * Where the units of .debug_info are, read from their headers alone (a few bytes each) rather
 * than from the whole section: what splitting a file between worker threads needs.
 */
import { openElf, plainDebugSection, rawDebugSection, type ElfFile } from '../elf/index.js';

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

/**
 * unit extents of an open file (see readUnitExtents); only 32-bit DWARF units. Not ET_REL unless
 * `relocatable`: the byte search for names (name-search.ts) needs relocated .debug_info.
 */
export function unitExtents(elf: ElfFile, relocatable = false): [number, number][] | undefined {
  try {
    const s = relocatable ? rawDebugSection(elf, '.debug_info') : plainDebugSection(elf, '.debug_info');
    if (!s) return undefined;
    const le = elf.header.littleEndian;
    const out: [number, number][] = [];
    for (let at = 0; at + 4 <= s.size; ) {
      const head = Buffer.from(elf.readAt(s.fileOffset + at, Math.min(4, s.size - at), s.name));
      const length = le ? head.readUInt32LE(0) : head.readUInt32BE(0);
      if (length >= 0xfffffff0) return undefined; // 64-bit DWARF (or broken): read in one piece
      if (length === 0) break; // zero padding after the last unit
      const end = at + 4 + length;
      if (end > s.size) return undefined;
      out.push([at, end]);
      at = end;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Split units into `n` runs of consecutive units with about the same number of bytes each. */
export function splitUnits(extents: readonly (readonly [number, number])[], n: number): number[][] {
  const total = extents.reduce((sum, [s, e]) => sum + (e - s), 0);
  const chunks: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const [s, e] of extents) {
    cur.push(s);
    bytes += e - s;
    if (chunks.length < n - 1 && bytes >= (total * (chunks.length + 1)) / n) {
      chunks.push(cur);
      cur = [];
    }
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}
