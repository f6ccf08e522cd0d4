/**
 * pahole 1.24's layout arithmetic on the format-neutral model:
 *  - sizes (dwarves.c tag__size), natural alignment (tag__natural_alignment),
 *  - member normalisation (dwarf_loader.c class_member__cache_byte_size),
 *  - holes and padding (dwarves.c class__find_holes), with pahole's integer widths,
 *  - inferred __packed__ and the other order-dependent printing state: layout/pahole-state.ts.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type AggregateType, type Member, type TypeId } from '../model/types.js';
import type { MemberRole } from './types.js';
import { lowBits } from './align.js';

export const MAX_DEPTH = 64;

/** pahole's class_member after class_member__cache_byte_size and class__find_holes. */
export interface MemberRec {
  index: number;
  role: MemberRole;
  member: Member;
  /** Storage-unit offset for bit-fields, byte offset otherwise. */
  byteOffset: number;
  bitOffset: number;
  byteSize: number;
  /** 8 * byteSize (pahole's bit_size). */
  bitSize: number;
  /** Bit-field width, 0 for ordinary members. */
  bitfieldSize: number;
  /** Bit position inside the storage unit. */
  bitfieldOffset: number;
  /** Raw (int) byte hole after the member; pahole stores it as uint16. */
  hole: number;
  /** Raw (int) bit hole after the member; pahole stores it as uint8. */
  bitHole: number;
  /** Virtual bases and statics are skipped by class__find_holes. */
  skipped: boolean;
}

export interface HolesResult {
  members: MemberRec[];
  preHole: number;
  preBitHole: number;
  /** pahole's nr_holes/nr_bit_holes (uint8 counters of non-zero int holes). */
  nrHoles: number;
  nrBitHoles: number;
  /** uint16 tail padding. */
  padding: number;
  /** uint8 trailing bits of the last bit-field unit. */
  bitPadding: number;
  /** Signed values before truncation, for JSON consumers. */
  rawPadding: number;
}

export const u8 = (n: number): number => lowBits(8, n);
export const u16 = (n: number): number => lowBits(16, n);
export const u32 = (n: number): number => n >>> 0;
export const i32 = (n: number): number => n | 0;

/** Pointer size: the first plain pointer type's size, else 8. */
export function guessAddressSize(table: TypeTable): number {
  for (const t of table.types) if (t.kind === 'pointer' && t.pointerKind === 'pointer' && t.size > 0) return t.size;
  return 8;
}

/** pahole's nr_members: data members and bases, statics excluded. */
export function nrMembers(t: AggregateType): number {
  let n = 0;
  for (const m of t.members) if (!m.isStatic) n++;
  return n;
}

export function nrStaticMembers(t: AggregateType): number {
  let n = 0;
  for (const m of t.members) if (m.isStatic) n++;
  return n;
}

/** tag__is_struct(): struct, class (and interface), not union. */
export function isStructLike(table: TypeTable, id: TypeId): boolean {
  if (id === VOID_TYPE) return false;
  const t = table.get(id);
  return t.kind === 'struct' || t.kind === 'class';
}

/** tag__strip_typedefs_and_modifiers(). rvalue references are typedefs in pahole and are stripped too. */
export function stripTypedefsAndModifiers(table: TypeTable, id: TypeId): TypeId {
  for (let g = 0; g < MAX_DEPTH && id !== VOID_TYPE; g++) {
    const t = table.get(id);
    if (t.kind === 'typedef') id = t.target;
    else if (t.kind === 'qualifier' && t.qualifier !== 'atomic') id = t.target;
    else if (t.kind === 'pointer' && t.pointerKind === 'rvalue_reference') id = t.target;
    else return id;
  }
  return id;
}

/** pahole's tag__size(). */
export function paholeSize(table: TypeTable, id: TypeId, addressSize: number, depth = 0): number {
  if (depth > MAX_DEPTH || id === VOID_TYPE) return 0;
  const t = table.get(id);
  switch (t.kind) {
    case 'base':
      return t.size;
    case 'pointer':
      if (t.pointerKind === 'pointer' || t.pointerKind === 'reference') return addressSize;
      // ptr_to_member and rvalue references (typedefs in pahole) take their target's size.
      return paholeSize(table, t.target, addressSize, depth + 1);
    case 'enum':
      return t.size > 0 ? t.size : 4;
    case 'struct':
    case 'union':
    case 'class':
      if (t.declaration) return 0;
      // "empty base optimization trick"
      if (t.size === 1 && nrMembers(t) === 0) return 0;
      return t.size;
    case 'typedef':
    case 'qualifier':
      return paholeSize(table, t.target, addressSize, depth + 1);
    case 'array': {
      let n = 1;
      for (const d of t.dims) n *= d ?? 0;
      return paholeSize(table, t.element, addressSize, depth + 1) * n;
    }
    case 'function':
      return t.returnType === VOID_TYPE ? 0 : paholeSize(table, t.returnType, addressSize, depth + 1);
    default:
      return 0;
  }
}

