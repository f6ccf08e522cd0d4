/**
 * Where a computed layout and the DWARF placement of an aggregate differ, member by member and
 * in size (`check`'s unexplained lines). Pure.
 */
import type { AggregateType } from '../../model/types.js';
import { memberLabel } from './attributes.js';
import type { EngineLayout } from './engine.js';

export interface MemberDifference {
  /** Member name (or `<anonymous #i>`, or `(size)` for the aggregate's size). */
  member: string;
  /** Index into the aggregate's members; -1 for the size. */
  index: number;
  /** Byte offsets (floor of the bit offset for bit-fields); for `(size)` both are 0. */
  dwarfOffset: number;
  abiOffset: number;
  dwarfBitOffset: number;
  abiBitOffset: number;
  /** Byte sizes (member sizes, or the aggregate sizes for `(size)`). */
  dwarfSize: number;
  abiSize: number;
}

/** Differences between the DWARF placement and a computed layout. */
export function compare(agg: AggregateType, layout: EngineLayout): MemberDifference[] {
  const out: MemberDifference[] = [];
  for (const em of layout.members) {
    const m = agg.members[em.index]!;
    const dwarfBit = agg.kind === 'union' ? 0 : m.bitOffset;
    if (dwarfBit !== em.bitOffset || (m.bitSize === undefined && m.byteSize !== em.byteSize && !m.isBase)) {
      out.push({
        member: memberLabel(agg, em.index),
        index: em.index,
        dwarfOffset: Math.floor(dwarfBit / 8),
        abiOffset: Math.floor(em.bitOffset / 8),
        dwarfBitOffset: dwarfBit,
        abiBitOffset: em.bitOffset,
        dwarfSize: m.byteSize,
        abiSize: em.byteSize,
      });
    }
  }
  if (agg.size !== layout.size) {
    out.push({ member: '(size)', index: -1, dwarfOffset: 0, abiOffset: 0, dwarfBitOffset: 0, abiBitOffset: 0, dwarfSize: agg.size, abiSize: layout.size });
  }
  return out;
}
