/**
 * The theoretical layout engine: a struct/union/class laid out from first principles for a
 * target ABI (ABI.md §2-§3, §6), given the attributes DWARF cannot show (attributes.ts).
 * Pure: the result depends only on the type table, the ABI and the attributes.
 */
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../../model/types.js';
import {
  lookupAttributes,
  memberLabel,
  NO_ATTRIBUTES,
  type AttributeSource,
  type LayoutAttributes,
  gapPicks,
  type GapPick,
  type UnnamedBitfield,
} from './attributes.js';
import { classifyType, type GapKind, type Shape } from './classify.js';
import { isCxxAggregate, isPodForLayout, isVtablePointer } from './cxx.js';
import { RecordState, type FieldSpec, type Placement, type RecordOptions } from './record.js';
import type { Abi, ScalarKind } from './targets.js';

export interface EngineMember {
  /** Index into the aggregate's `members` (static members are skipped). */
  index: number;
  /** Allocation-order bit offset (the model's `bitOffset` convention). */
  bitOffset: number;
  bitSize?: number;
  /** Size in bytes: the declared type's size for bit-fields. */
  byteSize: number;
  /** Alignment the member was placed with, bytes. */
  alignment: number;
}

export interface EngineLayout {
  size: number;
  alignment: number;
  /** C++ dsize: size without tail padding. */
  dataSize: number;
  members: EngineMember[];
  /** Why the layout cannot be computed for this target (then the numbers are 0 and members empty). */
  unpredictable?: string;
}

/** A type's size and alignment on the target. */
export interface Resolved {
  size: number;
  align: number;
  integer: boolean;
  /** For aggregates: dsize, and whether it is C++ POD / empty. */
  dataSize?: number;
  pod?: boolean;
}

export type Resolution = Resolved | { unpredictable: string };

/** One member ready to be placed: its field spec before member attributes are applied. */
export interface MemberPlan {
  index: number;
  field: FieldSpec;
  /** Size the member reports (declared type size for bit-fields, base size for bases). */
  byteSize: number;
  /** Alignment the member's type carries from a DW_AT_alignment (aligned typedef or struct), bytes. */
  typeUserAlign?: number;
  /** C++ base taken as POD whose dsize is below its size: the dsize, should it be non-POD after all. */
  baseDataSize?: number;
  /** C++: the member or base is of this empty class type. */
  emptyClass?: TypeId;
}

export interface AggregatePlan {
  agg: AggregateType;
  cxx: boolean;
  /** Members in placement order (vtable pointer first). */
  members: MemberPlan[];
}

const SCALAR_NAMES: Record<ScalarKind, string> = {
  char: 'char',
  short: 'short',
  int: 'int',
  long: 'long',
  llong: 'long long',
  int128: '__int128',
  bool: '_Bool',
  float: 'float',
  double: 'double',
  ldouble: 'long double',
  f128: '_Float128',
  f16: '_Float16',
  float80: '__float80',
  ibm128: '__ibm128',
  f64x: '_Float64x',
  ptr: 'pointer',
};

/** Lay out aggregates of one table for one ABI, memoising nested layouts. */
export class LayoutEngine {
  private readonly cache = new Map<TypeId, EngineLayout>();
  private readonly active = new Set<TypeId>();

  constructor(
    readonly table: TypeTable,
    readonly abi: Abi,
    private readonly attributesOf: (id: TypeId) => LayoutAttributes | undefined = () => undefined,
  ) {}

  /** The layout of aggregate `id` with its attributes. */
  layout(id: TypeId): EngineLayout {
    const hit = this.cache.get(id);
    if (hit) return hit;
    if (this.active.has(id)) return unpredictableLayout('recursive type');
    this.active.add(id);
    try {
      const t = this.table.get(id);
      let result: EngineLayout;
      if (!isAggregate(t) || t.declaration) result = unpredictableLayout('not a complete struct, union or class');
      else {
        const plan = this.plan(t);
        result = 'unpredictable' in plan ? unpredictableLayout(plan.unpredictable) : this.layoutPlan(plan, this.attributesOf(id) ?? NO_ATTRIBUTES);
      }
      this.cache.set(id, result);
      return result;
    } finally {
      this.active.delete(id);
    }
  }

