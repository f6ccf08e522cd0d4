/**
 * Attributes that leave no trace in the source build's DWARF but would change the layout (or
 * pahole's text) on the target. `show --target T` flags every type where one could matter, with
 * the reason, rather than assume it absent. Pure.
 *
 * - aligned(N) below the member type's alignment: gcc erases it (do_type_align; probe: x86_64
 *   `long double x __attribute__((aligned(8)))` has no DW_AT_alignment), yet on a target where
 *   the type is less aligned (i386 long double 4, m68k 2) N would apply.
 * - packed on a member that is at an aligned offset anyway and does not set the aggregate's size.
 * - a zero-width bit-field `T :0` at a position already aligned for T (it raises the alignment
 *   on arm and aarch64, and moves to 2-byte boundaries on m68k), or an unnamed `T :w` filling
 *   padding the source has (the padding shrinks on ILP32 targets).
 * - packed on the aggregate when every member is at an aligned offset anyway.
 * With the type's C definition at hand (source-evidence.ts), only the attributes it declares are
 * candidates: a definition without unnamed bit-fields and attributes leaves nothing to flag.
 */
import type { TypeTable } from '../../model/table.js';
import type { AggregateType, TypeId } from '../../model/types.js';
import { memberLabel, type LayoutAttributes } from './attributes.js';
import type { AggregateEvidence } from './source-evidence.js';
import { GAP_KINDS, type GapKind } from './classify.js';
import type { EngineLayout, LayoutEngine } from './engine.js';

/** Offsets and size agree (what DWARF shows of a layout). */
function sameVisible(a: EngineLayout, b: EngineLayout): boolean {
  return a.size === b.size && a.members.length === b.members.length && a.members.every((m, k) => m.bitOffset === b.members[k]!.bitOffset);
}

/** Why the target layout of aggregate `id` depends on an attribute DWARF cannot show, or undefined. */
export function hiddenAttributeReason(
  table: TypeTable,
  id: TypeId,
  attrs: LayoutAttributes,
  source: LayoutEngine,
  target: LayoutEngine,
  producer: 'gcc' | 'clang',
  /** What the type's C definition shows (source-evidence.ts); undefined: no source, anything may hide. */
  evidence?: AggregateEvidence,
): string | undefined {
  const agg = table.get(id) as AggregateType;
  const sPlan = source.plan(agg);
  const tPlan = target.plan(agg);
  if ('unpredictable' in sPlan || 'unpredictable' in tPlan) return undefined;
  // Unnamed bit-field declarations the target lacks (__int128 on 32-bit) are not candidates there.
  const onTarget = (a: LayoutAttributes): LayoutAttributes => {
    if (!a.unnamedBefore) return a;
    const valid = (o: { type: keyof typeof target.abi.scalars; width: number }): boolean => {
      const row = target.abi.scalars[o.type];
      return !!row && o.width <= row[0] * 8;
    };
    return { ...a, unnamedBefore: new Map([...a.unnamedBefore].map(([at, list]) => [at, list.map((u) => ({ options: u.options.filter(valid) }))])) };
  };
  if ([...(onTarget(attrs).unnamedBefore?.values() ?? [])].some((list) => list.some((u) => !u.options.length))) return undefined;
  const sBase = source.layoutWith(sPlan, attrs);
  const tBase = target.layoutWith(tPlan, onTarget(attrs));
  // Invisible on the source, yet different on the target: offsets or size, or an alignment change
  // the source does not share (one it shares shows wherever the type is nested, as on the source).
  const changes = (alt: LayoutAttributes): boolean => {
    const s = source.layoutWith(sPlan, alt);
    if (!sameVisible(s, sBase)) return false;
    const t = target.layoutWith(tPlan, onTarget(alt));
    if (!sameVisible(t, tBase)) return true;
    return t.alignment !== tBase.alignment && (s.alignment === sBase.alignment || t.alignment !== s.alignment);
  };
  const s = source.abi.name;
  const t = target.abi.name;
  // packed on the aggregate when every member sits at an aligned offset anyway
  // (with an aligned(N) keeping the size, when gcc recorded a user alignment)
  if ((!evidence || evidence.ownPacked) && !attrs.packed && !attrs.pack) {
    const packed: LayoutAttributes[] = [{ ...attrs, packed: true }];
    if (agg.alignment !== undefined) packed.push({ ...attrs, packed: true, aligned: Math.max(attrs.aligned ?? 1, agg.alignment) });
    if (packed.some(changes)) return `packed on the ${agg.kind} would leave no trace in ${s}'s DWARF, and would change the layout on ${t}`;
  }
  for (const [k, mp] of tPlan.members.entries()) {
    const m = agg.members[mp.index]!;
    const label = memberLabel(agg, mp.index);
    if (m.bitSize !== undefined || m.isBase) continue;
    // aligned(N) below the type's alignment on the source: gcc drops it (clang records N). On a
    // target where N is at least the type's alignment gcc keeps it, and pahole prints it.
    if (producer === 'gcc' && m.alignment === undefined && !attrs.packed && !attrs.pack && (!evidence || evidence.memberAligned.has(mp.index))) {
      const onSource = sPlan.members[k]!.field.align;
      for (let n = mp.field.align; n < onSource; n *= 2) {
        const memberAligned = new Map(attrs.memberAligned ?? []);
        memberAligned.set(mp.index, n);
        if (n === mp.field.align || changes({ ...attrs, memberAligned })) {
          return `${label}: an aligned(${n}) on it (below its alignment ${onSource} on ${s}) leaves no trace in gcc's DWARF, and would ${n === mp.field.align ? `be kept (and printed) on ${t}` : `change the layout on ${t}`}`;
        }
      }
    }
    if (!attrs.packed && !attrs.memberPacked?.has(mp.index) && m.alignment === undefined && (!evidence || evidence.memberPacked.has(mp.index))) {
      const memberPacked = new Set(attrs.memberPacked ?? []);
      memberPacked.add(mp.index);
      if (changes({ ...attrs, memberPacked })) return `${label}: packed on it would leave no trace in ${s}'s DWARF, and would change the layout on ${t}`;
    }
  }
  if (agg.kind === 'union' || (evidence && !evidence.unnamedBitfields)) return undefined;
  const typeName = (type: GapKind): string => (type === 'llong' ? 'long long' : type === 'int128' ? '__int128' : type);
  for (let at = 0; at <= agg.members.length; at++) {
    if (at < agg.members.length && (agg.members[at]!.isStatic || agg.members[at]!.isBase)) continue;
    const where = at < agg.members.length ? `before ${memberLabel(agg, at)}` : 'at the end';
    for (const type of GAP_KINDS) {
      const row = source.abi.scalars[type];
      if (!row || !target.abi.scalars[type]) continue;
      // `T :0`, then `T :w` filling padding the source has here (both leave no trace in its DWARF).
      for (let width = 0; width <= Math.min(row[0], target.abi.scalars[type]![0]) * 8; width++) {
        const unnamedBefore = new Map(attrs.unnamedBefore ?? []);
        unnamedBefore.set(at, [...(unnamedBefore.get(at) ?? []), { options: [{ type, width }] }]);
        const alt = { ...attrs, unnamedBefore };
        if (width > 0 && !sameVisible(source.layoutWith(sPlan, alt), sBase)) break;
        if (changes(alt)) {
          const decl = width === 0 ? `a zero-width bit-field ${typeName(type)} :0` : `an unnamed bit-field ${typeName(type)} :${width} in the padding`;
          return `${decl} ${where} would leave no trace in ${s}'s DWARF, and would change the layout on ${t}`;
        }
      }
    }
  }
  return undefined;
}

