/**
 * Infer the attributes DWARF does not record (packed, #pragma pack, aligned(N), unnamed
 * bit-fields) by comparing the compiler's member offsets with the natural layout on the same
 * ABI (ABI.md §3.1). A struct is `natural` when the plain rules reproduce it, `explained` when a
 * small set of attributes does, `unexplained` otherwise (with the differences), and
 * `unpredictable` when a member type cannot be laid out at all.
 */
import { REPR_RUST_ENUM, rustLayoutExplanation, withoutRecordedAlignment } from '../rust.js';
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type TypeId } from '../../model/types.js';
import { describeAttributes, isEmptyAttributes, gapPicks, type AttributeSource, type LayoutAttributes, type UnnamedBitfield, type UnnamedOption } from './attributes.js';
import { GAP_KINDS } from './classify.js';
import { applyMemberAttributes, emptyKey, LayoutEngine, placeMember, recordOptions, unnamedField, type AggregatePlan, type EngineLayout, type MemberPlan } from './engine.js';
import { RecordState, type FieldSpec } from './record.js';
import { compare, type MemberDifference } from './differences.js';
import { better, candidateRank, firstOptions, freeze, MAX_ALIGN, powersAbove, structCandidates, type Fit, type MutableAttributes } from './hypotheses.js';
import { producerOf } from './annotations.js';
import type { Abi } from './targets.js';

export { compare, type MemberDifference };

export type InferStatus = 'natural' | 'explained' | 'unexplained' | 'unpredictable';

export interface InferResult {
  id: TypeId;
  status: InferStatus;
  /** The inferred attributes (empty when natural). */
  attributes: LayoutAttributes;
  /** `packed`, `pack(2)`, `aligned(64) on hot`, … */
  explanations: string[];
  /** Members whose DWARF placement the inferred attributes do not reproduce (unexplained only). */
  differences: MemberDifference[];
  unpredictable?: string;
  /** The engine's layout with the inferred attributes (absent when unpredictable). */
  layout?: EngineLayout;
}

export interface InferOptions {
  /**
   * Whether the producer records DW_AT_alignment (gcc/clang DWARF 4-5 without -gstrict-dwarf).
   * If so, a member placed later than natural without DW_AT_alignment is taken to follow an
   * unnamed bit-field rather than to carry aligned(N). Default: true if the table carries any
   * DW_AT_alignment or every unit is DWARF 4 or later (`dwarfVersions`).
   */
  alignmentRecorded?: boolean;
  /** DWARF versions of the units the table came from (FileInfo.dwarfVersions). */
  dwarfVersions?: readonly number[];
}

/** How many more trailing unnamed bit-fields than the size gap strictly needs (at 64 bits each) to try. */
const MAX_TRAILING_EXTRA = 16;
/** Most trailing unnamed bit-fields tried (64-bit each): a larger gap is not explained this way. */
const MAX_TRAILING_UNNAMED = 64;

/** Infer attributes for every struct/union/class of a table that a shared engine reaches. */
export class AttributeInference {
  readonly engine: LayoutEngine;
  private readonly results = new Map<TypeId, InferResult>();
  private readonly resolved = new Map<TypeId, LayoutAttributes>();
  private readonly active = new Set<TypeId>();
  private readonly alignmentRecorded: boolean;
  /** gcc's DW_AT_alignment is the final alignment (clang's the requested one). */
  private readonly finalAlignment: boolean;

  constructor(
    readonly table: TypeTable,
    readonly abi: Abi,
    options: InferOptions = {},
  ) {
    const modern = !!options.dwarfVersions?.length && options.dwarfVersions.every((v) => v >= 4);
    this.finalAlignment = producerOf(table) === 'gcc';
    this.alignmentRecorded = options.alignmentRecorded ?? (modern || tableRecordsAlignment(table));
    this.engine = new LayoutEngine(table, abi, (id) => (this.active.has(id) ? undefined : this.sourceAttributes(id)));
  }