  /** Size and alignment of a classified type on the target. */
  resolve(shape: Shape): Resolution {
    const { abi } = this;
    switch (shape.kind) {
      case 'scalar': {
        const row = abi.scalars[shape.scalar];
        if (!row) return { unpredictable: `${SCALAR_NAMES[shape.scalar]} does not exist on ${abi.name}` };
        return { size: row[0], align: row[1], integer: shape.integer };
      }
      case 'complex': {
        const row = abi.scalars[shape.part];
        if (!row) return { unpredictable: `_Complex ${SCALAR_NAMES[shape.part]} does not exist on ${abi.name}` };
        return { size: 2 * row[0], align: row[1], integer: false };
      }
      case 'pointer': {
        const row = abi.scalars.ptr!;
        return { size: shape.words * row[0], align: row[1], integer: false };
      }
      case 'array': {
        const el = this.resolve(shape.element);
        if ('unpredictable' in el) return el;
        return { size: shape.count * el.size, align: el.align, integer: false };
      }
      case 'aggregate': {
        const l = this.layout(shape.id);
        if (l.unpredictable !== undefined) return { unpredictable: l.unpredictable };
        const pod = isPodForLayout(this.table, shape.id);
        return { size: l.size, align: l.alignment, integer: false, dataSize: l.dataSize, pod };
      }
      case 'atomic': {
        const inner = this.resolve(shape.inner);
        if ('unpredictable' in inner) return inner;
        const s = inner.size;
        if (s !== 1 && s !== 2 && s !== 4 && s !== 8 && s !== 16) {
          return { unpredictable: `_Atomic type of ${s} bytes (gcc and clang disagree)` };
        }
        // gcc gives atomics their integer mode's alignment (capped at __BIGGEST_ALIGNMENT__).
        return { ...inner, align: Math.max(inner.align, Math.min(s, abi.biggestAlignment)) };
      }
      case 'aligned': {
        const inner = this.resolve(shape.inner);
        if ('unpredictable' in inner) return inner;
        return { ...inner, align: shape.alignment };
      }
      case 'unpredictable':
        return { unpredictable: shape.reason };
    }
  }

  /** Resolve every member of an aggregate into a field spec (no attributes applied yet). */
  plan(agg: AggregateType): AggregatePlan | { unpredictable: string } {
    const cxx = isCxxAggregate(this.table, agg);
    const members: MemberPlan[] = [];
    let vptrs = 0;
    for (let index = 0; index < agg.members.length; index++) {
      const m = agg.members[index]!;
      if (m.isStatic) continue;
      const label = memberLabel(agg, index);
      if (m.isVirtualBase) return { unpredictable: `virtual base ${label}` };
      const shape = classifyType(this.table, m.type);
      const r = this.resolve(shape);
      if ('unpredictable' in r) return { unpredictable: `${label}: ${r.unpredictable}` };
      let field: FieldSpec;
      if (m.bitSize !== undefined) {
        if (!r.integer) return { unpredictable: `${label}: bit-field of a non-integer type` };
        field = { size: r.size, align: r.align, bitSize: m.bitSize, named: m.name !== undefined, integer: true };
      } else {
        field = { size: r.size, align: r.align, named: true, integer: r.integer };
        if (m.isBase && cxx) {
          if (r.dataSize === 0) field.emptyBase = true;
          else if (r.pod === false && r.dataSize !== undefined && r.dataSize < r.size) field.dataSize = r.dataSize;
        }
      }
      const plan: MemberPlan = { index, field, byteSize: r.size };
      if (m.isBase && cxx && !field.emptyBase && field.dataSize === undefined && r.dataSize !== undefined && r.dataSize < r.size) {
        plan.baseDataSize = r.dataSize;
      }
      if (cxx && shape.kind === 'aggregate' && r.dataSize === 0 && m.bitSize === undefined) plan.emptyClass = shape.id;
      const userAlign = declaredAlignment(this.table, shape);
      if (userAlign !== undefined) plan.typeUserAlign = userAlign;
      if (cxx && isVtablePointer(m)) members.splice(vptrs++, 0, plan);
      else members.push(plan);
    }
    return { agg, cxx, members };
  }

