/**
 * BTF against DWARF of one build (`diff FILE FILE -F btf,dwarf`): why each difference the layout
 * diff found is there, where the cause is known. BTF (as pahole -J and the kernel's resolve_btfids
 * encode it) records no alignment attributes, one dimension per array, no bit-field storage unit,
 * and one definition per name. Pure.
 */
import type { DiffResult, MemberDiff, TypeDiff } from './compare.js';
import type { TypeFacts } from './facts.js';

export type ViewReasonCode = 'flattened-array' | 'alignment' | 'bitfield-unit' | 'only-dwarf' | 'only-btf' | 'nested' | 'several-definitions' | 'member-type' | 'members' | 'layout';

export const VIEW_REASONS: Record<ViewReasonCode, string> = {
  'flattened-array': 'BTF has one dimension per array (pahole -J flattens int m[4][3] to int m[12])',
  alignment: 'BTF records no alignment attributes (aligned(N), packed): its alignment is the members\' natural one',
  'bitfield-unit': 'BTF gives a bit-field only its bit offset: its storage unit is taken from the declared type',
  'only-dwarf': 'not in BTF (the encoder keeps one definition per name and leaves out types no kept type uses)',
  'only-btf': 'not among the DWARF types compared',
  nested: 'DWARF defines it only inside a function or class (pahole prints top-level types only); BTF has no scopes',
  'several-definitions': 'the name has several different definitions in the build, and none of one side matches the other\'s',
  'member-type': 'a member type is spelled differently (typedef or qualifier dropped or added by the encoder)',
  members: 'members added or removed (no known cause)',
  layout: 'member offsets or sizes differ (no known cause)',
};

export interface ViewDifference {
  kind: string;
  name: string;
  reasons: ViewReasonCode[];
  /** What differs, briefly: `matrix: int[12] vs int[4][3]`, `alignment 2 vs 4`. */
  details: string[];
}

/** `int[4][3]` → { base: 'int', count: 12 } (undefined for a non-array). */
function arrayShape(type: string): { base: string; count: number } | undefined {
  const m = /^(.*?)((?:\[\d+\])+)$/.exec(type);
  if (!m) return undefined;
  let count = 1;
  for (const d of m[2]!.matchAll(/\[(\d+)\]/g)) count *= Number(d[1]);
  return { base: m[1]!, count };
}

function memberReason(m: MemberDiff): ViewReasonCode {
  if (m.change === 'added' || m.change === 'removed') return 'members';
  if (m.change === 'retyped') {
    const a = arrayShape(m.old!.type);
    const b = arrayShape(m.new!.type);
    if (a && b && a.base === b.base && a.count === b.count) return 'flattened-array';
    return 'member-type';
  }
  if (m.change === 'bitfield' || (m.changes.includes('bitfield') && !m.changes.includes('moved'))) return 'bitfield-unit';
  return 'layout';
}

/**
 * Explain each difference of `d`, whose `btf` side was read from BTF and the other from DWARF.
 * Types only one side has are listed too.
 */
export function explainViews(d: DiffResult, btf: 'old' | 'new', context: { nested?: ReadonlySet<string>; several?: ReadonlySet<string> } = {}): ViewDifference[] {
  const dwarf = btf === 'old' ? 'new' : 'old';
  return d.types.map((t: TypeDiff): ViewDifference => {
    const out: ViewDifference = { kind: t.kind, name: t.name, reasons: [], details: [] };
    const add = (r: ViewReasonCode, detail?: string) => {
      if (!out.reasons.includes(r)) out.reasons.push(r);
      if (detail !== undefined) out.details.push(detail);
    };
    if (t.change !== 'changed') {
      const onlyIn = (t.change === 'added') === (btf === 'new') ? 'btf' : 'dwarf';
      add(onlyIn === 'btf' ? 'only-btf' : 'only-dwarf');
      if (onlyIn === 'btf' && context.nested?.has(`${t.kind} ${t.name}`)) add('nested');
      return out;
    }
    if (context.several?.has(`${t.kind} ${t.name}`)) add('several-definitions');
    for (const m of t.members) {
      const r = memberReason(m);
      const b = m[btf];
      const w = m[dwarf];
      if (r === 'flattened-array' || r === 'member-type') add(r, `${m.name ?? '(anonymous)'}: ${b!.type} vs ${w!.type}`);
      else if (r === 'bitfield-unit') add(r, `${m.name ?? '(anonymous)'}: unit ${b!.size} at ${b!.offset} vs ${w!.size} at ${w!.offset}`);
      else add(r, `${m.name ?? '(anonymous)'}: ${m.changes.join(', ')}`);
    }
    const ab = t[btf]!.alignment;
    const aw = t[dwarf]!.alignment;
    if (ab !== aw) add('alignment', `alignment ${ab ?? '?'} vs ${aw ?? '?'}`);
    // only the summary differs (padding, holes) without member changes: alignment is the known cause
    if (out.reasons.length === 0) add('layout', (['size', 'holes', 'sumHoles', 'padding'] as const).filter((f) => t.old![f] !== t.new![f]).map((f) => `${f} ${t[btf]![f]} vs ${t[dwarf]![f]}`).join(', '));
    return out;
  });
}