  /** Inferred attributes for every aggregate inferred so far (a source for layoutForTarget). */
  get attributes(): AttributeSource {
    return (id: TypeId) => this.results.get(id)?.attributes;
  }

  /**
   * The attributes as used on the source ABI itself: DWARF fixed the gap every unnamed bit-field
   * leaves here, so its first declaration stands for all of them.
   */
  private sourceAttributes(id: TypeId): LayoutAttributes {
    const hit = this.resolved.get(id);
    if (hit) return hit;
    const a = this.infer(id).attributes;
    const r = a.unnamedBefore ? { ...a, unnamedBefore: firstOptions(a.unnamedBefore) } : a;
    this.resolved.set(id, r);
    return r;
  }

  infer(id: TypeId): InferResult {
    const hit = this.results.get(id);
    if (hit) return hit;
    this.active.add(id);
    try {
      const r = this.inferUncached(id);
      this.results.set(id, r);
      return r;
    } finally {
      this.active.delete(id);
    }
  }

  private inferUncached(id: TypeId): InferResult {
    const recorded = this.table.get(id);
    const t = isAggregate(recorded) ? withoutRecordedAlignment(recorded) : recorded;
    if (!isAggregate(t) || t.declaration) {
      return { id, status: 'unpredictable', attributes: {}, explanations: [], differences: [], unpredictable: 'not a complete aggregate' };
    }
    const rust = rustLayoutExplanation(t);
    if (rust === REPR_RUST_ENUM) return { id, status: 'explained', attributes: {}, explanations: [rust], differences: [] };
    const plan = this.engine.plan(t);
    if ('unpredictable' in plan) {
      return { id, status: 'unpredictable', attributes: {}, explanations: [], differences: [], unpredictable: plan.unpredictable };
    }
    // Every struct-level hypothesis, each with both orders of preference between aligned(N) and
    // an unnamed bit-field for a member placed later than natural; the best explanation wins.
    let best: Fit | undefined;
    search: for (const c of structCandidates(plan, this.abi)) {
      for (const gapFirst of [this.alignmentRecorded, !this.alignmentRecorded]) {
        const fit = this.fit(plan, c, gapFirst);
        if (gapFirst !== this.alignmentRecorded) fit.rank += 0.5;
        if (!best || better(fit, best)) best = fit;
        if (best.failures === 0 && best.cost === 0) break search;
      }
    }
    const attributes = best!.attrs;
    const layout = this.engine.layoutWith(plan, attributes);
    if (layout.unpredictable !== undefined) {
      return { id, status: 'unpredictable', attributes, explanations: describeAttributes(attributes, t), differences: [], unpredictable: layout.unpredictable };
    }
    const differences = best!.failures ? compare(t, layout) : [];
    if (rust !== undefined && differences.length === 0) {
      return { id, status: 'explained', attributes, explanations: [rust, ...describeAttributes(attributes, t)], differences, layout };
    }
    const status: InferStatus = differences.length ? 'unexplained' : isEmptyAttributes(attributes) ? 'natural' : 'explained';
    return { id, status, attributes, explanations: describeAttributes(attributes, t), differences, layout };
  }

