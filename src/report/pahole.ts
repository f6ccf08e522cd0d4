/**
 * pahole 1.24 and 1.31 (`pahole -F dwarf`) compatible text output. Pure renderers: they format
 * Layouts computed by src/layout (layout/computed.ts) and never compute layout facts themselves.
 *
 * Followed from dwarves_fprintf.c: tag__fprintf, __class__fprintf, union__fprintf,
 * class_member__fprintf, type__fprintf, array_type__fprintf, enumeration__fprintf,
 * typedef__fprintf, class__fprintf_cacheline_boundary, type__fprintf_stats; and from pahole.c:
 * print_classes, class__filter, type__compare (deduplication), size_formatter.
 */
import { DW_LANG_Rust, renderRustEnum, rustDeclaration } from './rust.js';
import { StructureTree, structureSignature } from './pahole-dedup.js';
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type AggregateType, type EnumType, type Member, type Type, type TypeId } from '../model/types.js';
import type { SizesRow, TypeBlock } from '../layout/computed.js';
import { DEFAULT_PAHOLE_DIALECT, type CachelineMarker, type Layout, type LayoutItem, type LayoutSummary, type MemberLayout, type MemberTypeFacts, type PaholeDialect } from '../layout/types.js';
import { groupsComment } from './groups.js';
import { functionTypeString, ljust, methodString, typeName, type SpellContext } from './ctype.js';

export interface PaholeOptions {
  /** Bytes per cacheline (pahole --cacheline_size); default 64. Used by the layout step. */
  cachelineSize?: number;
  /** Offsets and sizes in hexadecimal (pahole --hex). */
  hex?: boolean;
  /** Pointer size; guessed from the table when absent. Used by the layout step. */
  addressSize?: number;
  /** Expand named struct/union member types inline, showing typedef chains (pahole -E). */
  expand?: boolean;
  /** Offsets of members of inline structs/unions relative to them (pahole -r/--rel_offset). */
  relOffset?: boolean;
  /** Leave out a C++ class's nested types, methods, static variables and vtable (pahole -M). */
  onlyDataMembers?: boolean;
  /** Whose text to reproduce: pahole 1.24 or 1.31 (the default). */
  pahole?: PaholeDialect;
}

/** What the two pahole versions print differently, as flags the renderer consults. */
interface Dialect {
  /** One "XXX last struct has ..." line with the member type's flexible arrays, paddings and holes (1.31), or its padding only (1.24). */
  memberTypeHoles: boolean;
  /** `-E`: named enums are expanded too, and a space always separates an expanded type from the member name. */
  expandEnums: boolean;
  /** Summary lines "member types with ..." and "flexible array members: ...". */
  memberTypeSummary: boolean;
}

const DIALECTS: Record<PaholeDialect, Dialect> = {
  '1.24': { memberTypeHoles: false, expandEnums: false, memberTypeSummary: false },
  '1.31': { memberTypeHoles: true, expandEnums: true, memberTypeSummary: true },
};

function dialectOf(v: PaholeDialect | undefined): Dialect {
  return DIALECTS[v ?? DEFAULT_PAHOLE_DIALECT];
}

const TABS = '\t'.repeat(16);
const MAX_DECL_DEPTH = 32;
const tabs = (n: number): string => TABS.slice(0, Math.max(0, Math.min(n, 15)));

interface Conf {
  table: TypeTable;
  indent: number;
  typeSpacing: number;
  nameSpacing: number;
  hex: boolean;
  expand: boolean;
  onlyDataMembers?: boolean;
  dialect: Dialect;
  language?: number;
  prefix?: string;
  suffix?: string;
  unionMember: boolean;
  lastMember: boolean;
  firstMember: boolean;
}

function spell(conf: Conf): SpellContext {
  return { table: conf.table, language: conf.language };
}

// ---------------------------------------------------------------- printf helpers

/** C printf `%*s` with a one-character argument: width may be negative (left-justify). */
function padSpaces(width: number): string {
  const w = Math.abs(width);
  return ' '.repeat(Math.max(1, w));
}

