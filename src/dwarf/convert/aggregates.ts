/**
 * Structs, unions, classes and enums: per unit, pass 1 registers each definition in DIE order (the
 * order pahole prints), deduplicated by identity (identity.ts); pass 2 fills the new ones with
 * members, enumerators, nested types, member functions and static variables.
 */
import type { AggregateType, ClassChild, EnumType, Enumerator, Member, Method, Type, TypeId } from '../../model/types.js';
import { DW_TAG } from '../constants.js';
import { DieFlag, RefKind, StrKind } from '../dies.js';
import { isNamedTypeTag, type ScannedUnit } from '../scanned.js';
import { constValue, declOf, dieName, finite, isCLanguage, nameIsOneOf } from './attributes.js';
import { resolveRef, typeRef } from './references.js';
import { aggregateName, fillRustAggregate, isRustUnit, isTopLevel } from './rust.js';
import type { ConvertState } from './state.js';
import { convertDie } from './types.js';

/** Pass 1 registers every struct/union/class/enum in DIE order (the order pahole prints); pass 2 fills them. */
export function convertUnit(cx: ConvertState, u: ScannedUnit): void {
  const { dies } = u;
  if (u.root.language !== undefined) cx.languages.set(u.root.language, (cx.languages.get(u.root.language) ?? 0) + 1);
  if (dies.count > 0 && !cx.table.unitNames.has(u.header.offset)) {
    const name = dieName(cx, u, 0); // the unit DIE's DW_AT_name: pahole -I's "Used at:"
    if (name !== undefined) cx.table.unitNames.set(u.header.offset, name);
  }
  const toFill: number[] = [];
  const names = cx.typeNames && isCLanguage(u.root.language) ? cx.typeNames : undefined;
  cx.shallowPointees = names !== undefined;
  for (let i = 0; i < dies.count; i++) {
    if (isNamedTypeTag(dies.tag[i]!) && u.memo[i] === -1) {
      if (names && !nameIsOneOf(cx, u, i, names)) continue;
      if (registerAggregate(cx, u, i)) toFill.push(i);
    } else if (names && dies.tag[i] === DW_TAG.typedef && dies.parent[i] === 0 && nameIsOneOf(cx, u, i, names)) {
      // pahole -C finds typedefs too (cu__find_type_by_name): the typedef and what it names
      convertDie(cx, u, i);
    } else if (dies.typeKind[i] === RefKind.Signature && dies.parent[i] === 0) {
      // type units: a unit-level DIE (variable, typedef) naming a type unit brings its type in, in DIE order
      resolveRef(cx, u, RefKind.Signature, dies.type[i]!);
    }
  }
  for (const i of toFill) fillAggregate(cx, u, i);
  cx.shallowPointees = false;
}

/** Give an aggregate/enum DIE its TypeId: an existing identical one, or a new placeholder. Returns true when new. */
export function registerAggregate(cx: ConvertState, u: ScannedUnit, i: number): boolean {
  const enumStub = u.dies.tag[i] === DW_TAG.enumeration_type && u.dies.has(DieFlag.Declaration, i);
  if (u.dies.typeKind[i] === RefKind.Signature && (u.dies.tag[i] !== DW_TAG.enumeration_type || enumStub)) {
    // a stub whose DW_AT_signature names the type unit that defines it (gcc -fdebug-types-section;
    // clang's nested enums too: an enum's type slot is otherwise its underlying type)
    u.memo[i] = resolveRef(cx, u, RefKind.Signature, u.dies.type[i]!);
    if (u.dies.firstChild[i]! >= 0) mergeStubMethods(cx, u, i, u.memo[i]!);
    return false;
  }
  const existing = cx.identity.lookup(u, i);
  if (existing !== undefined) {
    u.memo[i] = existing;
    return false;
  }
  const { dies } = u;
  const tag = dies.tag[i]!;
  const name = aggregateName(cx, u, i);
  const declaration = dies.has(DieFlag.Declaration, i);
  const size = finite(dies.byteSize[i]!) ?? 0;
  let t: Type;
  if (tag === DW_TAG.enumeration_type) {
    const e: EnumType = { kind: 'enum', size, declaration, enumerators: [], origin: { die: dies.offset[i]!, unit: u.header.offset } };
    if (name !== undefined) e.name = name;
    t = e;
  } else {
    const a: AggregateType = {
      kind: tag === DW_TAG.union_type ? 'union' : tag === DW_TAG.class_type ? 'class' : 'struct',
      size,
      declaration,
      members: [],
      origin: { die: dies.offset[i]!, unit: u.header.offset },
    };
    if (name !== undefined) a.name = name;
    if (!isTopLevel(u, i)) a.topLevel = false;
    if (u.root.language !== undefined) a.language = u.root.language;
    const align = finite(dies.alignment[i]!);
    if (align !== undefined) a.alignment = align;
    t = a;
  }
  const decl = declOf(cx, u, i);
  if (decl) (t as AggregateType | EnumType).decl = decl;
  const id = cx.table.add(t);
  cx.identity.remember(id);
  u.memo[i] = id;
  if (!declaration) cx.table.addDefinition(id);
  return true;
}

