/**
 * pahole 1.24's class__reorganize() (dwarves_reorganize.c), the parts `pahole --packable` uses:
 * moving whole (non bit-field) members into holes and recomputing holes after each move.
 * BITFIELD_REORG_ALGORITHMS_ENABLED is not defined in pahole 1.24, so bit-fields are never moved,
 * demoted or retyped. Works on a private mutable copy of pahole's class_member records (MemberRec).
 */
import type { TypeTable } from '../model/table.js';
import type { AggregateType, TypeId } from '../model/types.js';
import { findHoles, isStructLike, scanHoles, u16, u32, type MemberRec } from './pahole-rules.js';

/** The clone pahole reorganizes: its tag list (members and inheritance entries) and class fields. */
interface Clone {
  list: MemberRec[];
  size: number;
  padding: number;
  bitPadding: number;
  nrHoles: number;
}

const MAX_RESTARTS = 100000;

/** tag__is_class_member(): DW_TAG_member (statics included), not DW_TAG_inheritance. */
const isDataMember = (m: MemberRec): boolean => m.role !== 'base';

/** class__find_holes() again on the moved records (reorganizing changes their offsets in place). */
function recalcHoles(c: Clone): void {
  const r = scanHoles(c.list, c.size, true);
  c.bitPadding = r.bitPadding;
  c.padding = r.padding;
  c.nrHoles = r.nrHoles;
}

/** type__last_member(): the last DW_TAG_member. */
function lastMember(c: Clone): MemberRec | undefined {
  for (let i = c.list.length - 1; i >= 0; i--) if (isDataMember(c.list[i]!)) return c.list[i];
  return undefined;
}

/** class__subtract_offsets_from(): members after `from` (list position) move down by `size`. */
function subtractOffsetsFrom(c: Clone, from: MemberRec, size: number): void {
  size = u16(size);
  const start = c.list.indexOf(from);
  for (let i = start + 1; i < c.list.length; i++) {
    const m = c.list[i]!;
    if (!isDataMember(m)) continue;
    m.byteOffset -= size;
    m.bitOffset -= size * 8;
  }
  if (c.padding !== 0) {
    const lm = lastMember(c)!;
    const newPadding = c.size - (lm.byteOffset + lm.byteSize);
    c.padding = newPadding > 0 ? u16(newPadding) : 0;
  }
}

/** class__find_next_hole_of_size(). */
function findNextHoleOfSize(c: Clone, from: MemberRec, size: number): MemberRec | undefined {
  let bitfieldHead: MemberRec | undefined;
  for (let i = c.list.indexOf(from) + 1; i < c.list.length; i++) {
    const m = c.list[i]!;
    if (!isDataMember(m)) continue;
    if (m.bitfieldSize !== 0) bitfieldHead ??= m;
    else bitfieldHead = undefined;
    if (m.hole !== 0 && m.byteSize !== 0 && m.byteSize <= size) return bitfieldHead ?? m;
  }
  return undefined;
}

/** class__find_last_member_of_size(). */
function findLastMemberOfSize(c: Clone, to: MemberRec, size: number): MemberRec | undefined {
  for (let i = c.list.length - 1; i >= 0; i--) {
    const m = c.list[i]!;
    if (!isDataMember(m)) continue;
    if (m === to) break;
    if (m.bitfieldSize !== 0 && m.byteOffset !== 0) {
      const prev = c.list[i - 1];
      if (prev && prev.bitfieldSize !== 0) continue;
    }
    if (m.byteSize !== 0 && m.byteSize <= size) return m;
  }
  return undefined;
}