function dec(n: number, width: number): string {
  return String(n).padStart(width);
}

/** C printf `%#Nx`: no 0x prefix for zero. */
function hexAlt(n: number, width: number): string {
  const s = n === 0 ? '0' : '0x' + (n >>> 0).toString(16);
  return s.padStart(width);
}

function offsetComment(conf: Conf, offset: number, size: number, bitfieldPos: number | undefined): string {
  let s = conf.hex ? '/* ' + hexAlt(offset, 5) : '/* ' + dec(offset, 5);
  let sizeSpacing = 5;
  if (bitfieldPos !== undefined) {
    s += conf.hex ? ':' + hexAlt(bitfieldPos, 2) : ':' + dec(bitfieldPos, 2);
    sizeSpacing -= 3;
  }
  s += conf.hex ? ' ' + hexAlt(size, sizeSpacing) + ' */' : ' ' + dec(size, sizeSpacing) + ' */';
  return s;
}

function cachelineText(m: CachelineMarker): string {
  if (m.ago === 0) return `/* --- cacheline ${m.line} boundary (${m.boundary} bytes) --- */\n`;
  return `/* --- cacheline ${m.line} boundary (${m.boundary} bytes) was ${m.ago} byte${m.ago > 1 ? 's' : ''} ago --- */\n`;
}

function plural(n: number): string {
  return n !== 1 ? 's' : '';
}

function accessName(a: number | undefined): string | undefined {
  switch (a) {
    case 1:
      return 'public';
    case 2:
      return 'protected';
    case 3:
      return 'private';
  }
  return undefined;
}

// ---------------------------------------------------------------- type__fprintf

function isStructUnionEnum(t: Type): boolean {
  return t.kind === 'struct' || t.kind === 'class' || t.kind === 'union' || t.kind === 'enum';
}

/**
 * pahole's type__fprintf(): a declaration of `name` with type `id`, the type left-justified to the
 * type column. `name` null is C's NULL (struct-like member types print their name separately).
 * `inl` is the Layout of the anonymous aggregate this type expands to, if any.
 */
