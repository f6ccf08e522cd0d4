/**
 * The DIEs of one unit, decoded into parallel typed arrays (no object per DIE).
 * Only the attributes type layout needs are kept; absent numeric attributes are NaN.
 */

/** How a name (or other string) attribute refers to its bytes. */
export const enum StrKind {
  None = 0,
  /** .debug_str offset */
  Strp = 1,
  /** inline DW_FORM_string: offset in the unit's own section */
  Inline = 2,
  /** .debug_line_str offset */
  LineStrp = 3,
  /** DW_FORM_strx*: index into .debug_str_offsets from the unit's str_offsets_base */
  Strx = 4,
  /** .debug_str of the supplementary (dwz) file */
  StrpAlt = 5,
}

/** How a reference attribute (DW_AT_type, …) names its target. */
export const enum RefKind {
  None = 0,
  /** offset in the unit's own section (.debug_info or .debug_types) */
  Section = 1,
  /** DW_FORM_ref_sig8: index into UnitDies.signatures */
  Signature = 2,
  /** offset in the supplementary (dwz) file's .debug_info */
  Alt = 3,
}

export const enum DieFlag {
  Declaration = 1,
  Artificial = 2,
  External = 4,
  Prototyped = 8,
  Vector = 16,
  /** DW_AT_data_member_location could not be reduced to a constant (virtual base). */
  LocationNotConstant = 32,
  ExportSymbols = 64,
  /** DW_AT_const_value was read from a signed form (sdata). */
  ConstSigned = 128,
}

const NO = NaN;
/** A unit's bytes per DIE that the scan records, about: the columns are sized for it at reset(). */
const BYTES_PER_RECORDED_DIE = 16;

