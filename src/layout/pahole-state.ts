/**
 * pahole's order-dependent printing state: `is_packed`, `packed_attributes_inferred` and natural
 * alignment live on pahole's type objects and change while it prints (class__infer_packed_attributes,
 * union__infer_packed_attributes, type__check_structs_at_unnatural_alignments), so what it prints for
 * a type can depend on what it printed before. One PaholeState per printing session reproduces that,
 * with the per-type results it memoises (holes, flexible arrays, inline aggregates) in arrays
 * indexed by TypeId (dense small integers).
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type AggregateType, type Member, type TypeId } from '../model/types.js';
import { findHoles, isStructLike, MAX_DEPTH, stripTypedefsAndModifiers, u16, type HolesResult } from './pahole-rules.js';
import { findInlineAggregate, type InlineAggregate } from './inline-aggregate.js';

/** Packed-attribute state per type: 0 not inferred yet, else INFERRED with PACKED or not. */
const INFERRED = 1;
const PACKED = 2;
/** findInlineAggregate() found nothing (memoised as this, not undefined). */
const NO_INLINE = null;

export class PaholeState {
  private readonly holesMemo: (HolesResult | undefined)[] = [];
  private readonly natAlign: (number | undefined)[] = [];
  private readonly packedState: (number | undefined)[] = [];
  private readonly flexMemo: (boolean | undefined)[] = [];
  private readonly embeddedFlexMemo: (boolean | undefined)[] = [];
  private readonly inlineMemo: [(InlineAggregate | null | undefined)[], (InlineAggregate | null | undefined)[]] = [[], []];

  constructor(
    readonly table: TypeTable,
    readonly addressSize: number,
  ) {}

  /** findInlineAggregate(), memoised: the struct/union a member of type `id` prints inline. */
  inlineAggregate(id: TypeId, expand: boolean): InlineAggregate | undefined {
    const memo = this.inlineMemo[expand ? 1 : 0];
    let r = memo[id];
    if (r === undefined) memo[id] = r = findInlineAggregate(this.table, id, expand) ?? NO_INLINE;
    return r ?? undefined;
  }

  /**
   * pahole 1.31 class__has_flexible_array(): the last data member's type (typedefs not followed)
   * is a one-dimensional array of no or zero elements.
   */
  hasFlexibleArray(id: TypeId): boolean {
    let r = this.flexMemo[id];
    if (r !== undefined) return r;
    r = false;
    const t = this.table.get(id);
    if (isAggregate(t)) {
      let last: Member | undefined;
      for (const m of t.members) if (!m.isBase) last = m;
      if (last && last.type !== VOID_TYPE) {
        const lt = this.table.get(last.type);
        if (lt.kind === 'array' && lt.dims.length === 1) r = !lt.dims[0];
        else if (lt.kind === 'array' && lt.dims.length === 0) r = true;
      }
    }
    this.flexMemo[id] = r;
    return r;
  }

  /**
   * pahole 1.31 class__has_embedded_flexible_array(): a struct member (typedefs and qualifiers
   * stripped, not through arrays) whose struct ends in a flexible array or embeds one, recursively.
   */
  hasEmbeddedFlexibleArray(id: TypeId, depth = 0): boolean {
    const cached = this.embeddedFlexMemo[id];
    if (cached !== undefined) return cached;
    if (!isStructLike(this.table, id) || depth > MAX_DEPTH) return false;
    this.embeddedFlexMemo[id] = false; // recursion guard (hostile input)
    let r = false;
    for (const m of (this.table.get(id) as AggregateType).members) {
      if ((m.isBase && m.isVirtualBase) || m.isStatic) continue;
      const mt = stripTypedefsAndModifiers(this.table, m.type);
      if (!isStructLike(this.table, mt)) continue;
      r = this.hasFlexibleArray(mt);
      if (r) break;
      if (mt === id) continue;
      r = this.hasEmbeddedFlexibleArray(mt, depth + 1);
      if (r) break;
    }
    this.embeddedFlexMemo[id] = r;
    return r;
  }