function typeDecl(id: TypeId, name: string | null, conf: Conf, inl: Layout | undefined, depth = 0): string {
  const table = conf.table;
  if (depth > MAX_DECL_DEPTH) return ljust('<ERROR: type loop>', conf.typeSpacing) + ' ' + (name ?? '');
  const rust = conf.language === DW_LANG_Rust && !conf.expand ? rustDeclaration(table, id, name, conf.typeSpacing) : undefined;
  if (rust !== undefined) return rust;
  const tconf: Conf = { ...conf };
  let out = '';
  let t = table.get(id);
  let tid = id;
  let nm = name;
  const innerStruct = (): void => {
    tconf.prefix = undefined;
    tconf.suffix = nm ?? undefined;
  };
  if (conf.expand && id !== VOID_TYPE && t.kind === 'typedef') {
    // pahole -E: "/* typedef a -> b */ " then the type the chain ends in
    let first = true;
    for (let g = 0; g < 64 && t.kind === 'typedef'; g++) {
      out += first ? `/* typedef ${t.name}` : ` -> ${t.name}`;
      first = false;
      tid = t.target;
      t = table.get(tid);
      if (tid === VOID_TYPE) break;
    }
    out += ' */ ';
    id = tid;
  }
  if (id !== VOID_TYPE && isStructUnionEnum(t)) innerStruct();
  if (id === VOID_TYPE) {
    return ljust('void', tconf.typeSpacing) + ' ' + (nm ?? '(null)');
  }
  for (let guard = 0; guard < 64; guard++) {
    switch (t.kind) {
      case 'pointer':
        if (t.pointerKind === 'pointer' && t.target !== VOID_TYPE) {
          const pt = table.get(t.target);
          if (pt.kind === 'function') {
            return out + functionTypeString(spell(tconf), pt, { name: nm ?? undefined, isPointer: true, typeSpacing: tconf.typeSpacing });
          }
          if (isStructUnionEnum(pt) && (pt as AggregateType | EnumType).name === undefined) {
            nm = '* ' + (nm ?? '(null)');
            tid = t.target;
            t = pt;
            tconf.typeSpacing -= 8;
            innerStruct();
            continue;
          }
        }
        return out + defaultDecl(tid, nm, tconf);
      case 'function':
        return out + functionTypeString(spell(tconf), t, { name: nm ?? undefined, typeSpacing: tconf.typeSpacing });
      case 'qualifier':
        if (t.qualifier === 'const') {
          out += 'const ';
          tconf.typeSpacing -= 6;
          if (t.target !== VOID_TYPE) {
            tid = t.target;
            t = table.get(tid);
            continue;
          }
        }
        return out + defaultDecl(tid, nm, tconf);
      case 'array':
        return out + arrayDecl(tid, nm, tconf, inl, depth + 1);
      case 'struct':
      case 'class':
        if (t.name !== undefined && !tconf.expand) {
          return out + `${t.kind === 'class' ? 'class' : 'struct'} ${ljust(t.name, tconf.typeSpacing - 7)} ${nm ?? ''}`;
        }
        tconf.typeSpacing -= 8;
        if (!inl) return out + `struct {} ${nm ?? ''}`;
        return out + renderClassBody(inl, tconf);
      case 'union':
        if (t.name !== undefined && !tconf.expand) return out + `union ${ljust(t.name, tconf.typeSpacing - 6)} ${nm ?? ''}`;
        tconf.typeSpacing -= 8;
        if (!inl) return out + `union {} ${nm ?? ''}`;
        return out + renderUnionBody(inl, tconf);
      case 'enum':
        if (t.name !== undefined && !(tconf.expand && tconf.dialect.expandEnums)) return out + `enum ${ljust(t.name, tconf.typeSpacing - 5)} ${nm ?? ''}`;
        return out + renderEnumBody(t, tconf);
      default:
        return out + defaultDecl(tid, nm, tconf);
    }
  }
  return out + defaultDecl(tid, nm, tconf);
}

function defaultDecl(id: TypeId, name: string | null, conf: Conf): string {
  return ljust(typeName(spell(conf), id), conf.typeSpacing) + ' ' + (name ?? '(null)');
}

/** array_type__fprintf() */
function arrayDecl(id: TypeId, name: string | null, conf: Conf, inl: Layout | undefined, depth = 0): string {
  const table = conf.table;
  const at = table.get(id);
  if (at.kind !== 'array') return defaultDecl(id, name, conf);
  let elem = at.element;
  const dims = at.dims.map((d) => d ?? 0);
  const et = table.get(elem);
  if (dims.length >= 1 && dims[0] === 0 && et.kind === 'qualifier' && et.qualifier === 'const') elem = et.target;
  let out = typeDecl(elem, name, conf, inl, depth + 1);
  let flat = 0;
  for (let i = 0; i < dims.length; i++) {
    const n = dims[i]!;
    if (at.vector) {
      if (n === 0 && i === 0) break;
      flat = flat === 0 ? n : flat * n;
    } else {
      const single = conf.lastMember && conf.firstMember;
      if (n !== 0 || !conf.lastMember || single || conf.unionMember) out += `[${n}]`;
      else out += '[]';
    }
  }
  if (at.vector) {
    if (flat === 0) flat = 1;
    // tag__size(tag__follow_typedef(array)): the element type with typedefs followed.
    let e = at.element;
    for (let g = 0; g < 64; g++) {
      const t = table.get(e);
      if (t.kind === 'typedef') e = t.target;
      else break;
    }
    out += ` __attribute__ ((__vector_size__ (${flat * sizeForVector(table, e)})))`;
  }
  return out;
}

function sizeForVector(table: TypeTable, id: TypeId): number {
  return table.sizeOf(id);
}

// ---------------------------------------------------------------- members