/**
 * A named struct/union/class/enum only pointed to (typeNames mode): its name, size and kind,
 * which is all a pointer to it prints, without members. Not a definition, never deduplicated
 * with whole types; one per distinct header.
 */
export function registerShallow(cx: ConvertState, u: ScannedUnit, i: number): TypeId {
  const { dies } = u;
  const tag = dies.tag[i]!;
  const name = aggregateName(cx, u, i) ?? '';
  const declaration = dies.has(DieFlag.Declaration, i);
  const size = finite(dies.byteSize[i]!) ?? 0;
  const topLevel = isTopLevel(u, i);
  const id = cx.intern(`s|${tag}|${name}|${size}|${declaration ? 1 : 0}|${topLevel ? 1 : 0}`, (): Type => {
    if (tag === DW_TAG.enumeration_type) return { kind: 'enum', name, size, declaration, enumerators: [], origin: { die: dies.offset[i]! } };
    const a: AggregateType = {
      kind: tag === DW_TAG.union_type ? 'union' : tag === DW_TAG.class_type ? 'class' : 'struct',
      name,
      size,
      declaration,
      members: [],
      origin: { die: dies.offset[i]!, unit: u.header.offset },
    };
    if (!topLevel) a.topLevel = false;
    if (u.root.language !== undefined) a.language = u.root.language;
    return a;
  });
  (u.shallow ??= new Map()).set(i, id);
  return id;
}

/**
 * clang declares a type unit's implicit member functions (constructors, the destructor) in the
 * stub that names the type unit, not in the type unit: add those the type does not have yet.
 */
export function mergeStubMethods(cx: ConvertState, u: ScannedUnit, i: number, id: TypeId): void {
  const t = cx.table.get(id);
  if (t.kind !== 'struct' && t.kind !== 'class' && t.kind !== 'union') return;
  const { dies } = u;
  const key = (m: Method): string => `${m.name ?? ''}|${m.linkageName ?? ''}|${m.params.join(',')}`;
  let have: Set<string> | undefined;
  for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
    if (childKind(dies.tag[c]!) !== ChildKind.Method) continue;
    const m = methodOf(cx, u, c);
    const children = (t.children ??= t.members.map((_, index): ClassChild => ({ kind: 'member', index })));
    have ??= new Set(children.flatMap((ch) => (ch.kind === 'method' ? [key(ch.method)] : [])));
    if (have.has(key(m))) continue;
    have.add(key(m));
    children.push({ kind: 'method', method: m });
  }
}

export function fillAggregate(cx: ConvertState, u: ScannedUnit, i: number): void {
  const t = cx.table.get(u.memo[i]!);
  const { dies } = u;
  if (t.kind === 'enum') {
    const list: Enumerator[] = [];
    for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
      if (dies.tag[c] !== DW_TAG.enumerator) continue;
      list.push({ name: dieName(cx, u, c) ?? '', value: constValue(cx, u, c) });
    }
    (t as { enumerators: Enumerator[] }).enumerators = list;
    if (dies.typeKind[i]) (t as EnumType).underlying = typeRef(cx, u, i);
    return;
  }
  if (isRustUnit(u)) return fillRustAggregate(cx, u, i, t as AggregateType);
  const isUnion = dies.tag[i] === DW_TAG.union_type;
  const members: Member[] = [];
  let hasOthers = false;
  for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
    const tag = dies.tag[c]!;
    if (tag !== DW_TAG.member && tag !== DW_TAG.inheritance) {
      if (childKind(tag) !== ChildKind.None) hasOthers = true;
      continue;
    }
    members.push(memberOf(cx, u, c, tag === DW_TAG.inheritance, isUnion));
  }
  (t as { members: Member[] }).members = members;
  if (!hasOthers) return;
  // every child in DIE order: members, nested types, member functions, static variables
  const children: ClassChild[] = [];
  let index = 0;
  for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
    const tag = dies.tag[c]!;
    if (tag === DW_TAG.member || tag === DW_TAG.inheritance) {
      children.push({ kind: 'member', index: index++ });
      continue;
    }
    switch (childKind(tag)) {
      case ChildKind.Type:
        children.push({ kind: 'type', type: convertDie(cx, u, c) });
        break;
      case ChildKind.Method:
        children.push({ kind: 'method', method: methodOf(cx, u, c) });
        break;
      case ChildKind.Variable: {
        const v: ClassChild = {
          kind: 'variable',
          type: typeRef(cx, u, c),
          external: dies.has(DieFlag.External, c),
          declaration: dies.has(DieFlag.Declaration, c),
        };
        const name = dieName(cx, u, c);
        if (name !== undefined) v.name = name;
        children.push(v);
        break;
      }
    }
  }
  (t as AggregateType).children = children;
}

