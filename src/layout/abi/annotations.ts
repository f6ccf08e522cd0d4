/**
 * The DW_AT_alignment a real build for the target would carry, so that `show --target` prints
 * pahole's `__attribute__((__aligned__(N)))` as pahole prints it for that build. Pure.
 *
 * gcc (verified with gcc-12 probes on every cross compiler here) records on a member or type the
 * resulting alignment (DECL_ALIGN / TYPE_ALIGN) when it is user-given (DECL_USER_ALIGN /
 * TYPE_USER_ALIGN): aligned(N) on the member or type, an aligned typedef, or a member of such a
 * type; a struct inherits it from such a member. The value is the final one, so on the target it
 * is the target's alignment, not the source's. An ineffective aligned(N) (below the type's
 * alignment) is erased, and so is the struct's user alignment when the struct fits an integer
 * machine mode aligned as the mode on a STRICT_ALIGNMENT target (finalize_type_size).
 * clang records the requested N, the same on every target: its annotations are kept.
 */
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../../model/types.js';
import type { LayoutAttributes } from './attributes.js';
import { classifyType } from './classify.js';
import type { EngineLayout, LayoutEngine } from './engine.js';
import type { Abi } from './targets.js';

export interface TargetAnnotations {
  /** DW_AT_alignment of the aggregate on the target (undefined: none). */
  aggregate: number | undefined;
  /** DW_AT_alignment per member index (undefined: none). */
  members: Map<number, number | undefined>;
}

/** gcc spells `long int`, clang `long`: the spelling tells which producer's rules apply. */
export function producerOf(table: TypeTable): 'gcc' | 'clang' {
  for (const t of table.types) {
    if (t.kind !== 'base') continue;
    if (/^(long|short|unsigned long|unsigned short|long long|unsigned long long)$/.test(t.name)) return 'clang';
    if (/\bint\b/.test(t.name) && /\b(long|short)\b/.test(t.name)) return 'gcc';
  }
  return 'gcc';
}

type Mode = 'mode' | 'blk' | 'blk-noforce';

export class AnnotationPredictor {
  private readonly modes = new Map<TypeId, Mode>();
  private readonly userAligned = new Map<TypeId, boolean>();

  constructor(
    readonly table: TypeTable,
    readonly engine: LayoutEngine,
    readonly source: Abi,
    readonly target: Abi,
    readonly attributesOf: (id: TypeId) => LayoutAttributes,
    /** The engine on the source ABI, with the inferred attributes. */
    readonly sourceEngine: LayoutEngine,
  ) {}