  /** Walk the members with struct-level attributes `base`, fixing each misplaced member locally. */
  private fit(plan: AggregatePlan, base: LayoutAttributes, gapFirst: boolean): Fit {
    const agg = plan.agg;
    // DW_AT_alignment on a member: aligned(N)/_Alignas(N) unless it merely repeats the alignment
    // of an aligned typedef or struct type (gcc copies that onto the member).
    const memberAligned = new Map<number, number>();
    for (const mp of plan.members) {
      const m = agg.members[mp.index]!;
      if (m.alignment !== undefined && !m.isBase && m.alignment !== mp.typeUserAlign) memberAligned.set(mp.index, m.alignment);
    }
    const attrs: MutableAttributes = {
      ...base,
      memberAligned,
      memberPacked: new Set(),
      memberTypeAlign: new Map(),
      unnamedBefore: new Map(),
    };
    // A packed struct is likelier than the same number of packed members: it costs a little less.
    let cost = (base.packed ? 0.9 : base.pack ? 1 : 0) + (base.nonPodBases ? 0.5 : 0);
    let failures = 0;
    let state = new RecordState(this.abi, recordOptions(plan, attrs));
    this.occupied = new Set();
    for (const mp of plan.members) {
      const m = agg.members[mp.index]!;
      const target = plan.agg.kind === 'union' ? 0 : m.bitOffset;
      const f = applyMemberAttributes(mp, attrs);
      const trial = state.clone();
      if (this.place(trial, mp, f) === target) {
        state = trial;
      } else {
        const fixed = this.fixMember(state, mp, attrs, target, gapFirst && m.alignment === undefined);
        if (fixed) {
          state = fixed;
          cost++;
        } else {
          failures++;
          state.placeAt(f, target);
        }
      }
      if (mp.emptyClass !== undefined) this.occupied.add(emptyKey(mp.emptyClass, target));
    }
    const end = this.fixEnd(plan, attrs, gapFirst);
    cost += end.cost;
    failures += end.failures;
    // gcc records the final alignment: one below the rules' (packed, not visible in any offset) counts against.
    if (this.finalAlignment && agg.alignment !== undefined && agg.alignment < this.engine.layoutWith(plan, freeze(attrs)).alignment) cost += 2;
    return { attrs: freeze(attrs), cost, failures, rank: candidateRank(base) };
  }

  /** Empty C++ subobjects placed so far in the current fit (fit() resets it; nothing inside a fit re-enters infer()). */
  private occupied = new Set<string>();

  /** Place a member on `state` (C++ empty-subobject rule included); its bit offset. */
  private place(state: RecordState, mp: MemberPlan, f: FieldSpec): number {
    return placeMember(state, mp, f, this.occupied).bitOffset;
  }

  /** Try member-level explanations for a member not at its natural place; the new state or undefined. */
  private fixMember(
    state: RecordState,
    mp: MemberPlan,
    attrs: MutableAttributes,
    target: number,
    gapFirst: boolean,
  ): RecordState | undefined {
    const i = mp.index;
    const natural = this.place(state.clone(), mp, applyMemberAttributes(mp, attrs));
    const tries: (() => RecordState | undefined)[] = [];
    if (natural < target) {
      const aligned = () => this.tryAligned(state, mp, attrs, target);
      const gap = () => this.tryGap(state, mp, attrs, target);
      if (gapFirst) tries.push(gap, aligned);
      else tries.push(aligned, gap);
    } else {
      tries.push(
        () => this.tryWith(state, mp, attrs, target, () => attrs.memberPacked.add(i), () => attrs.memberPacked.delete(i)),
        () => this.tryTypeAlign(state, mp, attrs, target),
      );
    }
    for (const t of tries) {
      const s = t();
      if (s) return s;
    }
    return undefined;
  }

  /** Apply a change, place the member; keep the change if it lands on `target`. */
  private tryWith(
    state: RecordState,
    mp: MemberPlan,
    attrs: MutableAttributes,
    target: number,
    apply: () => void,
    undo: () => void,
  ): RecordState | undefined {
    apply();
    const s = state.clone();
    if (this.place(s, mp, applyMemberAttributes(mp, attrs)) === target) return s;
    undo();
    return undefined;
  }

  private tryAligned(state: RecordState, mp: MemberPlan, attrs: MutableAttributes, target: number): RecordState | undefined {
    if (mp.field.emptyBase || mp.field.dataSize !== undefined) return undefined;
    const i = mp.index;
    const previous = attrs.memberAligned.get(i);
    for (let n = 2; n <= MAX_ALIGN; n *= 2) {
      const s = this.tryWith(
        state,
        mp,
        attrs,
        target,
        () => attrs.memberAligned.set(i, n),
        () => (previous === undefined ? attrs.memberAligned.delete(i) : attrs.memberAligned.set(i, previous)),
      );
      if (s) return s;
    }
    return undefined;
  }