/** A member function (DW_TAG_subprogram child of an aggregate). */
export function methodOf(cx: ConvertState, u: ScannedUnit, c: number): Method {
  const { dies } = u;
  const params: TypeId[] = [];
  const paramNames: (string | undefined)[] = [];
  let named = false;
  let variadic = false;
  for (let p = dies.firstChild[c]!; p >= 0; p = dies.nextSibling[p]!) {
    const pt = dies.tag[p]!;
    if (pt === DW_TAG.formal_parameter) {
      params.push(typeRef(cx, u, p));
      const pn = dieName(cx, u, p);
      if (pn !== undefined) named = true;
      paramNames.push(pn);
    } else if (pt === DW_TAG.unspecified_parameters) variadic = true;
  }
  const m: Method = { returnType: typeRef(cx, u, c), params, variadic };
  const name = dieName(cx, u, c);
  if (name !== undefined) m.name = name;
  const lk = dies.linkageKind[c] as StrKind;
  if (lk !== StrKind.None) {
    const ln = u.src.strings.get(lk, dies.linkage[c]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
    if (ln !== undefined) m.linkageName = ln;
  }
  if (named) m.paramNames = paramNames;
  const virtuality = finite(dies.virtuality[c]!);
  if (virtuality !== undefined) m.virtuality = virtuality;
  const acc = finite(dies.accessibility[c]!);
  if (acc !== undefined) m.accessibility = acc;
  const inl = finite(dies.inline[c]!);
  if (inl !== undefined) m.inline = inl;
  const vt = finite(dies.vtableIndex[c]!);
  if (vt !== undefined) m.vtableIndex = vt;
  return m;
}

export function memberOf(cx: ConvertState, u: ScannedUnit, c: number, isBase: boolean, inUnion: boolean): Member {
  const { dies } = u;
  const type = typeRef(cx, u, c);
  const m: Member = { type, bitOffset: 0, byteSize: 0 };
  const name = dieName(cx, u, c);
  if (name !== undefined) m.name = name;
  if (cx.memberDecl) {
    const decl = declOf(cx, u, c);
    if (decl) m.decl = decl;
  }
  if (
    !isBase &&
    !inUnion &&
    Number.isNaN(dies.memberLocation[c]!) &&
    Number.isNaN(dies.dataBitOffset[c]!) &&
    !dies.has(DieFlag.LocationNotConstant, c)
  ) {
    // pahole: a member without a location outside a union is a static member (DWARF <= 4 C++)
    m.isStatic = true;
    m.byteSize = cx.table.sizeOf(cx.table.strip(type));
    if (!Number.isNaN(dies.constValue[c]!)) m.constValue = constValue(cx, u, c);
    if (dies.has(DieFlag.Artificial, c)) m.artificial = true;
    const acc = finite(dies.accessibility[c]!);
    if (acc !== undefined) m.accessibility = acc;
    return m;
  }
  const bitSize = finite(dies.bitSize[c]!);
  const typeSize = cx.table.sizeOf(cx.table.strip(type));
  const loc = finite(dies.memberLocation[c]!) ?? 0;
  const dataBitOffset = finite(dies.dataBitOffset[c]!);
  if (bitSize !== undefined) {
    m.bitSize = bitSize;
    const unitSize = finite(dies.byteSize[c]!) ?? typeSize;
    m.byteSize = unitSize;
    const msbOffset = finite(dies.bitOffset[c]!);
    if (dataBitOffset !== undefined) m.bitOffset = dataBitOffset;
    else if (msbOffset !== undefined) m.bitOffset = cx.le ? 8 * loc + 8 * unitSize - msbOffset - bitSize : 8 * loc + msbOffset;
    else m.bitOffset = 8 * loc;
  } else {
    m.byteSize = typeSize;
    m.bitOffset = dataBitOffset ?? 8 * loc;
  }
  const align = finite(dies.alignment[c]!);
  if (align !== undefined) m.alignment = align;
  if (isBase) {
    m.isBase = true;
    const v = finite(dies.virtuality[c]!);
    if (v) m.isVirtualBase = true;
  }
  if (dies.has(DieFlag.Artificial, c)) m.artificial = true;
  const acc = finite(dies.accessibility[c]!);
  if (acc !== undefined) m.accessibility = acc;
  return m;
}

const enum ChildKind {
  None,
  Type,
  Method,
  Variable,
}

/** What a non-member child DIE of an aggregate becomes in AggregateType.children (template parameters: nothing). */
function childKind(tag: number): ChildKind {
  switch (tag) {
    case DW_TAG.structure_type:
    case DW_TAG.class_type:
    case DW_TAG.union_type:
    case DW_TAG.enumeration_type:
    case DW_TAG.interface_type:
    case DW_TAG.typedef:
      return ChildKind.Type;
    case DW_TAG.subprogram:
      return ChildKind.Method;
    case DW_TAG.variable:
      return ChildKind.Variable;
    default:
      return ChildKind.None;
  }
}


/** DW_LANG_C89, C, C99, C11, C17 (DW_AT_language of the unit DIE). */
