/**
 * gcc's record layout (stor-layout.c layout_decl / update_alignment_for_field / place_field /
 * place_union_field) on abstract fields, as verified in ABI.md §2-§3. Works in bits; knows
 * nothing of the type model. One RecordState lays out one struct or union, field by field, so
 * that attribute inference can try a placement on a clone before committing to it.
 */
import type { Abi } from './targets.js';
import { roundUp } from '../align.js';

/** One field as the placement algorithm sees it (sizes and alignments already resolved on the target). */
export interface FieldSpec {
  /** sizeof the member's type in bytes (the declared type for bit-fields); 0 for flexible arrays. */
  size: number;
  /** Alignment of the type as a member on the target, bytes (aligned typedefs/structs included). */
  align: number;
  /** Bit-field width (0 for `T :0`); undefined for ordinary members. */
  bitSize?: number;
  /** A named bit-field (unnamed ones are not in DWARF; they come from inferred gaps). */
  named: boolean;
  /** Integer-class type (gcc MODE_INT): m68k gives full-width bit-fields their mode alignment. */
  integer: boolean;
  /** aligned(N) / _Alignas(N) on the member, bytes. */
  aligned?: number;
  /** __attribute__((packed)) on the member. */
  packed?: boolean;
  /** C++ non-POD base: the next member may start after this many bytes (its dsize), not after `size`. */
  dataSize?: number;
  /** C++ empty base class: placed at offset 0, takes no space. */
  emptyBase?: boolean;
}

export interface RecordOptions {
  union: boolean;
  /** __attribute__((packed)) on the struct. */
  packed?: boolean;
  /** #pragma pack(N) in effect, bytes. */
  pack?: number;
  /** aligned(N) on the struct, bytes. */
  aligned?: number;
  /** C++ rules: an empty class has size 1. */
  cxx?: boolean;
}

export interface Placement {
  /** Allocation-order bit offset of the field. */
  bitOffset: number;
  /** The alignment the field was placed with, bytes (1 for bit-fields without alignment needs). */
  alignment: number;
}

export interface RecordResult {
  size: number;
  alignment: number;
  /** C++ dsize: bytes up to the end of the last data (no tail padding). */
  dataSize: number;
}

/** Bits needed to hold a field in a union or a size computation. */
function fieldBits(f: FieldSpec): number {
  return f.bitSize !== undefined ? f.bitSize : f.size * 8;
}


/** Largest power of two dividing x (x > 0). */
function lowestBit(x: number): number {
  let b = 1;
  while (x % (b * 2) === 0) b *= 2;
  return b;
}

/** gcc excess_unit_span: would a w-bit field at `bit` span more units of alignment than its type? */
export function excessUnitSpan(bit: number, width: number, alignBits: number, sizeBits: number): boolean {
  const offset = bit % alignBits;
  return Math.ceil((offset + width) / alignBits) > Math.floor(sizeBits / alignBits);
}

export class RecordState {
  /** Next free bit. */
  bit = 0;
  /** Record alignment so far, bits. */
  alignBits: number;
  /** Largest end (bits) reached: union size, or a C++ base's full size beyond its dsize. */
  endBits = 0;

  constructor(
    readonly abi: Abi,
    readonly options: RecordOptions,
  ) {
    this.alignBits = 8;
    if (!options.packed) {
      // STRUCTURE_SIZE_BOUNDARY (arm OABI): packed structs are exempt, #pragma pack caps it.
      let boundary = abi.structSizeBoundary;
      if (options.pack) boundary = Math.min(boundary, options.pack * 8);
      this.alignBits = Math.max(this.alignBits, boundary);
    }
  }

  clone(): RecordState {
    const c = new RecordState(this.abi, this.options);
    c.bit = this.bit;
    c.alignBits = this.alignBits;
    c.endBits = this.endBits;
    return c;
  }

  /** Place one field (gcc place_field / place_union_field) and return where it went. */
  place(f: FieldSpec): Placement {
    return this.placeImpl(f, undefined);
  }

  /** Place a field at a forced bit offset (to continue after a member the rules cannot explain). */
  placeAt(f: FieldSpec, bitOffset: number): Placement {
    return this.placeImpl(f, bitOffset);
  }

