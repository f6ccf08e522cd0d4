/**
 * pahole's BTF loader guesses forced alignments from member offsets, since BTF records none
 * (btf_loader.c class__infer_alignment, class__fixup_btf_bitfields): what `pahole -F btf` prints.
 */
import type { TypeTable } from '../model/table.js';
import { VOID_TYPE, type AggregateType, type Member, type TypeId } from '../model/types.js';

const MAX_CHAIN = 64;

/**
 * pahole's alignment guess for BTF: its cacheline size, and the pahole release whose rule to
 * follow (1.24 takes a bit-field to fill its whole storage unit and skips zero-sized members;
 * 1.31 ends a bit-field at its last bit and aligns zero-sized members too).
 */
export interface BtfAlignmentInference {
  cachelineSize: number;
  pahole?: '1.24' | '1.31';
}

/** pahole's tag__natural_alignment(), memoised per aggregate. */
export class NaturalAlignment {
  /** By type id, 0 when not yet known: typed, since a sparse array of high ids is a hash table. */
  private readonly memo: Uint32Array;
  constructor(
    private readonly table: TypeTable,
    private readonly addressSize: number,
  ) {
    this.memo = new Uint32Array(table.types.length);
  }

  of(id: TypeId, depth = 0): number {
    if (depth > MAX_CHAIN) return 1;
    const t = this.table.get(id);
    let a = 1;
    switch (t.kind) {
      case 'pointer':
        a = this.addressSize;
        break;
      case 'base':
        a = t.size;
        break;
      case 'enum':
        a = t.size;
        break;
      case 'array':
        a = this.of(this.table.strip(t.element), depth + 1);
        break;
      case 'struct':
      case 'union':
      case 'class': {
        const known = id < this.memo.length ? this.memo[id]! : 0;
        if (known !== 0) return known;
        if (id < this.memo.length) this.memo[id] = 1; // a cycle (impossible in valid BTF) stops here
        a = 0;
        for (const m of t.members) a = Math.max(a, this.of(this.table.strip(m.type), depth + 1));
        if (id < this.memo.length) this.memo[id] = a || 1;
        return a || 1;
      }
      default:
        a = 1;
    }
    return a || 1;
  }
}

/** btf_loader.c class__infer_alignment(), with C's unsigned 32-bit arithmetic. */
function inferOne(byteOffset: number, natural: number, smallestOffset: number, cacheline: number): number {
  const delta = (byteOffset - smallestOffset) >>> 0;
  let alignment = 0;
  if (delta !== 0 && byteOffset % 2 === 0) {
    const shift = 32 - Math.clz32(delta);
    // x86 masks a shift by 32 to 0: 1 << 32 is 1 there
    alignment = shift >= 32 ? 1 : (1 << shift) >>> 0;
  }
  if (alignment <= natural || alignment === 1) return 0;
  if (alignment < cacheline && cacheline % alignment === 0 && byteOffset % cacheline === 0) return cacheline;
  return alignment;
}

/** btf_loader.c class__fixup_btf_bitfields(): the alignment pahole infers for members and the type. */
export function inferAlignment(table: TypeTable, id: TypeId, t: AggregateType, rule: BtfAlignmentInference, natural: NaturalAlignment): void {
  const cacheline = rule.cachelineSize;
  const wholeUnit = rule.pahole === '1.24';
  let smallest = 0;
  for (const m of t.members) {
    const typeId = table.strip(m.type);
    if (typeId === VOID_TYPE) continue;
    const type = table.get(typeId);
    const byteSize = m.byteSize;
    let byteOffset = Math.floor(m.bitOffset / 8);
    let bitfieldOffset = 0;
    const nat = natural.of(typeId);
    if (byteSize === 0) {
      // 1.24 skips zero-sized members; 1.31 still infers their alignment (flexible arrays)
      setAlignment(m, wholeUnit ? 0 : inferOne(byteOffset, nat, smallest, cacheline));
      continue;
    }
    if ((type.kind === 'base' || type.kind === 'enum') && m.bitSize) {
      const unitBits = byteSize * 8;
      byteOffset = (Math.floor(m.bitOffset / unitBits) * unitBits) / 8;
      bitfieldOffset = m.bitOffset - byteOffset * 8;
    }
    setAlignment(m, inferOne(byteOffset, nat, smallest, cacheline));
    smallest = byteOffset + (m.bitSize && !wholeUnit ? Math.floor((bitfieldOffset + m.bitSize + 7) / 8) : byteSize);
  }
  const a = inferOne(t.size, natural.of(id), smallest, cacheline);
  if (a) t.alignment = a;
  else delete t.alignment;
}

function setAlignment(m: Member, a: number): void {
  if (a) m.alignment = a;
  else delete m.alignment;
}
