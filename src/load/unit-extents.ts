/**
 * Where the units of .debug_info are, read from their headers alone (a few bytes each) rather
 * than from the whole section: what splitting a file between worker threads needs.
 */
import { debugSectionParts, ET, openElf, SHF } from '../elf/index.js';

/** [offset, end) of every unit, or undefined when .debug_info is not stored plainly (compressed, ET_REL, split in parts, broken). */
export function readUnitExtents(path: string): [number, number][] | undefined {
  let elf;
  try {
    elf = openElf(path);
  } catch {
    return undefined; // the reader in one piece reports it
  }
  try {
    const parts = debugSectionParts(elf, '.debug_info');
    if (parts.length !== 1 || elf.header.type === ET.REL) return undefined;
    const s = parts[0]!;
    if (s.flags & SHF.COMPRESSED || s.name.startsWith('.zdebug')) return undefined;
    const le = elf.header.littleEndian;
    const out: [number, number][] = [];
    for (let at = 0; at + 4 <= s.size; ) {
      const head = Buffer.from(elf.readAt(s.fileOffset + at, Math.min(12, s.size - at), s.name));
      let length = le ? head.readUInt32LE(0) : head.readUInt32BE(0);
      let start = at + 4;
      if (length === 0xffffffff) {
        if (head.length < 12) return undefined;
        length = Number(le ? head.readBigUInt64LE(4) : head.readBigUInt64BE(4));
        start = at + 12;
      } else if (length >= 0xfffffff0) return undefined;
      if (length === 0) break; // zero padding after the last unit
      const end = start + length;
      if (end > s.size) return undefined;
      out.push([at, end]);
      at = end;
    }
    return out;
  } catch {
    return undefined;
  } finally {
    elf.close();
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
