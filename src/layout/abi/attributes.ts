/**
 * Layout attributes of one struct/union: what the source said (or what infer.ts deduced from
 * DWARF) beyond the types of its members. DWARF records none of packed, #pragma pack or unnamed
 * bit-fields, and aligned(N) only from DWARF 5 producers (ABI.md §3.1), so they travel separately.
 */
import type { AggregateType, TypeId } from '../../model/types.js';
import { INTEGER_KINDS, type GapKind, type IntegerKind } from './classify.js';

/** One way to declare an unnamed bit-field: `type : width`. */
export interface UnnamedOption {
  type: GapKind;
  /** Width in bits; 0 for a zero-width bit-field. */
  width: number;
}

/**
 * An unnamed bit-field (`int :4`, `long long :0`): DWARF omits them, so only the gap they leave
 * is known. `options` lists the declarations that reproduce that gap on the source target (every
 * type, with the narrowest and widest width that work); the first is the one reported. A layout
 * on another target is predictable only if all of them give the same result there.
 */
export interface UnnamedBitfield {
  options: readonly UnnamedOption[];
}

export interface LayoutAttributes {
  /** __attribute__((packed)) on the struct/union. */
  packed?: boolean;
  /** #pragma pack(N), bytes. */
  pack?: number;
  /** aligned(N) on the struct/union, bytes. */
  aligned?: number;
  /** aligned(N) / _Alignas(N) on member i (index into AggregateType.members), bytes. */
  memberAligned?: ReadonlyMap<number, number>;
  /** packed on member i. */
  memberPacked?: ReadonlySet<number>;
  /** The alignment of member i's type is N (an aligned(N) typedef DWARF did not record); can lower it. */
  memberTypeAlign?: ReadonlyMap<number, number>;
  /**
   * C++ bases (member indices) that are not POD for layout although DWARF shows no reason (a
   * user-declared constructor is not always recorded): the derived class reuses their tail padding.
   */
  nonPodBases?: ReadonlySet<number>;
  /** Unnamed bit-fields placed before member i; the key members.length means after the last member. */
  unnamedBefore?: ReadonlyMap<number, readonly UnnamedBitfield[]>;
}

/** Attributes for every aggregate a layout reaches (nested structs have their own). */
export type AttributeSource =
  | ReadonlyMap<TypeId, LayoutAttributes>
  | ((id: TypeId) => LayoutAttributes | undefined);

export const NO_ATTRIBUTES: LayoutAttributes = Object.freeze({});

export function lookupAttributes(source: AttributeSource | undefined, id: TypeId): LayoutAttributes | undefined {
  if (source === undefined) return undefined;
  return typeof source === 'function' ? source(id) : source.get(id);
}

export function isEmptyAttributes(a: LayoutAttributes): boolean {
  return (
    !a.packed &&
    !a.pack &&
    !a.aligned &&
    !a.memberAligned?.size &&
    !a.memberPacked?.size &&
    !a.memberTypeAlign?.size &&
    !a.nonPodBases?.size &&
    !a.unnamedBefore?.size
  );
}

const C_NAMES: Record<IntegerKind, string> = {
  char: 'char',
  short: 'short',
  int: 'int',
  long: 'long',
  llong: 'long long',
};

export function memberLabel(agg: AggregateType, index: number): string {
  if (index >= agg.members.length) return 'the end';
  const m = agg.members[index]!;
  if (m.name !== undefined) return m.name;
  return m.isBase ? `base #${index}` : `<anonymous #${index}>`;
}

function describeUnnamed(all: UnnamedBitfield): string {
  // __int128 candidates are kept for prediction, not named (a declaration nobody writes).
  const u: { options: readonly UnnamedOption[] } = { options: all.options.filter((o) => o.type !== 'int128') };
  if (!u.options.length) u.options = all.options;
  const first = u.options[0]!;
  const same = u.options.filter((o) => o.width === first.width).map((o) => o.type);
  const types = INTEGER_KINDS.filter((k) => same.includes(k)).map((k) => C_NAMES[k]);
  if (!types.length) types.push('__int128');
  const type = types.length === 1 ? types[0]! : `{${types.join('|')}}`;
  const more = u.options.length > same.length ? ' (or other widths)' : '';
  return `unnamed bit-field ${type} :${first.width}${more}`;
}

/** Which option each unnamed bit-field uses: (key of the gap list, position in it) → option. */
export type GapPick = (at: number, k: number) => UnnamedOption;

/**
 * Every assignment of options to the ambiguous unnamed bit-fields (all combinations up to
 * `limit`, else each gap varied alone); the first one picks every gap's first option.
 */
export function gapPicks(attrs: LayoutAttributes, limit = 256): GapPick[] {
  const gaps = [...(attrs.unnamedBefore ?? [])].flatMap(([at, list]) => list.map((u, k) => ({ key: `${at}/${k}`, u })));
  const ambiguous = gaps.filter((g) => g.u.options.length > 1);
  const make = (choice: Map<string, UnnamedOption>): GapPick => {
    return (at, k) => choice.get(`${at}/${k}`) ?? attrs.unnamedBefore!.get(at)![k]!.options[0]!;
  };
  let combos = 1;
  for (const g of ambiguous) combos *= g.u.options.length;
  const out: GapPick[] = [];
  if (combos <= limit) {
    for (let c = 0; c < combos; c++) {
      const choice = new Map<string, UnnamedOption>();
      let rest = c;
      for (const g of ambiguous) {
        choice.set(g.key, g.u.options[rest % g.u.options.length]!);
        rest = Math.floor(rest / g.u.options.length);
      }
      out.push(make(choice));
    }
  } else {
    out.push(make(new Map()));
    for (const g of ambiguous) for (const o of g.u.options.slice(1)) out.push(make(new Map([[g.key, o]])));
  }
  return out;
}

/** Human-readable attribute list: `packed`, `pack(2)`, `aligned(64)`, `aligned(64) on hot`, … */
export function describeAttributes(a: LayoutAttributes, agg: AggregateType): string[] {
  const out: string[] = [];
  if (a.packed) out.push('packed');
  if (a.pack) out.push(`pack(${a.pack})`);
  if (a.aligned) out.push(`aligned(${a.aligned})`);
  const indices = new Set<number>([
    ...(a.memberAligned?.keys() ?? []),
    ...(a.memberPacked ?? []),
    ...(a.memberTypeAlign?.keys() ?? []),
    ...(a.unnamedBefore?.keys() ?? []),
    ...(a.nonPodBases ?? []),
  ]);
  for (const i of [...indices].sort((x, y) => x - y)) {
    const label = memberLabel(agg, i);
    // Runs of identical unnamed bit-fields read as one: `11 × unnamed bit-field int :32 at the end`.
    const list = (a.unnamedBefore?.get(i) ?? []).map(describeUnnamed);
    for (let k = 0; k < list.length; ) {
      let n = 1;
      while (k + n < list.length && list[k + n] === list[k]) n++;
      out.push(`${n > 1 ? `${n} × ` : ''}${list[k]} ${i >= agg.members.length ? 'at the end' : `before ${label}`}`);
      k += n;
    }
    if (a.nonPodBases?.has(i)) out.push(`tail padding of ${label} reused (non-POD base)`);
    if (a.memberPacked?.has(i)) out.push(`packed on ${label}`);
    const ta = a.memberTypeAlign?.get(i);
    if (ta !== undefined) out.push(`typedef aligned(${ta}) on ${label}`);
    const al = a.memberAligned?.get(i);
    if (al !== undefined) out.push(`aligned(${al}) on ${label}`);
  }
  return out;
}
