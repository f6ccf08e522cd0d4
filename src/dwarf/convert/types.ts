/**
 * One DIE to a TypeId: aggregates go to aggregates.ts; base types, pointers, typedefs, qualifiers,
 * arrays and function types are interned by structure here.
 */
import type { Type, TypeId } from '../../model/types.js';
import { DW_TAG } from '../constants.js';
import { DieFlag, RefKind, StrKind } from '../dies.js';
import { isNamedTypeTag, subrangeCount, type ScannedUnit } from '../scanned.js';
import { fillAggregate, registerAggregate, registerShallow } from './aggregates.js';
import { declOf, dieName, finite } from './attributes.js';
import { resolveRef, typeRef } from './references.js';
import { IN_PROGRESS, MAX_RECURSION, type ConvertState } from './state.js';

/** A pointer's target; in typeNames mode, aggregates behind it are shallow (registerShallow). */
export function pointee(cx: ConvertState, u: ScannedUnit, i: number): TypeId {
  if (!cx.shallowPointees) return typeRef(cx, u, i);
  const behind = cx.behindPointer;
  cx.behindPointer = true;
  try {
    return typeRef(cx, u, i);
  } finally {
    cx.behindPointer = behind;
  }
}

export function convertDie(cx: ConvertState, u: ScannedUnit, i: number): TypeId {
  const memo = u.memo[i]!;
  if (memo >= 0) return memo;
  if (memo === IN_PROGRESS) return cx.unresolved(`type cycle at 0x${u.dies.offset[i]!.toString(16)}`);
  if (cx.depth > MAX_RECURSION) return cx.unresolved('type chain too deep');
  const tag = u.dies.tag[i]!;
  if (cx.behindPointer) {
    const seen = u.shallow?.get(i);
    if (seen !== undefined) return seen;
  }
  if (isNamedTypeTag(tag)) {
    if (cx.behindPointer && u.dies.nameKind[i] !== StrKind.None) return registerShallow(cx, u, i);
    // reached before pass 1 (foreign units, type units): register and fill now; its members
    // are laid out inside it, so they are converted whole even when it was reached by pointer
    const behind = cx.behindPointer;
    cx.behindPointer = false;
    try {
      if (registerAggregate(cx, u, i)) fillAggregate(cx, u, i);
    } finally {
      cx.behindPointer = behind;
    }
    return u.memo[i]!;
  }
  u.memo[i] = IN_PROGRESS;
  cx.depth++;
  let id: TypeId;
  try {
    id = convertOther(cx, u, i, tag);
  } finally {
    cx.depth--;
  }
  if (cx.behindPointer) {
    // may lead to a shallow aggregate: kept apart from the unit's memo, which whole conversions use
    u.memo[i] = -1;
    (u.shallow ??= new Map()).set(i, id);
  } else u.memo[i] = id;
  return id;
}

