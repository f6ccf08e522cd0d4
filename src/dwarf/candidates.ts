/**
 * Which units can define a type with a given name, found without decoding a single DIE.
 *
 * A DIE's DW_AT_name is either a DW_FORM_strp offset into .debug_str or an inline
 * DW_FORM_string. So a unit that defines `task_struct` must contain either the (relocated)
 * offset of some "task_struct\0" in .debug_str, or the bytes "task_struct\0" themselves.
 * Both are plain byte searches (memchr-speed Buffer.indexOf), which lets `-C NAME` convert only
 * the few units that can matter instead of all of them. False positives (the same four bytes
 * appearing by chance) cost only an extra unit; there are no false negatives for these forms.
 *
 * Names given as DW_FORM_strx* (through .debug_str_offsets, clang's DWARF 5), dwz's
 * DW_FORM_GNU_strp_alt, and types living in type units cannot be found this way: then
 * `candidateUnits` returns undefined and the caller reads every unit.
 */
import type { DwarfSections } from './sections.js';
import type { UnitHeader } from './unit.js';

/** Offsets of the units (sorted, from `units`) that may define one of `names`; undefined when unknowable. */
export function candidateUnits(sec: DwarfSections, units: readonly UnitHeader[], names: readonly string[], hasTypeUnits: boolean): Set<number> | undefined {
  if (!sec.info || sec.strOffsets || hasTypeUnits || names.length === 0) return undefined;
  const info = asBuffer(sec.info.bytes);
  const str = sec.str ? asBuffer(sec.str.bytes) : undefined;
  const wide = units.some((u) => u.offsetSize === 8);
  const hits: number[] = [];
  for (const name of names) {
    const needle = Buffer.from(name + '\0', 'utf8');
    for (const at of allIndexes(info, needle)) hits.push(at);
    if (!str) continue;
    for (const offset of allIndexes(str, needle)) {
      for (const at of allIndexes(info, encodeOffset(offset, 4, sec.littleEndian))) hits.push(at);
      if (wide) for (const at of allIndexes(info, encodeOffset(offset, 8, sec.littleEndian))) hits.push(at);
    }
  }
  const out = new Set<number>();
  for (const at of hits) {
    const u = unitContaining(units, at);
    if (u) out.add(u.offset);
  }
  return out;
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

/** The unit whose bytes include `at` (units are sorted by offset). */
export function unitContaining(units: readonly UnitHeader[], at: number): UnitHeader | undefined {
  let lo = 0;
  let hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = units[mid]!;
    if (at < u.offset) hi = mid - 1;
    else if (at >= u.end) lo = mid + 1;
    else return u;
  }
  return undefined;
}