/** class__move_member() without BITFIELD_REORG_ALGORITHMS_ENABLED: refuses bit-fields. */
function moveMember(c: Clone, dest: MemberRec, from: MemberRec, addressSize: number, fromPadding: boolean): boolean {
  if (from.bitfieldSize !== 0) return false;
  const fromSize = from.byteSize;
  const destSize = dest.byteSize;
  const fromIdx = c.list.indexOf(from);
  const fromWasLast = fromIdx === c.list.length - 1;
  const fromPrev = c.list[fromIdx - 1]!;
  const origTailFromHole = from.hole;
  const origFromOffset = u16(from.byteOffset);
  const offset = u16(dest.hole % (fromSize > addressSize ? addressSize : fromSize));
  const newFromOffset = u16(dest.byteOffset + destSize + offset);
  c.list.splice(fromIdx, 1);
  c.list.splice(c.list.indexOf(dest) + 1, 0, from);
  from.byteOffset = newFromOffset;
  from.bitOffset = newFromOffset * 8 + from.bitfieldOffset;
  if (fromPadding) {
    if (origFromOffset % addressSize === 0) c.size = u32(c.size - (fromSize + c.padding));
  } else if (fromWasLast) {
    c.size = u32(c.size - (fromSize + c.padding));
  } else if (origTailFromHole + fromSize >= addressSize) {
    c.size = u32(c.size - addressSize);
    subtractOffsetsFrom(c, fromPrev, addressSize);
  }
  recalcHoles(c);
  return true;
}

/** class__reorganize(clone, cu, 0, fp) as --packable runs it; returns the clone's new size. */
function reorganize(c: Clone, addressSize: number): void {
  for (let restarts = 0; restarts < MAX_RESTARTS; restarts++) {
    const last = lastMember(c);
    if (!last) return;
    let alignmentSize = 0;
    for (const m of c.list) {
      if (!isDataMember(m)) continue;
      const aligned = m.byteSize + m.hole;
      if (aligned <= addressSize && aligned > alignmentSize) alignmentSize = aligned;
    }
    if (alignmentSize !== 0) {
      if (alignmentSize > 1) alignmentSize = Math.ceil(alignmentSize / 2) * 2;
      const modulo = (last.byteOffset + last.byteSize) % alignmentSize;
      const newPadding = modulo !== 0 ? u16(addressSize - modulo) : 0;
      if (newPadding !== c.padding) {
        c.padding = newPadding;
        c.size = u32(last.byteOffset + last.byteSize + newPadding);
      }
    }
    if (pass1(c, last, addressSize)) continue;
    if (c.nrHoles === 0) return;
    if (pass2(c, addressSize)) continue;
    return;
  }
}

function pass1(c: Clone, last: MemberRec, addressSize: number): boolean {
  for (const member of [...c.list]) {
    if (!isDataMember(member) || member.hole === 0) continue;
    const brother = findNextHoleOfSize(c, member, member.hole);
    if (brother) {
      const brotherPrev = c.list[c.list.indexOf(brother) - 1];
      if (brotherPrev !== member && moveMember(c, member, brother, addressSize, false)) return true;
    }
    if (c.padding > 0 && member !== last && last.byteSize !== 0 && last.byteSize <= member.hole) {
      if (moveMember(c, member, last, addressSize, true)) return true;
    }
  }
  return false;
}

function pass2(c: Clone, addressSize: number): boolean {
  for (const member of [...c.list]) {
    if (!isDataMember(member) || member.hole === 0) continue;
    const brother = findLastMemberOfSize(c, member, member.hole);
    if (brother) {
      const brotherPrev = c.list[c.list.indexOf(brother) - 1];
      if (brotherPrev !== member && moveMember(c, member, brother, addressSize, false)) return true;
    }
  }
  return false;
}

/**
 * pahole's class__packable(): for a struct/class with byte or bit holes, the size class__reorganize()
 * reaches; undefined when the struct is not a struct, has no holes, or does not shrink.
 */
export function paholePackable(table: TypeTable, id: TypeId, addressSize: number): { size: number; newSize: number } | undefined {
  if (!isStructLike(table, id)) return undefined;
  const t = table.get(id) as AggregateType;
  const h = findHoles(table, t, addressSize);
  if (h.nrHoles === 0 && h.nrBitHoles === 0) return undefined;
  const c: Clone = {
    list: h.members.map((m) => ({ ...m })),
    size: u32(t.size),
    padding: h.padding,
    bitPadding: h.bitPadding,
    nrHoles: h.nrHoles,
  };
  reorganize(c, addressSize);
  return t.size > c.size ? { size: t.size, newSize: c.size } : undefined;
}
