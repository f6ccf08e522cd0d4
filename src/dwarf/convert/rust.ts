/**
 * Rust compile units (DW_LANG_Rust, rustc's LLVM DWARF 4 and 5). Their types live in a tree of
 * DW_TAG_namespace DIEs (crate, modules), so a type is named by its path (`core::option::Option<&u8>`)
 * and counts as top level when only namespaces enclose it. Fields are kept in offset order (rustc
 * reorders repr(Rust) structs; the declaration order is kept in `sourceOrder`), and an enum with
 * data (a DW_TAG_variant_part: the discriminant member and one DW_TAG_variant per variant, each
 * naming a struct with that variant's fields) becomes a `variantPart`.
 */
import type { AggregateType, Member, Variant, VariantPart } from '../../model/types.js';
import { DW_TAG } from '../constants.js';
import { RefKind } from '../dies.js';
import { isNamedTypeTag, type ScannedUnit } from '../scanned.js';
import { memberOf } from './aggregates.js';
import { constValue, dieName, finite } from './attributes.js';
import { typeRef } from './references.js';
import type { ConvertState } from './state.js';

/** DW_LANG_Rust. */
export const DW_LANG_Rust = 0x1c;

export function isRustUnit(u: ScannedUnit): boolean {
  return u.root.language === DW_LANG_Rust;
}

/**
 * The name a type DIE is shown by: in Rust units its DW_AT_name after the names of the enclosing
 * namespaces and types (`rust_types::Shape::Circle`), elsewhere its DW_AT_name.
 */
export function aggregateName(cx: ConvertState, u: ScannedUnit, i: number): string | undefined {
  const name = dieName(cx, u, i);
  if (name === undefined || !isRustUnit(u)) return name;
  const parts = [name];
  const { dies } = u;
  for (let p = dies.parent[i]!; p > 0; p = dies.parent[p]!) {
    const tag = dies.tag[p]!;
    if (tag !== DW_TAG.namespace && !isNamedTypeTag(tag)) break; // a function's local type: its own name
    const n = dieName(cx, u, p);
    if (n !== undefined) parts.push(n);
  }
  return parts.reverse().join('::');
}

/** Printed in a whole-file dump: directly in the unit, or (Rust) inside namespaces only. */
export function isTopLevel(u: ScannedUnit, i: number): boolean {
  const { dies } = u;
  if (dies.parent[i] === 0) return true;
  if (!isRustUnit(u)) return false;
  for (let p = dies.parent[i]!; p > 0; p = dies.parent[p]!) if (dies.tag[p] !== DW_TAG.namespace) return false;
  return true;
}

/**
 * Fill a Rust struct or union: its members in offset order (their declaration order in
 * `sourceOrder` when it differs) and, for an enum with data, its variant part. Rust's member
 * accessibility (pub or not) is left out: it is not C++ access and pahole's `public:` lines
 * would only be noise. Template parameters and the variants' own struct DIEs are not children.
 */
export function fillRustAggregate(cx: ConvertState, u: ScannedUnit, i: number, t: AggregateType): void {
  const { dies } = u;
  const isUnion = t.kind === 'union';
  const members: Member[] = [];
  for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
    const tag = dies.tag[c]!;
    if (tag === DW_TAG.member) members.push(rustMember(cx, u, c, isUnion));
    else if (tag === DW_TAG.variant_part && t.variantPart === undefined) t.variantPart = variantPartOf(cx, u, c);
  }
  if (!isUnion) {
    const order = members.map((_, k) => k).sort((a, b) => members[a]!.bitOffset - members[b]!.bitOffset || a - b);
    if (order.some((k, pos) => k !== pos)) {
      t.members = order.map((k) => members[k]!);
      const sourceOrder: number[] = new Array<number>(order.length);
      order.forEach((k, pos) => (sourceOrder[k] = pos));
      t.sourceOrder = sourceOrder;
      return;
    }
  }
  t.members = members;
}

function rustMember(cx: ConvertState, u: ScannedUnit, c: number, inUnion: boolean): Member {
  const m = memberOf(cx, u, c, false, inUnion);
  delete m.accessibility;
  return m;
}

/** DW_TAG_variant_part: the discriminant member (named by DW_AT_discr) and each DW_TAG_variant's member. */
function variantPartOf(cx: ConvertState, u: ScannedUnit, vp: number): VariantPart {
  const { dies } = u;
  const discrOffset = dies.containingKind[vp] === RefKind.Section ? dies.containing[vp]! : undefined;
  const part: VariantPart = { variants: [] };
  for (let c = dies.firstChild[vp]!; c >= 0; c = dies.nextSibling[c]!) {
    const tag = dies.tag[c]!;
    if (tag === DW_TAG.member) {
      if (part.discriminant === undefined && (discrOffset === undefined || dies.offset[c] === discrOffset)) part.discriminant = rustMember(cx, u, c, false);
      continue;
    }
    if (tag !== DW_TAG.variant) continue;
    const discrValue = Number.isNaN(dies.constValue[c]!) ? undefined : constValue(cx, u, c);
    for (let m = dies.firstChild[c]!; m >= 0; m = dies.nextSibling[m]!) {
      if (dies.tag[m] !== DW_TAG.member) continue;
      const v: Variant = { name: dieName(cx, u, m) ?? '', type: typeRef(cx, u, m), bitOffset: 8 * (finite(dies.memberLocation[m]!) ?? 0) };
      if (discrValue !== undefined) v.discrValue = discrValue;
      part.variants.push(v);
    }
  }
  return part;
}