  /**
   * Annotations of aggregate `id` laid out as `layout` on the target, or the reason they (and,
   * with them, the layout) cannot be known from the source's DWARF.
   */
  annotate(id: TypeId, layout: EngineLayout): TargetAnnotations | { unpredictable: string } {
    const agg = this.table.get(id) as AggregateType;
    const attrs = this.attributesOf(id);
    if (agg.kind === 'union' && this.target.name.startsWith('s390')) {
      // gcc-12 writes DW_AT_bit_offset for union bit-fields; for __int128 ones of at most 64 bits
      // the s390x value is inconsistent (probe: :29 -> 104, :57 -> 72, :1 -> a bogus byte
      // offset; ppc64, also big-endian, writes 0), and pahole prints it as is.
      const odd = layout.members.find((em) => em.bitSize !== undefined && em.byteSize === 16 && em.bitSize <= 64);
      if (odd) {
        const m = agg.members[odd.index]!;
        return { unpredictable: `${m.name ?? `<anonymous #${odd.index}>`}: gcc's DWARF bit offset for an __int128 bit-field of at most 64 bits in a union on ${this.target.name} is inconsistent` };
      }
    }
    const members = new Map<number, number | undefined>();
    for (const em of layout.members) {
      const m = agg.members[em.index]!;
      if (m.alignment === undefined || m.isBase) continue;
      if (m.alignment === 1) {
        // packed, with its user alignment from the member's attribute or its type (if the type keeps it here)
        const typeKeeps = this.typeUserAligned(m.type);
        if (attrs.memberAligned?.has(em.index) && !typeKeeps && this.typeRecordsAlignment(m.type)) {
          return { unpredictable: `${m.name ?? `<anonymous #${em.index}>`}: its DW_AT_alignment 1 on ${this.source.name} comes from packing a user-aligned type or from an aligned(1) on it; only the latter keeps pahole's __aligned__(1) on ${this.target.name}, where the type is not user-aligned` };
        }
        members.set(em.index, attrs.memberAligned?.has(em.index) || typeKeeps ? 1 : undefined);
        continue;
      }
      if (attrs.memberAligned?.has(em.index)) {
        // the rules must give the recorded alignment on the source, or the inferred attribute is not the real one
        const onSource = this.sourceEngine.layout(id).members.find((x) => x.index === em.index);
        if (onSource && onSource.alignment !== m.alignment) {
          return { unpredictable: `${m.name ?? `<anonymous #${em.index}>`}: its DW_AT_alignment on ${this.source.name} is ${m.alignment}, the inferred attributes give ${onSource.alignment}: which attribute it carries is not known` };
        }
        members.set(em.index, em.alignment);
        continue;
      }
      // Recorded because of its type (aligned typedef or user-aligned struct), or an aligned(N)
      // no larger than that: N cannot be read, and matters where the type is less aligned here.
      if (em.alignment < m.alignment && em.bitSize === undefined) {
        return { unpredictable: `${m.name ?? `<anonymous #${em.index}>`}: an aligned(N) with N <= ${m.alignment} on it would leave no other trace in ${this.source.name}'s DWARF, and decides its alignment on ${this.target.name}` };
      }
      members.set(em.index, this.typeUserAligned(m.type) ? em.alignment : undefined);
    }
    let aggregate: number | undefined;
    if (agg.alignment !== undefined) {
      // gcc records the final alignment: the rules must give it on the source, or an attribute
      // was missed (a packed member at an offset aligned anyway) and the target layout is a guess.
      const own = this.sourceEngine.layout(id);
      if (own.unpredictable === undefined && own.alignment !== agg.alignment) {
        return { unpredictable: `its alignment on ${this.source.name} is ${agg.alignment} (DW_AT_alignment), the rules give ${own.alignment}: an attribute DWARF does not show is missing` };
      }
    }
    if (agg.alignment !== undefined) {
      if (!attrs.aligned && layout.alignment < agg.alignment) {
        return { unpredictable: `gcc records only the resulting alignment (${agg.alignment}) on ${this.source.name}: an aligned(N) with N <= ${agg.alignment} on the ${agg.kind} would decide its alignment on ${this.target.name} (${layout.alignment} without one)` };
      }
      if (this.modeDropsUserAlign(id, layout)) aggregate = undefined;
      else if (agg.alignment === 1) aggregate = 1;
      else {
        // TYPE_USER_ALIGN: its own aligned(N), or a member with a recorded alignment.
        const recordedHere = [...members.values()].some((a) => a !== undefined);
        const recordedThere = agg.members.some((m) => m.alignment !== undefined && !m.isBase);
        if (attrs.aligned || recordedHere || !recordedThere) aggregate = layout.alignment;
        else {
          return { unpredictable: `gcc records ${agg.alignment} on ${this.source.name} because of a member that carries none on ${this.target.name}; whether the ${agg.kind} also has its own aligned(N) (which would keep pahole's __aligned__ annotation) is not in DWARF` };
        }
      }
    }
    return { aggregate, members };
  }

  /** Does the type (through typedefs and arrays) carry a DW_AT_alignment on the source? */
  private typeRecordsAlignment(id: TypeId): boolean {
    for (let guard = 0; guard < 64; guard++) {
      const t = this.table.get(id);
      if ((t.kind === 'typedef' || isAggregate(t)) && t.alignment !== undefined) return true;
      if (t.kind === 'typedef' || t.kind === 'qualifier') id = t.target;
      else if (t.kind === 'array') id = t.element;
      else if (isAggregate(t) && t.declaration) id = this.table.resolveDeclaration(id);
      else return false;
    }
    return false;
  }

  /** Does a member of type `id` inherit user alignment on the target (TYPE_USER_ALIGN of its type)? */
  private typeUserAligned(id: TypeId): boolean {
    for (let guard = 0; guard < 64; guard++) {
      const t = this.table.get(id);
      if (t.kind === 'typedef') {
        if (t.alignment !== undefined) return true;
        id = t.target;
      } else if (t.kind === 'qualifier') id = t.target;
      else if (t.kind === 'array') id = t.element;
      else if (isAggregate(t)) return this.aggregateUserAligned(this.table.resolveDeclaration(id));
      else return false;
    }
    return false;
  }

  private aggregateUserAligned(id: TypeId): boolean {
    const hit = this.userAligned.get(id);
    if (hit !== undefined) return hit;
    const t = this.table.get(id);
    let r = false;
    if (isAggregate(t) && t.alignment !== undefined) {
      const l = this.engine.layout(id);
      r = l.unpredictable === undefined && !this.modeDropsUserAlign(id, l);
    }
    this.userAligned.set(id, r);
    return r;
  }

  /** gcc finalize_type_size on STRICT_ALIGNMENT targets: an integer mode aligned as the struct wins. */
  private modeDropsUserAlign(id: TypeId, layout: EngineLayout): boolean {
    if (!this.target.strictAlignment) return false;
    return this.recordMode(id) === 'mode' && this.modeAlign(layout.size) >= layout.alignment;
  }

  private isModeSize(size: number): boolean {
    return size === 1 || size === 2 || size === 4 || size === 8 || (size === 16 && this.target.ptrSize === 8);
  }

  private modeAlign(size: number): number {
    return Math.min(size, this.target.biggestAlignment);
  }

  /** gcc compute_record_mode: BLKmode unless every field has a mode and the size is an integer mode's. */
  private recordMode(id: TypeId): Mode {
    const hit = this.modes.get(id);
    if (hit) return hit;
    this.modes.set(id, 'blk'); // recursion guard
    const t = this.table.get(id) as AggregateType;
    const l = this.engine.layout(id);
    let mode: Mode = 'mode';
    if (l.unpredictable !== undefined || !this.isModeSize(l.size)) mode = 'blk';
    else {
      for (const m of t.members) {
        if (m.isStatic) continue;
        if (m.bitSize === undefined && this.fieldForcesBlk(m.type)) {
          mode = 'blk';
          break;
        }
      }
      if (mode === 'mode' && !(l.alignment >= this.target.biggestAlignment || l.alignment >= this.modeAlign(l.size))) mode = 'blk-noforce';
    }
    this.modes.set(id, mode);
    return mode;
  }

  /** Does a field of this type make its record BLKmode? */
  private fieldForcesBlk(id: TypeId): boolean {
    for (let guard = 0; guard < 64; guard++) {
      const t = this.table.get(id);
      if (t.kind === 'typedef' || t.kind === 'qualifier') {
        id = t.target;
        continue;
      }
      if (t.kind === 'array') {
        if (t.dims.includes(null)) return true; // flexible array: no size
        const r = this.engine.resolve(classifyType(this.table, id));
        if ('unpredictable' in r) return true;
        if (r.size === 0) return false;
        if (!this.isModeSize(r.size) || this.fieldForcesBlk(t.element)) return true;
        return this.target.strictAlignment && r.align < this.target.biggestAlignment && r.align < this.modeAlign(r.size);
      }
      if (isAggregate(t)) {
        const def = this.table.resolveDeclaration(id);
        const l = this.engine.layout(def);
        if (l.size === 0) return false;
        return this.recordMode(def) === 'blk';
      }
      return false;
    }
    return true;
  }
}