  /**
   * Lay out a planned aggregate with the given attributes. Unnamed bit-fields whose declared type
   * is unknown are tried with every candidate type; if the results differ, the layout is
   * unpredictable.
   */
  layoutPlan(plan: AggregatePlan, attrs: LayoutAttributes): EngineLayout {
    if (attrs.unnamedBefore) {
      // A declaration too wide for its type on this target (long :40 on ILP32) cannot be the source's.
      const valid = new Map<number, UnnamedBitfield[]>();
      for (const [at, list] of attrs.unnamedBefore) {
        const kept = list.map((u) => ({ options: u.options.filter((o) => { const row = this.abi.scalars[o.type]; return !!row && o.width <= row[0] * 8; }) }));
        if (kept.some((u) => !u.options.length)) return unpredictableLayout(`unnamed bit-field ${at >= plan.agg.members.length ? 'at the end' : `before ${memberLabel(plan.agg, at)}`} cannot be declared on ${this.abi.name}`);
        valid.set(at, kept);
      }
      attrs = { ...attrs, unnamedBefore: valid };
    }
    let first: EngineLayout | undefined;
    for (const pick of gapPicks(attrs)) {
      const l = this.layoutWith(plan, attrs, pick);
      if (!first) first = l;
      else if (!sameLayout(first, l)) {
        const at = [...attrs.unnamedBefore!].find(([, list]) => list.some((u) => u.options.length > 1))![0];
        return unpredictableLayout(
          `unnamed bit-field ${at >= plan.agg.members.length ? 'at the end' : `before ${memberLabel(plan.agg, at)}`}: ` +
            `its declaration is not in DWARF and changes the layout on ${this.abi.name}`,
        );
      }
    }
    return first!;
  }

  /** One layout, declaring every unnamed bit-field as `pick` says (default: its first option). */
  layoutWith(plan: AggregatePlan, attrs: LayoutAttributes, pick?: GapPick): EngineLayout {
    const state = new RecordState(this.abi, recordOptions(plan, attrs));
    const placeGaps = (at: number): void => {
      const list = attrs.unnamedBefore?.get(at);
      if (!list) return;
      list.forEach((u, k) => {
        const o = pick ? pick(at, k) : u.options[0]!;
        state.place(unnamedField(this.abi, o.type, o.width));
      });
    };
    const members: EngineMember[] = [];
    const occupied = new Set<string>();
    for (const mp of plan.members) {
      placeGaps(mp.index);
      const f = applyMemberAttributes(mp, attrs);
      const p = placeMember(state, mp, f, occupied);
      if (mp.emptyClass !== undefined) occupied.add(emptyKey(mp.emptyClass, p.bitOffset));
      const em: EngineMember = { index: mp.index, bitOffset: p.bitOffset, byteSize: mp.byteSize, alignment: p.alignment };
      if (f.bitSize !== undefined) em.bitSize = f.bitSize;
      members.push(em);
    }
    placeGaps(plan.agg.members.length);
    const r = state.finish();
    members.sort((a, b) => a.index - b.index);
    return { size: r.size, alignment: r.alignment, dataSize: r.dataSize, members };
  }
}

export function emptyKey(type: TypeId, bitOffset: number): string {
  return `${type}@${bitOffset}`;
}

/**
 * Place a member; C++ (Itanium): two subobjects of the same empty class may not share an
 * address, so an empty base or member that would land on one moves on by its alignment.
 * `occupied` holds emptyKey()s of the empty subobjects placed so far.
 */