export class UnitDies {
  count = 0;
  capacity: number;
  offset: Float64Array;
  tag: Uint32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  flags: Uint16Array;
  nameKind: Uint8Array;
  name: Float64Array;
  typeKind: Uint8Array;
  type: Float64Array;
  byteSize: Float64Array;
  bitSize: Float64Array;
  bitOffset: Float64Array;
  dataBitOffset: Float64Array;
  memberLocation: Float64Array;
  upperBound: Float64Array;
  lowerBound: Float64Array;
  count_: Float64Array;
  encoding: Float64Array;
  alignment: Float64Array;
  declFile: Float64Array;
  declLine: Float64Array;
  accessibility: Float64Array;
  virtuality: Float64Array;
  constValue: Float64Array;
  /** Offset (in the section) and form of DW_AT_const_value, for exact 64-bit decoding. */
  constPos: Float64Array;
  constForm: Uint32Array;
  containingKind: Uint8Array;
  containing: Float64Array;
  /**
   * Member functions only (DW_TAG_subprogram children of aggregates; reset when such a DIE is
   * decoded, stale for every other DIE): DW_AT_MIPS_linkage_name, DW_AT_inline and the evaluated
   * DW_AT_vtable_elem_location (NaN when absent).
   */
  linkageKind: Uint8Array;
  linkage: Float64Array;
  inline: Float64Array;
  vtableIndex: Float64Array;
  /** Type signatures referenced with DW_FORM_ref_sig8 (RefKind.Signature indexes this). */
  signatures: string[] = [];

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.offset = new Float64Array(capacity);
    this.tag = new Uint32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.flags = new Uint16Array(capacity);
    this.nameKind = new Uint8Array(capacity);
    this.name = new Float64Array(capacity);
    this.typeKind = new Uint8Array(capacity);
    this.type = new Float64Array(capacity);
    this.byteSize = new Float64Array(capacity);
    this.bitSize = new Float64Array(capacity);
    this.bitOffset = new Float64Array(capacity);
    this.dataBitOffset = new Float64Array(capacity);
    this.memberLocation = new Float64Array(capacity);
    this.upperBound = new Float64Array(capacity);
    this.lowerBound = new Float64Array(capacity);
    this.count_ = new Float64Array(capacity);
    this.encoding = new Float64Array(capacity);
    this.alignment = new Float64Array(capacity);
    this.declFile = new Float64Array(capacity);
    this.declLine = new Float64Array(capacity);
    this.accessibility = new Float64Array(capacity);
    this.virtuality = new Float64Array(capacity);
    this.constValue = new Float64Array(capacity);
    this.constPos = new Float64Array(capacity);
    this.constForm = new Uint32Array(capacity);
    this.containingKind = new Uint8Array(capacity);
    this.containing = new Float64Array(capacity);
    this.linkageKind = new Uint8Array(capacity);
    this.linkage = new Float64Array(capacity);
    this.inline = new Float64Array(capacity);
    this.vtableIndex = new Float64Array(capacity);
    this.clear(0, capacity);
  }

  /** Clear the member-function columns of DIE i (called before decoding a member function). */
  resetMethod(i: number): void {
    this.linkageKind[i] = 0;
    this.linkage[i] = NO;
    this.inline[i] = NO;
    this.vtableIndex[i] = NO;
  }

  /**
   * DIE index by offset from `base` (the unit's start), for the DIEs pushed since reset(): an
   * entry is trusted only when offset[] agrees (entries of earlier units are never cleared).
   */
  private at = new Int32Array(0);
  private base = 0;

  /** Start a fresh unit of `length` bytes at section offset `base`, keeping the allocated arrays. */
  reset(base = 0, length = 0): void {
    this.clear(0, this.count);
    this.count = 0;
    this.signatures = [];
    this.base = base;
    if (length > this.at.length) this.at = new Int32Array(length);
    // room for the DIEs a unit of this size usually records (a DIE averages over 10 bytes, and
    // function bodies are not recorded), so that a large unit does not grow the columns step by step
    const wanted = length / BYTES_PER_RECORDED_DIE;
    if (this.capacity < wanted) this.grow(2 ** Math.ceil(Math.log2(wanted)));
  }

  /** Mark the attributes of rows from..to-1 absent (one fill per column: cheaper than per DIE). */
  private clear(from: number, to: number): void {
    if (to <= from) return;
    this.flags.fill(0, from, to);
    this.nameKind.fill(0, from, to);
    this.typeKind.fill(0, from, to);
    this.containingKind.fill(0, from, to);
    for (const column of [
      this.byteSize, this.bitSize, this.bitOffset, this.dataBitOffset, this.memberLocation, this.upperBound, this.lowerBound,
      this.count_, this.encoding, this.alignment, this.declFile, this.declLine, this.accessibility, this.virtuality, this.constValue,
    ]) column.fill(NO, from, to);
  }

  /** Append a DIE with every attribute absent; returns its index. */
  push(offset: number, tag: number, parent: number): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.offset[i] = offset;
    const rel = offset - this.base;
    if (rel >= 0 && rel < this.at.length) this.at[rel] = i;
    this.tag[i] = tag;
    this.parent[i] = parent;
    this.firstChild[i] = -1;
    this.nextSibling[i] = -1;
    // every other column of rows >= count is already absent (clear() after each unit, grow())
    return i;
  }

  private grow(n = this.capacity * 2): void {
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.offset = f64(this.offset);
    const t = new Uint32Array(n);
    t.set(this.tag);
    this.tag = t;
    this.parent = i32(this.parent);
    this.firstChild = i32(this.firstChild);
    this.nextSibling = i32(this.nextSibling);
    const fl = new Uint16Array(n);
    fl.set(this.flags);
    this.flags = fl;
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.nameKind = u8(this.nameKind);
    this.typeKind = u8(this.typeKind);
    this.containingKind = u8(this.containingKind);
    this.name = f64(this.name);
    this.type = f64(this.type);
    this.byteSize = f64(this.byteSize);
    this.bitSize = f64(this.bitSize);
    this.bitOffset = f64(this.bitOffset);
    this.dataBitOffset = f64(this.dataBitOffset);
    this.memberLocation = f64(this.memberLocation);
    this.upperBound = f64(this.upperBound);
    this.lowerBound = f64(this.lowerBound);
    this.count_ = f64(this.count_);
    this.encoding = f64(this.encoding);
    this.alignment = f64(this.alignment);
    this.declFile = f64(this.declFile);
    this.declLine = f64(this.declLine);
    this.accessibility = f64(this.accessibility);
    this.virtuality = f64(this.virtuality);
    this.constValue = f64(this.constValue);
    this.constPos = f64(this.constPos);
    const cf = new Uint32Array(n);
    cf.set(this.constForm);
    this.constForm = cf;
    this.containing = f64(this.containing);
    this.linkageKind = u8(this.linkageKind);
    this.linkage = f64(this.linkage);
    this.inline = f64(this.inline);
    this.vtableIndex = f64(this.vtableIndex);
    const old = this.capacity;
    this.capacity = n;
    this.clear(old, n);
  }

  /** Index of the DIE at a section offset, or -1 (offsets are ascending). */
  indexOf(offset: number): number {
    const rel = offset - this.base;
    if (rel >= 0 && rel < this.at.length) {
      const i = this.at[rel]!;
      return i < this.count && this.offset[i] === offset ? i : -1;
    }
    let lo = 0;
    let hi = this.count - 1;
    const off = this.offset;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = off[mid]!;
      if (v === offset) return mid;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  has(flags: number, i: number): boolean {
    return (this.flags[i]! & flags) !== 0;
  }
}