/** class_member__fprintf(): one member line (no indentation, no newline). */
function memberLine(ml: MemberLayout, member: Member, unionMember: boolean, conf: Conf): string {
  const table = conf.table;
  const sconf: Conf = { ...conf };
  let cacheline = '';
  if (ml.cacheline) cacheline = cachelineText(ml.cacheline) + tabs(conf.indent);
  let out = '';
  const cmName = member.name;
  let name = cmName;
  if (ml.role === 'base') {
    name = '<ancestor>';
    out += '/* ';
  }
  if (ml.role === 'static') out += 'static ';
  const type = table.get(ml.type);
  const structLike = ml.type !== VOID_TYPE && isStructUnionEnum(type);
  const anonymous = structLike && (type as AggregateType | EnumType).name === undefined;
  if (structLike) {
    out += typeDecl(ml.type, null, sconf, ml.inline);
    if (name !== undefined) {
      if (anonymous || (conf.expand && conf.dialect.expandEnums)) out += ' ';
      out += name;
    }
  } else {
    out += typeDecl(ml.type, name ?? '(null)', sconf, ml.inline);
  }
  if (ml.role === 'static') {
    if (member.constValue !== undefined && member.constValue !== 0n) out += ` = ${BigInt.asUintN(64, member.constValue)}`;
  } else if (ml.bitfield) {
    out += `:${ml.bitfield.width}`;
  }
  let alignPrinted = 0;
  if (ml.alignment) {
    const a = ` __attribute__((__aligned__(${ml.alignment})))`;
    alignPrinted = a.length;
    out += a;
  }
  out += ';';
  const bitPos = ml.bitfield ? ml.bitfield.position : undefined;
  if (anonymous) {
    let slen = alignPrinted + (cmName !== undefined ? cmName.length : -1);
    if ((type.kind === 'struct' || type.kind === 'class') && ml.inline?.packed) slen += 28;
    out += padSpaces(sconf.typeSpacing + sconf.nameSpacing - slen - 3);
    out += offsetComment(sconf, ml.offset, ml.size, bitPos);
  } else {
    let spacing = sconf.typeSpacing + sconf.nameSpacing - out.length;
    if (ml.role === 'base') {
      out += ' */';
      spacing -= 3;
    }
    out += padSpaces(spacing > 0 ? spacing : 0);
    out += offsetComment(sconf, ml.offset, ml.size, bitPos);
  }
  return cacheline + out;
}

function aggregateOf(conf: Conf, layout: Layout): AggregateType {
  return conf.table.get(layout.type) as AggregateType;
}

// ---------------------------------------------------------------- unions

/** union__fprintf() */
function renderUnionBody(layout: Layout, conf: Conf): string {
  const t = aggregateOf(conf, layout);
  const indent = Math.min(conf.indent, 15);
  let out = '';
  if (conf.prefix !== undefined) out += conf.prefix + ' ';
  out += 'union' + (t.name !== undefined ? ' ' + t.name : '') + ' {\n';
  const uconf: Conf = { ...conf, indent: indent + 1, unionMember: true };
  for (const ml of layout.members) {
    out += tabs(uconf.indent) + memberLine(ml, t.members[ml.index]!, true, uconf) + '\n';
  }
  out += tabs(indent) + '}' + (conf.suffix !== undefined ? ' ' + conf.suffix : '');
  return out;
}

// ---------------------------------------------------------------- enums

function isSignedEnum(table: TypeTable, t: EnumType): boolean {
  if (t.underlying === undefined || t.underlying === VOID_TYPE) return false;
  const u = table.get(t.underlying);
  return u.kind === 'base' && (u.encoding === 0x5 || u.encoding === 0x6);
}

