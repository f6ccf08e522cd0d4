/**
 * The file-level form of dwarf/candidates.ts: find the units that can define some names by
 * searching .debug_info in the file chunk by chunk, so that `-C NAME` on a vmlinux never holds
 * the whole 170 MB section, only the units it then converts.
 */
import { debugSectionParts, loadDebugSection, type ElfFile } from '../elf/index.js';
import { plainDebugInfo } from './unit-extents.js';

const CHUNK = 8 << 20;

/**
 * Offsets of the units (from `extents`) whose bytes hold a name's .debug_str offset or the name
 * inline; undefined when names may be stored other ways (string offsets tables, dwz, type units).
 */
export function candidateUnitsInFile(elf: ElfFile, extents: readonly (readonly [number, number])[], names: readonly string[]): Set<number> | undefined {
  const info = plainDebugInfo(elf);
  if (!info || names.length === 0) return undefined;
  for (const other of ['.debug_str_offsets', '.debug_types', '.gnu_debugaltlink', '.debug_sup']) {
    if (debugSectionParts(elf, other).length || elf.section(other)) return undefined;
  }
  const str = loadDebugSection(elf, '.debug_str');
  const strBuf = str ? Buffer.from(str.buffer, str.byteOffset, str.byteLength) : undefined;
  const le = elf.header.littleEndian;
  const needles: Buffer[] = [];
  for (const name of names) {
    const inline = Buffer.from(name + '\0', 'utf8');
    needles.push(inline);
    if (!strBuf) continue;
    for (let at = strBuf.indexOf(inline); at >= 0; at = strBuf.indexOf(inline, at + 1)) {
      const b = Buffer.alloc(4);
      if (le) b.writeUInt32LE(at);
      else b.writeUInt32BE(at);
      needles.push(b);
    }
  }
  const overlap = Math.max(...needles.map((n) => n.length)) - 1;
  const hits = new Set<number>();
  for (let pos = 0; pos < info.size; pos += CHUNK) {
    const len = Math.min(info.size - pos, CHUNK + overlap);
    const chunk = Buffer.from(elf.readAt(info.fileOffset + pos, len, info.name));
    for (const needle of needles) {
      for (let at = chunk.indexOf(needle); at >= 0; at = chunk.indexOf(needle, at + 1)) {
        const unit = extentAt(extents, pos + at);
        if (unit !== undefined) hits.add(unit);
      }
    }
  }
  return hits;
}

/** Start offset of the extent holding `at` (extents sorted). */
function extentAt(extents: readonly (readonly [number, number])[], at: number): number | undefined {
  let lo = 0;
  let hi = extents.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = extents[mid]!;
    if (at < s) hi = mid - 1;
    else if (at >= e) lo = mid + 1;
    else return s;
  }
  return undefined;
}