  private placeImpl(f: FieldSpec, forced: number | undefined): Placement {
    const { abi, options } = this;
    const isUnion = options.union;
    const isBitfield = f.bitSize !== undefined;
    const width = f.bitSize ?? 0;
    const zeroWidth = isBitfield && width === 0;
    const packedField = !!(options.packed || f.packed);
    const pack = options.pack ? options.pack * 8 : 0;
    const typeAlignBits = f.align * 8;

    if (f.emptyBase && !isUnion) {
      this.alignBits = Math.max(this.alignBits, packedField ? 8 : typeAlignBits);
      return { bitOffset: forced ?? 0, alignment: f.align };
    }

    // gcc known_align: what the current position already guarantees (0 = anything).
    const known = isUnion || this.bit === 0 ? Infinity : lowestBit(this.bit);

    // layout_decl: DECL_ALIGN of the field, bits.
    let desired: number;
    if (zeroWidth) {
      desired = abi.pccBitfieldTypeMatters ? typeAlignBits : Math.max(8, abi.emptyFieldBoundary);
      if (pack) desired = Math.min(desired, pack); // initial_max_fld_align
    } else if (isBitfield) {
      desired = f.aligned ? f.aligned * 8 : 1;
      if (!abi.pccBitfieldTypeMatters && f.integer && !f.aligned) {
        // A bit-field exactly as wide as an integer mode, at a position aligned for that mode,
        // becomes an ordinary field with the mode's alignment (matters only without PCC rules).
        if (width === 8 || width === 16 || width === 32 || width === 64 || width === 128) {
          const xalign = Math.min(width, abi.biggestAlignment * 8);
          if (!(xalign > 8 && packedField) && known >= xalign) desired = Math.max(desired, xalign);
        }
      }
      if (pack) desired = Math.min(desired, pack);
    } else {
      let a: number;
      if (f.aligned) a = packedField ? f.aligned * 8 : Math.max(f.aligned * 8, typeAlignBits);
      else a = packedField ? 8 : typeAlignBits;
      if (pack) a = Math.min(a, pack);
      desired = a;
    }

    // update_alignment_for_field
    let reported = Math.max(1, desired / 8);
    if (isBitfield && abi.pccBitfieldTypeMatters) {
      const counts = f.named || (zeroWidth ? abi.zeroWidthAffectsAlign : abi.unnamedBitfieldAffectsAlign);
      if (counts) {
        let typeAlign = typeAlignBits;
        if (zeroWidth) {
          if (pack) typeAlign = Math.min(typeAlign, pack);
        } else if (pack) typeAlign = Math.min(typeAlign, pack);
        else if (packedField) typeAlign = Math.min(typeAlign, 8);
        this.alignBits = Math.max(this.alignBits, desired, typeAlign);
        reported = Math.max(reported, typeAlign / 8);
      }
    } else {
      this.alignBits = Math.max(this.alignBits, desired);
    }

    if (isUnion) {
      // place_union_field: every field at 0; size in whole bytes (DECL_SIZE_UNIT).
      const bytes = isBitfield ? Math.ceil(width / 8) : f.size;
      this.endBits = Math.max(this.endBits, bytes * 8);
      return { bitOffset: forced ?? 0, alignment: reported };
    }

    let bit = this.bit;
    if (known < desired) bit = roundUp(bit, desired);
    if (
      abi.pccBitfieldTypeMatters &&
      isBitfield &&
      width > 0 &&
      !packedField &&
      !pack &&
      excessUnitSpan(bit, width, typeAlignBits, f.size * 8)
    ) {
      // A bit-field may not span more units of its type's alignment than the type itself.
      bit = roundUp(bit, typeAlignBits);
    }
    if (forced !== undefined) bit = forced;
    const start = bit;
    if (f.dataSize !== undefined && !isBitfield) {
      this.bit = start + f.dataSize * 8;
      this.endBits = Math.max(this.endBits, start + f.size * 8);
    } else {
      this.bit = start + fieldBits(f);
    }
    return { bitOffset: start, alignment: reported };
  }

  /** Round up to the record alignment (gcc finalize_record_size). */
  finish(): RecordResult {
    let alignBits = this.alignBits;
    if (this.options.aligned) alignBits = Math.max(alignBits, this.options.aligned * 8);
    const alignment = alignBits / 8;
    const end = Math.max(this.bit, this.endBits);
    let size = roundUp(Math.ceil(end / 8), alignment);
    const dataSize = this.options.union ? size : Math.ceil(this.bit / 8);
    if (this.options.cxx && size === 0) size = 1;
    return { size, alignment, dataSize };
  }
}