/** enumeration__fprintf() */
function renderEnumBody(t: EnumType, conf: Conf): string {
  let out = 'enum' + (t.name !== undefined ? ' ' + t.name : '');
  const indent = Math.min(conf.indent, 15);
  if (t.enumerators.length === 0) return out;
  out += ' {\n';
  let maxLen = 0;
  for (const e of t.enumerators) if (e.name.length > maxLen) maxLen = e.name.length;
  const signed = isSignedEnum(conf.table, t);
  for (const e of t.enumerators) {
    let v: string;
    if (conf.hex) {
      const u = BigInt.asUintN(64, e.value);
      v = u === 0n ? '0' : '0x' + u.toString(16);
    } else v = signed ? BigInt.asIntN(64, e.value).toString() : BigInt.asUintN(64, e.value).toString();
    out += `${tabs(indent)}\t${e.name.padEnd(maxLen)} = ${v},\n`;
  }
  out += tabs(indent) + '}';
  const size = t.size > 0 ? t.size : 4;
  if (size !== 4) out += ' __attribute__((__packed__))';
  if (conf.suffix !== undefined) out += ' ' + conf.suffix;
  return out;
}

// ---------------------------------------------------------------- typedefs

/** typedef__fprintf() */
function renderTypedef(id: TypeId, conf: Conf, inl: Layout | undefined): string {
  const table = conf.table;
  const td = table.get(id);
  if (td.kind !== 'typedef') return '';
  if (td.target === VOID_TYPE) return `typedef void ${td.name}`;
  const tt = table.get(td.target);
  switch (tt.kind) {
    case 'array':
      return 'typedef ' + arrayDecl(td.target, td.name, conf, undefined);
    case 'pointer':
      if (tt.pointerKind === 'pointer' && tt.target !== VOID_TYPE) {
        const pt = table.get(tt.target);
        if (pt.kind === 'function') return 'typedef ' + functionTypeString(spell(conf), pt, { name: td.name, isPointer: true });
      }
      break;
    case 'function':
      return 'typedef ' + functionTypeString(spell(conf), tt, { name: td.name });
    case 'struct':
    case 'class':
      if (tt.name !== undefined) return `typedef struct ${tt.name} ${td.name}`;
      if (inl) return 'typedef ' + renderClassBody(inl, { ...conf, suffix: td.name });
      break;
    case 'enum':
      if (tt.name !== undefined) return `typedef enum ${tt.name} ${td.name}`;
      return 'typedef ' + renderEnumBody(tt, { ...conf, suffix: td.name });
  }
  return `typedef ${typeName(spell(conf), td.target)} ${td.name}`;
}

// ---------------------------------------------------------------- classes

/** pahole 1.31 class__fprintf_member_type_holes(): "a flexible array, 4 bytes of padding, 1 hole". */
function memberTypeFactsText(f: MemberTypeFacts): string {
  const parts: string[] = [];
  if (f.flexibleArray) parts.push('a flexible array');
  if (f.embeddedFlexibleArray) parts.push('embedded flexible array(s)');
  if (f.padding) parts.push(`${f.padding} byte${plural(f.padding)} of padding`);
  if (f.bitPadding) parts.push(`${f.bitPadding} bit${plural(f.bitPadding)} of padding`);
  if (f.holes) parts.push(`${f.holes} hole${plural(f.holes)}`);
  if (f.bitHoles) parts.push(`${f.bitHoles} bit hole${plural(f.bitHoles)}`);
  return parts.join(', ');
}

/** pahole 1.31's `/* member types with holes: N, total: N, bit holes: …, bit paddings: … *\/`. */
function memberTypesLine(s: LayoutSummary, ind: string): string {
  const parts: string[] = [];
  if (s.memberTypesWithHoles > 0) parts.push(`holes: ${s.memberTypesWithHoles}, total: ${s.memberTypesTotalHoles}`);
  if (s.memberTypesWithBitHoles > 0) parts.push(`bit holes: ${s.memberTypesWithBitHoles}, total: ${s.memberTypesTotalBitHoles}`);
  if (s.memberTypesWithBitPaddings > 0) {
    const n = s.memberTypesSumBitPaddings;
    parts.push(`bit paddings: ${s.memberTypesWithBitPaddings}, total: ${n} bit${n > 1 ? 's' : ''}`);
  }
  return parts.length ? `${ind}/* member types with ${parts.join(', ')} */\n` : '';
}