/** Count of each reason over the differences. */
export function reasonCounts(v: readonly ViewDifference[]): Map<ViewReasonCode, number> {
  const m = new Map<ViewReasonCode, number>();
  for (const x of v) for (const r of x.reasons) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

const key = (t: TypeFacts) => `${t.kind} ${t.name}`;
/** What identifies one of several definitions of a name: its size and member names (offsets may differ by view). */
const shape = (t: TypeFacts) => JSON.stringify([t.size, t.members.map((m) => m.name)]);
/** The same with the member types: tells apart definitions that differ only in member types. */
const typedShape = (t: TypeFacts) => JSON.stringify([t.size, t.members.map((m) => m.name), t.members.map((m) => m.type)]);

/**
 * Names defined more than once (the kernel has several `struct slot`s): put first, on each side,
 * a definition the other side has with the same size and member names, when there is one,
 * so that the diff (which compares the first definition of each name) pairs like with like.
 * Every other definition is dropped. Returns new lists.
 */
export function matchDefinitions(a: TypeFacts[], b: TypeFacts[]): [TypeFacts[], TypeFacts[]] {
  const group = (ts: TypeFacts[]) => {
    const m = new Map<string, TypeFacts[]>();
    for (const t of ts) if (t.name !== '') (m.get(key(t)) ?? m.set(key(t), []).get(key(t))!).push(t);
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  const pick = (mine: TypeFacts[], theirs: TypeFacts[] | undefined): TypeFacts => {
    if (!theirs || mine.length === 1) return mine[0]!;
    const exact = new Set(theirs.map(typedShape));
    const shapes = new Set(theirs.map(shape));
    return mine.find((t) => exact.has(typedShape(t))) ?? mine.find((t) => shapes.has(shape(t))) ?? mine[0]!;
  };
  // side a picks first; side b then takes the twin of a's pick
  const picked = new Map<string, TypeFacts>();
  const firstOnly = (ts: TypeFacts[], mine: Map<string, TypeFacts[]>, theirs: Map<string, TypeFacts[]>) => {
    const done = new Set<string>();
    const out: TypeFacts[] = [];
    for (const t of ts) {
      if (t.name === '' || done.has(key(t))) continue;
      done.add(key(t));
      const defs = mine.get(key(t))!;
      const twin = picked.get(key(t));
      const chosen = pick(defs, twin !== undefined ? [twin] : theirs.get(key(t)));
      if (twin === undefined) picked.set(key(t), chosen);
      out.push(chosen);
    }
    return out;
  };
  return [firstOnly(a, ga, gb), firstOnly(b, gb, ga)];
}

/** Names with more than one definition on either side (before matchDefinitions). */
export function severalDefinitions(a: TypeFacts[], b: TypeFacts[]): Set<string> {
  const out = new Set<string>();
  for (const ts of [a, b]) {
    const seen = new Set<string>();
    for (const t of ts) {
      if (t.name === '') continue;
      if (seen.has(key(t))) out.add(key(t));
      seen.add(key(t));
    }
  }
  return out;
}