export function convertOther(cx: ConvertState, u: ScannedUnit, i: number, tag: number): TypeId {
  const { dies } = u;
  switch (tag) {
    case DW_TAG.base_type:
    case DW_TAG.unspecified_type: {
      const name = dieName(cx, u, i) ?? '';
      const size = finite(dies.byteSize[i]!) ?? (tag === DW_TAG.unspecified_type ? 0 : 0);
      const encoding = finite(dies.encoding[i]!) ?? 0;
      const bitSize = finite(dies.bitSize[i]!);
      return cx.intern(`b|${name}|${size}|${encoding}|${bitSize ?? ''}`, () => {
        const t: Type = { kind: 'base', name, size, encoding };
        if (bitSize !== undefined) t.bitSize = bitSize;
        return t;
      });
    }
    case DW_TAG.pointer_type:
    case DW_TAG.reference_type:
    case DW_TAG.rvalue_reference_type:
    case DW_TAG.ptr_to_member_type: {
      const target = pointee(cx, u, i);
      const size = finite(dies.byteSize[i]!) ?? u.header.addressSize;
      const pointerKind =
        tag === DW_TAG.pointer_type ? 'pointer' : tag === DW_TAG.reference_type ? 'reference' : tag === DW_TAG.rvalue_reference_type ? 'rvalue_reference' : 'ptr_to_member';
      const containing = dies.containingKind[i] ? resolveRef(cx, u, dies.containingKind[i] as RefKind, dies.containing[i]!) : undefined;
      // Rust names its pointer types (`&u8`, `*mut T`); C and C++ never do
      const name = dies.nameKind[i] !== StrKind.None ? dieName(cx, u, i) : undefined;
      return cx.intern(`p|${pointerKind}|${size}|${target}|${containing ?? ''}|${name ?? ''}`, () => {
        const t: Type = { kind: 'pointer', pointerKind, target, size };
        if (containing !== undefined) t.containingType = containing;
        if (name !== undefined) t.name = name;
        return t;
      });
    }
    case DW_TAG.typedef: {
      const name = dieName(cx, u, i) ?? '';
      const target = typeRef(cx, u, i);
      const alignment = finite(dies.alignment[i]!);
      return cx.intern(`t|${name}|${target}|${alignment ?? ''}`, () => {
        const t: Type = { kind: 'typedef', name, target };
        if (alignment !== undefined) t.alignment = alignment;
        const decl = declOf(cx, u, i);
        if (decl) t.decl = decl;
        t.origin = { die: dies.offset[i]!, unit: u.header.offset }; // the first DIE of an interned typedef (pahole -I)
        return t;
      });
    }
    case DW_TAG.const_type:
    case DW_TAG.volatile_type:
    case DW_TAG.restrict_type:
    case DW_TAG.atomic_type:
    case DW_TAG.immutable_type:
    case DW_TAG.packed_type: {
      const target = typeRef(cx, u, i);
      if (tag === DW_TAG.immutable_type || tag === DW_TAG.packed_type) return target;
      const qualifier = tag === DW_TAG.const_type ? 'const' : tag === DW_TAG.volatile_type ? 'volatile' : tag === DW_TAG.restrict_type ? 'restrict' : 'atomic';
      return cx.intern(`q|${qualifier}|${target}`, () => ({ kind: 'qualifier', qualifier, target }));
    }
    case DW_TAG.array_type: {
      const element = typeRef(cx, u, i);
      const dims: (number | null)[] = [];
      for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
        const ct = dies.tag[c]!;
        if (ct !== DW_TAG.subrange_type && ct !== DW_TAG.generic_subrange) continue;
        dims.push(subrangeCount(dies, c));
      }
      if (dims.length === 0) dims.push(null);
      const size = finite(dies.byteSize[i]!);
      const vector = dies.has(DieFlag.Vector, i);
      return cx.intern(`a|${element}|${dims.join(',')}|${size ?? ''}|${vector ? 1 : 0}`, () => {
        const t: Type = { kind: 'array', element, dims };
        if (size !== undefined) t.size = size;
        if (vector) t.vector = true;
        return t;
      });
    }
    case DW_TAG.subroutine_type: {
      const returnType = typeRef(cx, u, i);
      const params: TypeId[] = [];
      let variadic = false;
      for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
        const ct = dies.tag[c]!;
        if (ct === DW_TAG.formal_parameter) params.push(typeRef(cx, u, c));
        else if (ct === DW_TAG.unspecified_parameters) variadic = true;
      }
      const prototyped = dies.has(DieFlag.Prototyped, i);
      return cx.intern(`f|${returnType}|${params.join(',')}|${variadic ? 1 : 0}|${prototyped ? 1 : 0}`, () => ({
        kind: 'function',
        returnType,
        params,
        variadic,
        prototyped,
      }));
    }
    default:
      return cx.unresolved(`DIE 0x${dies.offset[i]!.toString(16)} (tag 0x${tag.toString(16)}) is not a type`);
  }
}