/** pahole 1.31's `/* flexible array members: end: N, middle: M *\/`. */
function flexibleArraysLine(s: LayoutSummary, ind: string): string {
  const parts: string[] = [];
  if (s.flexibleArrayMembersEnd > 0) parts.push(`end: ${s.flexibleArrayMembersEnd}`);
  if (s.flexibleArrayMembersMiddle > 0) parts.push(`middle: ${s.flexibleArrayMembersMiddle}`);
  return parts.length ? `${ind}/* flexible array members: ${parts.join(', ')} */\n` : '';
}

function itemAccessibility(layout: Layout, t: AggregateType, item: LayoutItem): number | undefined {
  if (item.kind === 'member') return t.members[layout.members[item.member]!.index]!.accessibility;
  if (item.kind === 'method') return item.method.accessibility;
  return undefined;
}

/** tag__fprintf() for a non-member child of a class, without the trailing "\n\n". */
function renderNestedItem(item: LayoutItem, conf: Conf): string {
  const table = conf.table;
  let out = tabs(conf.indent);
  switch (item.kind) {
    case 'type': {
      const t = table.get(item.type);
      if (isAggregate(t)) {
        if (item.layout) out += t.kind === 'union' ? renderUnionBody(item.layout, conf) : renderClassBody(item.layout, conf);
        else out += `${t.kind} ${t.name ?? ''}`;
      } else if (t.kind === 'enum') out += renderEnumBody(t, conf);
      else if (t.kind === 'typedef') out += renderTypedef(item.type, conf, item.layout);
      out += ';';
      return out;
    }
    case 'method':
      out += methodString(spell(conf), item.method) + ';';
      if (item.method.linkageName !== undefined) out += ` /* linkage=${item.method.linkageName} */`;
      return out;
    case 'variable':
      if (item.name !== undefined) {
        if (item.external && item.declaration) out += 'extern ';
        out += typeDecl(item.type, item.name, conf, undefined);
      }
      return out + ';';
    default:
      return out;
  }
}