/** Normalise one member as class_member__cache_byte_size() does. */
export function memberRec(table: TypeTable, m: Member, index: number, addressSize: number): MemberRec {
  const role: MemberRole = m.isStatic ? 'static' : m.isBase ? 'base' : 'member';
  const bitfieldSize = m.bitSize ?? 0;
  let byteSize: number;
  let byteOffset: number;
  let bitfieldOffset = 0;
  const bitOffset = m.bitOffset;
  if (role === 'static') {
    byteSize = 0;
    byteOffset = 0;
  } else if (bitfieldSize === 0) {
    byteSize = paholeSize(table, m.type, addressSize);
    byteOffset = Math.floor(bitOffset / 8);
  } else {
    byteSize = m.byteSize > 0 ? m.byteSize : paholeSize(table, stripTypedefsAndModifiers(table, m.type), addressSize);
    if (byteSize === 0) {
      byteOffset = Math.floor(bitOffset / 8);
    } else {
      const unitBits = byteSize * 8;
      byteOffset = Math.floor(bitOffset / unitBits) * byteSize;
      bitfieldOffset = bitOffset - Math.floor(bitOffset / unitBits) * unitBits;
    }
  }
  return {
    index,
    role,
    member: m,
    byteOffset,
    bitOffset,
    byteSize,
    bitSize: byteSize * 8,
    bitfieldSize,
    bitfieldOffset,
    hole: 0,
    bitHole: 0,
    skipped: role === 'static' || (role === 'base' && m.isVirtualBase === true),
  };
}

/** class__find_holes() for a struct/class (unions have no holes in pahole). */
export function findHoles(table: TypeTable, t: AggregateType, addressSize: number): HolesResult {
  const members = t.members.map((m, i) => memberRec(table, m, i, addressSize));
  if (t.kind === 'union') return { members, preHole: 0, preBitHole: 0, nrHoles: 0, nrBitHoles: 0, padding: 0, bitPadding: 0, rawPadding: 0 };
  return scanHoles(members, t.size, false);
}

/**
 * The hole scan of class__find_holes() over member records, setting each record's `hole` and
 * `bitHole` in place. `narrow` stores them at pahole's class_member widths (uint16/uint8), as the
 * reorganizer needs; otherwise they keep their sign for printing.
 */
export function scanHoles(members: MemberRec[], structSize: number, narrow: boolean): HolesResult {
  const res: HolesResult = { members, preHole: 0, preBitHole: 0, nrHoles: 0, nrBitHoles: 0, padding: 0, bitPadding: 0, rawPadding: 0 };
  const size = u32(structSize);
  let curBitfieldEnd = u32(size * 8);
  let curBitfieldSize = 0;
  let lastSeenBit = 0;
  let inBitfield = false;
  let last: MemberRec | undefined;
  let nrHoles = 0;
  let nrBitHoles = 0;
  for (const pos of members) {
    if (pos.skipped) continue;
    pos.hole = 0;
    pos.bitHole = 0;
    const bitStart = u32(pos.bitOffset);
    const bitEnd = u32(bitStart + (pos.bitfieldSize ? pos.bitfieldSize : pos.byteSize * 8));
    let bitHoles = 0;
    let byteHoles = 0;
    if (inBitfield) {
      const bitfieldEnd = Math.min(bitStart, curBitfieldEnd);
      bitHoles = i32(bitfieldEnd - lastSeenBit);
      lastSeenBit = u32(bitfieldEnd);
    }
    if (pos.bitfieldSize) {
      const alignedStart = u32(pos.byteOffset * 8);
      if (lastSeenBit < alignedStart && alignedStart <= bitStart) {
        byteHoles = i32(pos.byteOffset - Math.floor(lastSeenBit / 8));
        lastSeenBit = alignedStart;
      }
      bitHoles = i32(bitHoles + (bitStart - lastSeenBit));
    } else {
      byteHoles = i32(Math.floor(bitStart / 8) - Math.floor(lastSeenBit / 8));
    }
    lastSeenBit = bitEnd;
    if (pos.bitfieldSize) {
      inBitfield = true;
      if (bitEnd > curBitfieldEnd || pos.bitSize > curBitfieldSize) {
        curBitfieldSize = pos.bitSize;
        curBitfieldEnd = u32(pos.byteOffset * 8 + curBitfieldSize);
        if (bitEnd > curBitfieldEnd) curBitfieldEnd = u32(curBitfieldEnd + curBitfieldSize);
      }
    } else {
      inBitfield = false;
      curBitfieldSize = 0;
      curBitfieldEnd = bitEnd;
    }
    if (last) {
      last.hole = narrow ? u16(byteHoles) : byteHoles;
      last.bitHole = narrow ? u8(bitHoles) : bitHoles;
    } else {
      res.preHole = byteHoles;
      res.preBitHole = bitHoles;
    }
    if (bitHoles) nrBitHoles++;
    if (byteHoles) nrHoles++;
    last = pos;
  }
  if (inBitfield) {
    const bitfieldEnd = Math.min(size * 8, curBitfieldEnd);
    res.bitPadding = u8(bitfieldEnd - lastSeenBit);
    lastSeenBit = u32(bitfieldEnd);
  }
  res.rawPadding = size - Math.floor(lastSeenBit / 8);
  res.padding = u16(res.rawPadding);
  res.nrHoles = u8(nrHoles);
  res.nrBitHoles = u8(nrBitHoles);
  return res;
}