  holes(id: TypeId): HolesResult {
    let h = this.holesMemo[id];
    if (!h) {
      const t = this.table.get(id);
      if (!isAggregate(t)) throw new RangeError(`type ${id} is not an aggregate`);
      h = findHoles(this.table, t, this.addressSize);
      this.holesMemo[id] = h;
    }
    return h;
  }

  /** tag__natural_alignment(). */
  naturalAlignment(id: TypeId, depth = 0): number {
    if (id === VOID_TYPE || depth > MAX_DEPTH) return 1;
    const t = this.table.get(id);
    let a = 1;
    switch (t.kind) {
      case 'pointer':
        a = t.pointerKind === 'pointer' ? this.addressSize : 1;
        break;
      case 'base':
        a = t.size;
        break;
      case 'enum':
        a = t.size > 0 ? t.size : 4;
        break;
      case 'struct':
      case 'union':
      case 'class':
        a = this.typeNaturalAlignment(id, t, depth);
        break;
      case 'array':
        a = this.naturalAlignment(stripTypedefsAndModifiers(this.table, t.element), depth + 1);
        break;
      default:
        a = 1;
    }
    return a || 1;
  }

  private typeNaturalAlignment(id: TypeId, t: AggregateType, depth: number): number {
    const cached = this.natAlign[id];
    if (cached !== undefined) return cached;
    this.natAlign[id] = 0; // recursion guard
    let a = 0;
    for (const m of t.members) {
      if (m.isBase && m.isVirtualBase) continue;
      if (m.isStatic) continue;
      const mt = stripTypedefsAndModifiers(this.table, m.type);
      const ma = this.naturalAlignment(mt, depth + 1);
      if (a < ma) a = ma;
    }
    a = u16(a);
    this.natAlign[id] = a;
    return a;
  }

  private mark(id: TypeId, packed: boolean): void {
    this.packedState[id] = INFERRED | (packed ? PACKED : 0);
  }

  /** Current is_packed flag, without inferring. */
  isPacked(id: TypeId): boolean {
    return ((this.packedState[id] ?? 0) & PACKED) !== 0;
  }

  /** class__infer_packed_attributes(). */
  inferClassPacked(id: TypeId): boolean {
    if (!isStructLike(this.table, id)) return false;
    const s = this.packedState[id] ?? 0;
    if (s & INFERRED) return (s & PACKED) !== 0;
    const t = this.table.get(id) as AggregateType;
    const h = this.holes(id);
    if (h.padding !== 0 || h.nrHoles !== 0) {
      this.checkStructsAtUnnaturalAlignments(id);
      this.mark(id, false);
      return false;
    }
    let maxNatural = 1;
    for (const pos of h.members) {
      if (pos.role === 'static' || (pos.role === 'base' && pos.member.isVirtualBase)) continue;
      const na = this.naturalAlignment(stripTypedefsAndModifiers(this.table, pos.member.type));
      if (na === 1) continue;
      if (maxNatural < na) maxNatural = u16(na);
      if (pos.byteOffset % na === 0) continue;
      this.mark(id, true);
      return true;
    }
    const packed = (s & PACKED) !== 0 || (maxNatural !== 1 && t.alignment === 1) || t.size % maxNatural !== 0;
    this.mark(id, packed);
    return packed;
  }

  /** type__check_structs_at_unnatural_alignments(). */
  private checkStructsAtUnnaturalAlignments(id: TypeId): void {
    const h = this.holes(id);
    for (const pos of h.members) {
      const mt = stripTypedefsAndModifiers(this.table, pos.member.type);
      if (!isStructLike(this.table, mt)) continue;
      const na = this.naturalAlignment(mt);
      if (pos.byteOffset % na !== 0) this.mark(mt, true);
    }
  }

  /** union__infer_packed_attributes(). */
  inferUnionPacked(id: TypeId): void {
    const s = this.packedState[id] ?? 0;
    if (s & INFERRED) return;
    const t = this.table.get(id) as AggregateType;
    for (const m of t.members) {
      const mt = stripTypedefsAndModifiers(this.table, m.type);
      if (!isStructLike(this.table, mt)) continue;
      const na = this.naturalAlignment(mt);
      if (t.size % na !== 0) this.mark(mt, true);
    }
    this.packedState[id] = s | INFERRED;
  }
}
