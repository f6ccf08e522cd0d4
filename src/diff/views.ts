/**
 * BTF against DWARF of one build (`diff FILE FILE -F btf,dwarf`): why each difference the layout
 * diff found is there, where the cause is known. BTF (as pahole -J and the kernel's resolve_btfids
 * encode it) records no alignment attributes, one dimension per array, no bit-field storage unit,
 * and one definition per name. Pure.
 */
import type { DiffResult, MemberDiff, TypeDiff } from './compare.js';

export type ViewReasonCode = 'flattened-array' | 'alignment' | 'bitfield-unit' | 'only-dwarf' | 'only-btf' | 'member-type' | 'members' | 'layout';

export const VIEW_REASONS: Record<ViewReasonCode, string> = {
  'flattened-array': 'BTF has one dimension per array (pahole -J flattens int m[4][3] to int m[12])',
  alignment: 'BTF records no alignment attributes (aligned(N), packed): its alignment is the members\' natural one',
  'bitfield-unit': 'BTF gives a bit-field only its bit offset: its storage unit is taken from the declared type',
  'only-dwarf': 'not in BTF (the encoder keeps one definition per name and leaves out types no kept type uses)',
  'only-btf': 'not among the DWARF types compared',
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
export function explainViews(d: DiffResult, btf: 'old' | 'new'): ViewDifference[] {
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
      return out;
    }
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