/** __class__fprintf() */
function renderClassBody(layout: Layout, conf: Conf): string {
  const table = conf.table;
  const t = aggregateOf(conf, layout);
  const s = layout.summary;
  let out = '';
  if (conf.prefix !== undefined) out += conf.prefix + ' ';
  out += (t.kind === 'class' ? 'class' : 'struct') + (t.name !== undefined ? ' ' + t.name : '');
  const indent = Math.min(conf.indent, 15);
  const cconf: Conf = { ...conf, indent: indent + 1 };
  const ind = tabs(cconf.indent);

  let first = true;
  const inheritanceOrder = layout.items
    ? layout.items.filter((i) => i.kind === 'member').map((i) => layout.members[(i as { member: number }).member]!)
    : layout.members;
  for (const ml of inheritanceOrder) {
    if (ml.role !== 'base') continue;
    const m = t.members[ml.index]!;
    out += first ? ' :' : ',';
    first = false;
    if (m.isVirtualBase) out += ' virtual';
    const acc = accessName(m.accessibility);
    if (acc) out += ' ' + acc;
    const bt = table.get(m.type);
    out += ' ' + ('name' in bt && bt.name !== undefined ? bt.name : '(null)');
  }
  out += ' {\n';

  let newline = 0;
  if (layout.preBitHole > 0) {
    if (!newline++) out += '\n';
    out += `${ind}/* XXX ${layout.preBitHole} bit${plural(layout.preBitHole)} hole, try to pack */\n`;
  }
  if (layout.preHole > 0) {
    if (!newline++) out += '\n';
    out += `${ind}/* XXX ${layout.preHole} byte${plural(layout.preHole)} hole, try to pack */\n`;
  }

  const items: LayoutItem[] = layout.items ?? layout.members.map((_, i) => ({ kind: 'member', member: i }) as LayoutItem);
  let currentAccess: string | undefined;
  for (const item of items) {
    const acc = accessName(itemAccessibility(layout, t, item));
    if (acc !== undefined && acc !== currentAccess) {
      currentAccess = acc;
      out += `${tabs(cconf.indent - 1)}${acc}:\n\n`;
    }
    if (item.kind !== 'member') {
      if (!cconf.onlyDataMembers) out += renderNestedItem(item, cconf) + '\n\n';
      continue;
    }
    const ml = layout.members[item.member]!;
    const member = t.members[ml.index]!;
    if (ml.explicitPadding) {
      if (ml.explicitPadding.forceAlignment) out += `\n${ind}/* Force alignment to the next boundary: */\n`;
      out += ind + typeDecl(ml.type, '', { ...cconf, lastMember: !!ml.lastMember, firstMember: !!ml.firstMember }, undefined);
      out += `:${ml.explicitPadding.width};\n`;
    }
    if (ml.combined) {
      if (!newline++) out += '\n';
      out += `${ind}/* Bitfield combined with ${ml.combined} fields */\n`;
    }
    if (newline) {
      out += '\n';
      newline = 0;
    }
    const mconf: Conf = { ...cconf, lastMember: !!ml.lastMember, firstMember: !!ml.firstMember };
    out += ind + memberLine(ml, member, false, mconf);
    if (cconf.dialect.memberTypeHoles) {
      if (ml.typeFacts) {
        if (!newline++) out += '\n';
        out += `\n${ind}/* XXX last struct has ${memberTypeFactsText(ml.typeFacts)} */`;
      }
    } else if (ml.typePadding !== undefined && ml.typePadding > 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX last struct has ${ml.typePadding} byte${plural(ml.typePadding)} of padding */`;
    }
    if (ml.bitHole !== 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX ${ml.bitHole} bit${plural(ml.bitHole)} hole, try to pack */`;
    }
    if (ml.hole > 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX ${ml.hole} byte${plural(ml.hole)} hole, try to pack */`;
    }
    out += '\n';
  }

  if (layout.forcePadding) {
    const fp = layout.forcePadding;
    out += `\n${ind}/* Force padding: */\n`;
    for (let i = 0; i < fp.count; i++) out += ind + typeDecl(fp.type, '', cconf, fp.inline) + `:${fp.unitBits};\n`;
  }

  if (layout.vtable && layout.vtable.length && !cconf.onlyDataMembers) {
    out += `${ind}/* vtable has ${layout.vtable.length} entries: {\n`;
    for (const v of layout.vtable) out += `${ind}   [${v.index}] = ${v.name ?? '(null)'}(${v.linkageName ?? '(null)'}), \n`;
    out += `${ind}} */`;
  }

  if (layout.emitStats) {
    out += `\n${ind}/* size: ${s.size}, cachelines: ${s.cachelines}, members: ${s.members}`;
    out += s.staticMembers !== 0 ? `, static members: ${s.staticMembers} */\n` : ' */\n';
    if (s.sumHoles > 0 || s.sumBitHoles > 0) {
      if (s.sumMembers > 0) {
        out += `${ind}/* sum members: ${s.sumMembers}`;
        if (s.sumHoles > 0) out += `, holes: ${s.holes}, sum holes: ${s.sumHoles}`;
        out += ' */\n';
      }
      if (s.sumBitfieldMembers > 0) {
        out += `${ind}/* sum bitfield members: ${s.sumBitfieldMembers} bits`;
        if (s.sumBitHoles > 0) out += `, bit holes: ${s.bitHoles}, sum bit holes: ${s.sumBitHoles} bits`;
        else out += ` (${Math.floor(s.sumBitfieldMembers / 8)} bytes)`;
        out += ' */\n';
      }
    }
    if (s.padding > 0) out += `${ind}/* padding: ${s.padding} */\n`;
    if (cconf.dialect.memberTypeSummary) out += memberTypesLine(s, ind);
    if (s.paddings > 0) out += `${ind}/* paddings: ${s.paddings}, sum paddings: ${s.sumPaddings} */\n`;
    if (s.bitPadding > 0) out += `${ind}/* bit_padding: ${s.bitPadding} bits */\n`;
    if (s.forcedAlignments !== 0) {
      out += `${ind}/* forced alignments: ${s.forcedAlignments}`;
      if (s.forcedHoles !== 0) out += `, forced holes: ${s.forcedHoles}, sum forced holes: ${s.sumForcedHoles}`;
      out += ' */\n';
    }
    if (cconf.dialect.memberTypeSummary) out += flexibleArraysLine(s, ind);
    if (s.lastCacheline !== 0) out += `${ind}/* last cacheline: ${s.lastCacheline} bytes */\n`;
    if (s.accountingDiff !== 0 && s.members !== 0) {
      out +=
        `\n${ind}/* BRAIN FART ALERT! ${s.size} bytes != ${s.sumMembers} (member bytes) + ${s.sumBitfieldMembers} (member bits) ` +
        `+ ${s.sumHoles} (byte holes) + ${s.sumBitHoles} (bit holes), diff = ${s.accountingDiff} bits */\n`;
    }
    out += groupsComment(layout.groups, ind);
  }
  out += tabs(indent) + '}';
  if (layout.packed) out += ' __attribute__((__packed__))';
  if (conf.suffix !== undefined) out += ' ' + conf.suffix;
  if (layout.alignment && !layout.packed) out += ` __attribute__((__aligned__(${layout.alignment})))`;
  return out;
}