  /** Lower the type's alignment (an aligned(N) typedef DWARF did not record). */
  private tryTypeAlign(state: RecordState, mp: MemberPlan, attrs: MutableAttributes, target: number): RecordState | undefined {
    const i = mp.index;
    for (let n = mp.field.align / 2; n >= 1; n /= 2) {
      const s = this.tryWith(state, mp, attrs, target, () => attrs.memberTypeAlign.set(i, n), () => attrs.memberTypeAlign.delete(i));
      if (s) return s;
    }
    return undefined;
  }

  /** An unnamed bit-field before the member (zero-width or a filler of any width that fits). */
  private tryGap(state: RecordState, mp: MemberPlan, attrs: MutableAttributes, target: number): RecordState | undefined {
    const field = applyMemberAttributes(mp, attrs);
    const found = this.gapOptions(Math.min(64, target - state.bit), (o) => {
      const s = state.clone();
      s.place(unnamedField(this.abi, o.type, o.width));
      return this.place(s, mp, field) === target ? s : undefined;
    });
    if (!found) return undefined;
    attrs.unnamedBefore.set(mp.index, [...(attrs.unnamedBefore.get(mp.index) ?? []), { options: found.options }]);
    return found.state;
  }

  /**
   * Every unnamed bit-field declaration (integer type, width 0…maxWidth) for which `works`
   * succeeds: zero-width ones first, then per type the narrowest and the widest width.
   */
  private gapOptions<S>(maxWidth: number, works: (o: UnnamedOption) => S | undefined): { options: UnnamedOption[]; state: S } | undefined {
    const zero: UnnamedOption[] = [];
    const narrow: UnnamedOption[] = [];
    const wide: UnnamedOption[] = [];
    let first: S | undefined;
    for (const type of GAP_KINDS) {
      const row = this.abi.scalars[type];
      if (!row) continue;
      const bits = row[0] * 8;
      let lo: UnnamedOption | undefined;
      let hi: UnnamedOption | undefined;
      for (let width = 0; width <= Math.min(maxWidth, bits); width++) {
        const o = { type, width };
        const s = works(o);
        if (s === undefined) continue;
        if (width === 0) {
          zero.push(o);
          first ??= s;
        } else {
          lo ??= o;
          hi = o;
        }
      }
      if (lo) narrow.push(lo);
      if (hi && hi !== lo) wide.push(hi);
    }
    narrow.sort((a, b) => a.width - b.width);
    const options = [...zero, ...narrow, ...wide];
    if (!options.length) return undefined;
    const state = first ?? works(options[0]!)!;
    return { options, state };
  }

  /** Explain the aggregate's size and DW_AT_alignment. */
  private fixEnd(plan: AggregatePlan, attrs: MutableAttributes, gapFirst: boolean): { cost: number; failures: number } {
    const agg = plan.agg;
    const finish = (): EngineLayout => {
      this.settleGaps(plan, attrs);
      return this.engine.layoutWith(plan, freeze(attrs));
    };
    let r = finish();
    if (r.size < agg.size) {
      const hinted = agg.alignment !== undefined && agg.alignment > r.alignment;
      const aligned = (): boolean => {
        for (const n of [...(hinted ? [agg.alignment!] : []), ...powersAbove(r.alignment)]) {
          attrs.aligned = n;
          if (finish().size === agg.size) return true;
        }
        delete attrs.aligned;
        return false;
      };
      const trailing = (): boolean => {
        // Unnamed bit-fields after the last member: one, or several of the same declaration
        // (the kernel pads __kernel_timex with eleven `int :32;`, bpf_timer with two `__u64 :64;`).
        const end = agg.members.length;
        const repeat = (k: number, o: UnnamedOption): UnnamedBitfield[] => Array.from({ length: k }, () => ({ options: [o] }));
        const first = Math.max(1, Math.floor(((agg.size - r.size) * 8) / 64));
        // hostile sizes (DW_AT_byte_size 0xffffffff) would make millions of them: no real type has more than a few
        if (first > MAX_TRAILING_UNNAMED) return false;
        for (let k = first; k <= first + MAX_TRAILING_EXTRA; k++) {
          const found = this.gapOptions(64, (o) => {
            const trial: MutableAttributes = { ...attrs, unnamedBefore: new Map(attrs.unnamedBefore) };
            trial.unnamedBefore.set(end, repeat(k, o));
            return this.engine.layoutWith(plan, freeze(trial)).size === agg.size ? true : undefined;
          });
          if (!found) continue;
          attrs.unnamedBefore.set(end, Array.from({ length: k }, () => ({ options: found.options })));
          // A recorded alignment the bit-fields do not give (bpf_timer is also aligned(8)).
          const got = finish();
          if (hinted && got.alignment < agg.alignment!) {
            attrs.aligned = agg.alignment!;
            if (finish().size !== agg.size) {
              delete attrs.aligned;
              finish();
            }
          }
          return true;
        }
        return false;
      };
      const order = gapFirst && !hinted ? [trailing, aligned] : [aligned, trailing];
      for (const f of order) if (f()) return { cost: 1, failures: 0 };
      return { cost: 0, failures: 1 };
    }
    if (r.size > agg.size) return { cost: 0, failures: 1 };
    if (agg.alignment !== undefined && agg.alignment > r.alignment) {
      attrs.aligned = agg.alignment;
      r = finish();
      if (r.size === agg.size) return { cost: 1, failures: 0 };
      delete attrs.aligned;
      finish();
    }
    return { cost: 0, failures: 0 };
  }

