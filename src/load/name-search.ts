/**
 * Which units can define a type with a given name, found without decoding a single DIE.
 *
 * A DIE's DW_AT_name is either a DW_FORM_strp offset into .debug_str or an inline DW_FORM_string.
 * So a unit that defines `task_struct` must contain either the (relocated) offset of some
 * "task_struct\0" in .debug_str, or those bytes themselves. Both are plain byte searches, which
 * lets `-C NAME` convert only the few units that can matter. False positives (the same bytes by
 * chance) cost an extra unit; there are no false negatives for these forms. Names given as
 * DW_FORM_strx* (through .debug_str_offsets, clang's DWARF 5) cannot be found this way: then the
 * answer is undefined and every unit is read. (Where types live outside the units that name them,
 * in type units, dwz or split DWARF, the loader and the converter read every unit anyway.)
 *
 * The search runs over .debug_info in the file, chunk by chunk, when it is stored plainly (a whole
 * vmlinux section is never held), or over the section already in memory otherwise.
 */
import type { DwarfSections } from '../dwarf/sections.js';
import { unitContaining } from '../dwarf/unit.js';
import { plainDebugSection, type ElfFile } from '../elf/index.js';

const CHUNK = 8 << 20;

type Extents = readonly (readonly [number, number])[];

/**
 * The units (from `extents`) that can define one of `names`, searching .debug_info in the file;
 * `str` is its .debug_str. The search runs as the answer is needed: asking about a unit searches
 * the file up to that unit's end, so a reader that goes through the units in order and stops at
 * the first definition (`-C NAME`, as pahole) never searches the rest of the file.
 */
export function candidateUnitsInFile(elf: ElfFile, extents: Extents, names: readonly string[], str: Uint8Array | undefined): UnitFilter | undefined {
  const info = plainDebugSection(elf, '.debug_info');
  if (!info || elf.section('.debug_str_offsets')) return undefined;
  const needles = nameNeedles(names, str, elf.header.littleEndian, false);
  const overlap = Math.max(...needles.map((n) => n.length)) - 1;
  const hits = new UnitHits(extents);
  const ends = new Map(extents.map(([start, end]) => [start, end] as const));
  let searched = 0; // every chunk that starts below this was searched
  return {
    has(offset: number): boolean {
      const end = ends.get(offset) ?? info.size;
      for (; searched < end && searched < info.size; searched += CHUNK) {
        const chunk = elf.readAt(info.fileOffset + searched, Math.min(info.size - searched, CHUNK + overlap), info.name);
        hits.search(asBuffer(chunk), searched, needles);
      }
      return hits.units.has(offset);
    },
  };
}

/** Which units to read: only `has` is asked, unit by unit. */
export interface UnitFilter {
  has(offset: number): boolean;
}

/** The same search over sections already read (relocated objects, compressed sections). */
export function candidateUnitsInSections(sec: DwarfSections, extents: Extents, names: readonly string[], wide: boolean): Set<number> | undefined {
  if (!sec.info || sec.strOffsets) return undefined;
  const hits = new UnitHits(extents);
  hits.search(asBuffer(sec.info.bytes), 0, nameNeedles(names, sec.str?.bytes, sec.littleEndian, wide));
  return hits.units;
}

/** Byte strings that a unit naming one of `names` contains: the inline name, or an offset of it in .debug_str. */
function nameNeedles(names: readonly string[], str: Uint8Array | undefined, littleEndian: boolean, wide: boolean): Buffer[] {
  const strBuf = str && asBuffer(str);
  const needles: Buffer[] = [];
  for (const name of names) {
    const inline = Buffer.from(name + '\0', 'utf8');
    needles.push(inline);
    if (!strBuf) continue;
    for (const at of allIndexes(strBuf, inline)) {
      needles.push(encodeOffset(at, 4, littleEndian));
      if (wide) needles.push(encodeOffset(at, 8, littleEndian));
    }
  }
  return needles;
}

/** Units whose bytes hold a needle. */
class UnitHits {
  readonly units = new Set<number>();
  private readonly list: { offset: number; end: number }[];

  constructor(extents: Extents) {
    this.list = extents.map(([offset, end]) => ({ offset, end }));
  }

  /** Search `bytes`, which start at section offset `base`. */
  search(bytes: Buffer, base: number, needles: readonly Buffer[]): void {
    for (const needle of needles) {
      for (const at of allIndexes(bytes, needle)) {
        const unit = unitContaining(this.list, base + at);
        if (unit) this.units.add(unit.offset);
      }
    }
  }
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function* allIndexes(hay: Buffer, needle: Buffer): Generator<number> {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) yield at;
}

function encodeOffset(value: number, size: 4 | 8, littleEndian: boolean): Buffer {
  const b = Buffer.alloc(size);
  if (size === 4) {
    if (littleEndian) b.writeUInt32LE(value);
    else b.writeUInt32BE(value);
  } else if (littleEndian) b.writeBigUInt64LE(BigInt(value));
  else b.writeBigUInt64BE(BigInt(value));
  return b;
}