// ---------------------------------------------------------------- public API

function topConf(table: TypeTable, t: Type, opts: PaholeOptions): Conf {
  return {
    table,
    indent: 0,
    typeSpacing: 26,
    nameSpacing: opts.expand ? 55 : t.kind === 'union' ? 21 : 23,
    hex: opts.hex ?? false,
    expand: opts.expand ?? false,
    onlyDataMembers: opts.onlyDataMembers ?? false,
    dialect: dialectOf(opts.pahole),
    language: isAggregate(t) ? t.language : undefined,
    unionMember: false,
    lastMember: false,
    firstMember: false,
  };
}

/** Render a computed Layout as pahole's block for it (with the closing `;`, no newline). */
export function renderLayout(table: TypeTable, layout: Layout, opts: PaholeOptions = {}): string {
  const t = table.get(layout.type);
  const conf = topConf(table, t, opts);
  return (t.kind === 'union' ? renderUnionBody(layout, conf) : renderClassBody(layout, conf)) + ';';
}

/**
 * Render what the layout step computed for one type (layout/computed.ts typeBlock/fileBlocks) as
 * pahole prints it: an aggregate or enum with its closing `;`, a typedef, or a type's name.
 */
export function renderBlock(table: TypeTable, block: TypeBlock, opts: PaholeOptions = {}): string {
  const t = table.get(block.id);
  // the dialect the layout was computed for, unless the caller names one
  const computedFor = block.kind === 'aggregate' ? block.layout.dialect : block.kind === 'typedef' ? block.inline?.dialect : undefined;
  const conf = topConf(table, t, { ...opts, pahole: opts.pahole ?? computedFor });
  if (isAggregate(t) && t.variantPart) return renderRustEnum(table, t, opts.cachelineSize) + ';';
  if (block.kind === 'aggregate') return (t.kind === 'union' ? renderUnionBody(block.layout, conf) : renderClassBody(block.layout, conf)) + ';';
  if (block.kind === 'enum' && t.kind === 'enum') return renderEnumBody(t, conf) + ';';
  if (block.kind === 'typedef') return renderTypedef(block.id, conf, block.inline) + ';';
  return typeName(spell(conf), block.id);
}

/** pahole.c type__compare(): name, size, member count, member names, bit offsets, bit-field widths. */
export function printableTypes(table: TypeTable): TypeId[] {
  const printed = new StructureTree();
  const out: TypeId[] = [];
  for (const id of table.definitions) {
    const t = table.get(id);
    if (!isAggregate(t)) continue;
    if (t.declaration || t.name === undefined || t.topLevel === false) continue;
    if (printed.add(structureSignature(t))) out.push(id);
  }
  return out;
}

/** `pahole --sizes` lines: `name\tsize\tholes` (holes are 0 for unions), each with its newline. */
export function renderSizesRows(rows: readonly SizesRow[]): string {
  return rows.map((r) => `${r.name}\t${r.size}\t${r.holes}\n`).join('');
}