export function placeMember(state: RecordState, mp: MemberPlan, f: FieldSpec, occupied: ReadonlySet<string>): Placement {
  if (mp.emptyClass === undefined || !occupied.size) return state.place(f);
  const natural = state.clone().place(f).bitOffset;
  if (!occupied.has(emptyKey(mp.emptyClass, natural))) return state.place(f);
  const step = Math.max(1, f.align) * 8;
  let pos = f.emptyBase ? Math.ceil(state.bit / step) * step : natural + step;
  while (occupied.has(emptyKey(mp.emptyClass, pos))) pos += step;
  return state.placeAt(f, pos);
}

/** The DW_AT_alignment a type carries through an aligned typedef or an aligned aggregate. */
function declaredAlignment(table: TypeTable, shape: Shape): number | undefined {
  switch (shape.kind) {
    case 'aligned':
      return shape.alignment;
    case 'array':
    case 'atomic':
      return declaredAlignment(table, shape.kind === 'array' ? shape.element : shape.inner);
    case 'aggregate': {
      const t = table.get(shape.id);
      return isAggregate(t) ? t.alignment : undefined;
    }
    default:
      return undefined;
  }
}

/** Record-level options from the aggregate kind and its attributes. */
export function recordOptions(plan: AggregatePlan, attrs: LayoutAttributes): RecordOptions {
  const o: RecordOptions = { union: plan.agg.kind === 'union', cxx: plan.cxx };
  if (attrs.packed) o.packed = true;
  if (attrs.pack) o.pack = attrs.pack;
  if (attrs.aligned) o.aligned = attrs.aligned;
  return o;
}

/** A member's field spec with its member-level attributes applied. */
export function applyMemberAttributes(mp: MemberPlan, attrs: LayoutAttributes): FieldSpec {
  const { field: base, index } = mp;
  const aligned = attrs.memberAligned?.get(index);
  const packed = attrs.memberPacked?.has(index);
  const typeAlign = attrs.memberTypeAlign?.get(index);
  const reuse = mp.baseDataSize !== undefined && attrs.nonPodBases?.has(index);
  if (aligned === undefined && !packed && typeAlign === undefined && !reuse) return base;
  const f: FieldSpec = { ...base };
  if (aligned !== undefined) f.aligned = aligned;
  if (packed) f.packed = true;
  if (typeAlign !== undefined) f.align = typeAlign;
  if (reuse) f.dataSize = mp.baseDataSize!;
  return f;
}

/** The field spec of an unnamed `kind : width` bit-field. */
export function unnamedField(abi: Abi, kind: GapKind, width: number): FieldSpec {
  const row = abi.scalars[kind]!;
  return { size: row[0], align: row[1], bitSize: width, named: false, integer: true };
}

export function unpredictableLayout(reason: string): EngineLayout {
  return { size: 0, alignment: 0, dataSize: 0, members: [], unpredictable: reason };
}

export function sameLayout(a: EngineLayout, b: EngineLayout): boolean {
  if (a.size !== b.size || a.alignment !== b.alignment || a.members.length !== b.members.length) return false;
  return a.members.every((m, i) => {
    const n = b.members[i]!;
    return m.index === n.index && m.bitOffset === n.bitOffset && m.byteSize === n.byteSize;
  });
}

/**
 * Layout of struct/union/class `id` on `abi`. `attrs` is either the attributes of `id` alone
 * (nested aggregates then use none) or a source of attributes for every aggregate reached.
 */
export function layoutForTarget(
  table: TypeTable,
  id: TypeId,
  abi: Abi,
  attrs?: LayoutAttributes | AttributeSource,
): EngineLayout {
  let of: (x: TypeId) => LayoutAttributes | undefined;
  if (attrs === undefined) of = () => undefined;
  else if (typeof attrs === 'function' || attrs instanceof Map) {
    const source = attrs as AttributeSource;
    of = (x) => lookupAttributes(source, x);
  } else {
    const own = attrs as LayoutAttributes;
    of = (x) => (x === id ? own : undefined);
  }
  return new LayoutEngine(table, abi, of).layout(table.resolveDeclaration(id));
}
