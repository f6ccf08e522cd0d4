import { StructscopeError } from '../util/errors.js';
import { Reader } from '../util/reader.js';
import { DW_UT } from './constants.js';
import type { SectionBytes } from './sections.js';

/** How values are encoded in one unit. */
export interface Encoding {
  version: number;
  /** 4 (32-bit DWARF) or 8 (64-bit DWARF). */
  offsetSize: 4 | 8;
  addressSize: number;
}

export interface UnitHeader extends Encoding {
  /** Offset of the unit header in its section. */
  offset: number;
  /** Offset one past the unit's last byte. */
  end: number;
  unitType: number;
  abbrevOffset: number;
  /** Offset of the first DIE. */
  dieOffset: number;
  /** Type units: the 8-byte signature, as a 16-digit hex string. */
  typeSignature?: string;
  /** Type units: offset of the type DIE, relative to the unit start. */
  typeOffset?: number;
  /** Skeleton / split units (DWARF 5 header field). */
  dwoId?: string;
}

export interface UnitScan {
  units: UnitHeader[];
  /** Set when the unit list ended early because a header was broken. */
  error?: StructscopeError;
}

/**
 * Read every unit header of .debug_info (or .debug_types when `isTypes`), following lengths only.
 * A broken header ends the scan: the units before it are still returned.
 */
export function readUnitHeaders(sec: SectionBytes, littleEndian: boolean, isTypes = false): UnitScan {
  const units: UnitHeader[] = [];
  const r = new Reader(sec.bytes, littleEndian, sec.name, sec.fileOffset);
  try {
    while (r.remaining > 0) {
      const start = r.pos;
      let length = r.u32();
      let offsetSize: 4 | 8 = 4;
      if (length === 0xffffffff) {
        length = r.u64();
        offsetSize = 8;
      } else if (length >= 0xfffffff0) {
        r.fail(start, `reserved unit length 0x${length.toString(16)}`, 'BAD_HEADER');
      }
      const end = r.pos + length;
      if (end > r.length) r.fail(start, `unit length ${length} runs past the end of the section`);
      // A run of zero padding at the end of the section (seen after some linkers) ends the list.
      if (length === 0) break;
      const version = r.u16();
      if (version < 2 || version > 5) r.fail(start + offsetSize, `unsupported DWARF version ${version}`, 'BAD_HEADER');
      let unitType: number = isTypes ? DW_UT.type : DW_UT.compile;
      let addressSize: number;
      let abbrevOffset: number;
      if (version >= 5) {
        unitType = r.u8();
        addressSize = r.u8();
        abbrevOffset = r.uN(offsetSize);
      } else {
        abbrevOffset = r.uN(offsetSize);
        addressSize = r.u8();
      }
      if (addressSize !== 2 && addressSize !== 4 && addressSize !== 8) {
        r.fail(r.pos - 1, `bad address size ${addressSize}`, 'BAD_HEADER');
      }
      const unit: UnitHeader = {
        offset: start,
        end,
        version,
        offsetSize,
        addressSize,
        unitType,
        abbrevOffset,
        dieOffset: 0,
      };
      if (unitType === DW_UT.type || unitType === DW_UT.split_type) {
        unit.typeSignature = hex8(r.bytesN(8), littleEndian);
        unit.typeOffset = r.uN(offsetSize);
      } else if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) {
        unit.dwoId = hex8(r.bytesN(8), littleEndian);
      }
      if (r.pos > end) r.fail(start, 'unit header longer than the unit', 'BAD_HEADER');
      unit.dieOffset = r.pos;
      units.push(unit);
      r.seek(end);
    }
  } catch (e) {
    if (e instanceof StructscopeError) return { units, error: e };
    throw e;
  }
  return { units };
}

/** An 8-byte value (signature, dwo id) as 16 hex digits, most significant first. */
export function hex8(b: Uint8Array, littleEndian: boolean): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += b[littleEndian ? 7 - i : i]!.toString(16).padStart(2, '0');
  return s;
}

/** The unit holding section offset `at`, from units sorted by offset (binary search). */
export function unitContaining<U extends { offset: number; end: number }>(units: readonly U[], at: number): U | undefined {
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
