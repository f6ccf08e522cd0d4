/**
 * The search space of attribute inference (infer.ts): the struct-level hypotheses tried in turn
 * (none, packed, #pragma pack(N), C++ non-POD bases), how a fit of one is scored, and the
 * attribute set a fit builds up. Pure.
 */
import type { LayoutAttributes, UnnamedBitfield } from './attributes.js';
import type { AggregatePlan } from './engine.js';
import type { Abi } from './targets.js';

/** Most alignment tried for aligned(N). */
export const MAX_ALIGN = 1 << 16;

/** The attributes of one fit while it is being built (infer.ts freezes them). */
export interface MutableAttributes {
  packed?: boolean;
  pack?: number;
  aligned?: number;
  nonPodBases?: ReadonlySet<number>;
  memberAligned: Map<number, number>;
  memberPacked: Set<number>;
  memberTypeAlign: Map<number, number>;
  unnamedBefore: Map<number, UnnamedBitfield[]>;
}

/** One hypothesis fitted to DWARF: failures (members not placed), cost (attributes needed), rank (tie-break). */
export interface Fit {
  attrs: LayoutAttributes;
  cost: number;
  failures: number;
  rank: number;
}

export function better(a: Fit, b: Fit): boolean {
  if (a.failures !== b.failures) return a.failures < b.failures;
  if (a.cost !== b.cost) return a.cost < b.cost;
  return a.rank < b.rank;
}

/** Struct-level hypotheses, most likely first: none, packed, #pragma pack(16…2), #pragma pack(1). */
export function structCandidates(plan: AggregatePlan, abi: Abi): LayoutAttributes[] {
  let maxAlign = 1;
  for (const mp of plan.members) maxAlign = Math.max(maxAlign, mp.field.align);
  const out: LayoutAttributes[] = [{}, { packed: true }];
  for (let n = 16; n >= 2; n /= 2) if (n < maxAlign || (abi.structSizeBoundary > 8 && n * 8 < abi.structSizeBoundary)) out.push({ pack: n });
  out.push({ pack: 1 });
  // C++: bases DWARF shows no reason to call non-POD (constructors are not always recorded) may
  // still be, and then the derived class reuses their tail padding.
  const reusable = plan.members.filter((mp) => mp.baseDataSize !== undefined).map((mp) => mp.index);
  if (reusable.length) out.push(...out.map((c) => ({ ...c, nonPodBases: new Set(reusable) })));
  return out;
}

/** Tie-break between hypotheses that explain DWARF equally well: the more common one wins. */
export function candidateRank(a: LayoutAttributes): number {
  if (a.packed) return 1;
  if (a.pack === 1) return 40;
  if (a.pack) return 40 - a.pack;
  return 0;
}

export function firstOptions(m: ReadonlyMap<number, readonly UnnamedBitfield[]>): Map<number, UnnamedBitfield[]> {
  return new Map([...m].map(([at, list]) => [at, list.map((u) => ({ options: u.options.slice(0, 1) }))]));
}

/** Drop empty collections so that the attributes read cleanly. */
export function freeze(a: MutableAttributes): LayoutAttributes {
  const out: LayoutAttributes = {};
  if (a.packed) out.packed = true;
  if (a.pack) out.pack = a.pack;
  if (a.aligned) out.aligned = a.aligned;
  if (a.nonPodBases?.size) out.nonPodBases = new Set(a.nonPodBases);
  if (a.memberAligned.size) out.memberAligned = new Map(a.memberAligned);
  if (a.memberPacked.size) out.memberPacked = new Set(a.memberPacked);
  if (a.memberTypeAlign.size) out.memberTypeAlign = new Map(a.memberTypeAlign);
  if (a.unnamedBefore.size) out.unnamedBefore = new Map(a.unnamedBefore);
  return out;
}

export function powersAbove(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p <= MAX_ALIGN; p *= 2) if (p > n) out.push(p);
  return out;
}