  /**
   * Where the declaration of an unnamed bit-field changes the aggregate's size on the source ABI
   * (arm, aarch64: they raise the alignment), keep only the options that reproduce the DWARF size.
   */
  private settleGaps(plan: AggregatePlan, attrs: MutableAttributes): void {
    if (!(this.abi.unnamedBitfieldAffectsAlign || this.abi.zeroWidthAffectsAlign)) return;
    const frozen = freeze(attrs);
    const keep = new Map<string, Set<UnnamedOption>>();
    let matched = false;
    for (const pick of gapPicks(frozen)) {
      if (this.engine.layoutWith(plan, frozen, pick).size !== plan.agg.size) continue;
      matched = true;
      for (const [at, list] of attrs.unnamedBefore) {
        list.forEach((_, k) => {
          const key = `${at}/${k}`;
          if (!keep.has(key)) keep.set(key, new Set());
          keep.get(key)!.add(pick(at, k));
        });
      }
    }
    if (!matched) return;
    for (const [at, list] of attrs.unnamedBefore) {
      attrs.unnamedBefore.set(
        at,
        list.map((u, k) => ({ options: u.options.filter((o) => keep.get(`${at}/${k}`)!.has(o)) })),
      );
    }
  }
}

/** Does the table carry any DW_AT_alignment (so its producer records them)? */
export function tableRecordsAlignment(table: TypeTable): boolean {
  for (const t of table.types) {
    if (t.kind === 'typedef' && t.alignment !== undefined) return true;
    if (isAggregate(t)) {
      if (t.alignment !== undefined) return true;
      for (const m of t.members) if (m.alignment !== undefined) return true;
    }
  }
  return false;
}

/** Infer the attributes of one aggregate (nested aggregates are inferred on the way). */
export function inferAttributes(table: TypeTable, id: TypeId, abi: Abi, options?: InferOptions): InferResult {
  return new AttributeInference(table, abi, options).infer(table.resolveDeclaration(id));
}

/** Infer every struct/union/class definition of a table. */
export function inferAll(table: TypeTable, abi: Abi, options?: InferOptions): Map<TypeId, InferResult> {
  const inference = new AttributeInference(table, abi, options);
  const out = new Map<TypeId, InferResult>();
  for (const id of table.definitions) if (isAggregate(table.get(id))) out.set(id, inference.infer(id));
  return out;
}

/** An AttributeSource over inference results (for layoutForTarget). */
export function attributeSourceOf(results: ReadonlyMap<TypeId, InferResult>): AttributeSource {
  return (id: TypeId) => results.get(id)?.attributes;
}

