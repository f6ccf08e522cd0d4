/**
 * pahole's declarators (dwarves_fprintf.c type__fprintf, array_type__fprintf, class_member__fprintf,
 * enumeration__fprintf): one member line, a type with a name left-justified to the type column.
 * Anonymous struct/union bodies printed inline come from conf.body (report/pahole-body.ts).
 *
 * Hot path of a whole-file dump: no configuration copy unless the declarator changes it, type
 * spellings memoised per table (Conf.names).
 */
import { DW_LANG_Rust, rustDeclaration } from './rust.js';
import { VOID_TYPE, type AggregateType, type EnumType, type Member, type Type, type TypeId } from '../model/types.js';
import type { Layout, MemberLayout } from '../layout/types.js';
import { functionTypeString } from './ctype.js';
import { spelledName, type Conf } from './pahole-conf.js';
import { cachelineText, leftJustify, offsetComment, padSpaces, tabs } from './pahole-format.js';

const MAX_DECL_DEPTH = 32;

export function isStructUnionEnum(t: Type): boolean {
  return t.kind === 'struct' || t.kind === 'class' || t.kind === 'union' || t.kind === 'enum';
}

/** A copy of conf with the declarator's changes, or conf itself when there are none. */
function derive(conf: Conf, typeSpacing: number, prefix: string | undefined, suffix: string | undefined): Conf {
  if (typeSpacing === conf.typeSpacing && prefix === conf.prefix && suffix === conf.suffix) return conf;
  return { ...conf, typeSpacing, prefix, suffix };
}

/**
 * pahole's type__fprintf(): a declaration of `name` with type `id`, the type left-justified to the
 * type column. `name` null is C's NULL (struct-like member types print their name separately).
 * `inl` is the Layout of the anonymous aggregate this type expands to, if any.
 */
export function typeDecl(id: TypeId, name: string | null, conf: Conf, inl: Layout | undefined, depth = 0): string {
  const table = conf.table;
  if (depth > MAX_DECL_DEPTH) return leftJustify('<ERROR: type loop>', conf.typeSpacing) + ' ' + (name ?? '');
  const rust = conf.language === DW_LANG_Rust && !conf.expand ? rustDeclaration(table, id, name, conf.typeSpacing) : undefined;
  if (rust !== undefined) return rust;
  let typeSpacing = conf.typeSpacing;
  let prefix = conf.prefix;
  let suffix = conf.suffix;
  let out = '';
  let t = table.get(id);
  let tid = id;
  let nm = name;
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
  if (id === VOID_TYPE) return leftJustify('void', typeSpacing) + ' ' + (nm ?? '(null)');
  if (isStructUnionEnum(t)) {
    prefix = undefined;
    suffix = nm ?? undefined;
  }
  for (let guard = 0; guard < 64; guard++) {
    switch (t.kind) {
      case 'pointer':
        if (t.pointerKind === 'pointer' && t.target !== VOID_TYPE) {
          const pt = table.get(t.target);
          if (pt.kind === 'function') {
            return out + functionTypeString({ table, language: conf.language }, pt, { name: nm ?? undefined, isPointer: true, typeSpacing });
          }
          if (isStructUnionEnum(pt) && (pt as AggregateType | EnumType).name === undefined) {
            nm = '* ' + (nm ?? '(null)');
            tid = t.target;
            t = pt;
            typeSpacing -= 8;
            prefix = undefined;
            suffix = nm;
            continue;
          }
        }
        return out + defaultDecl(conf, tid, nm, typeSpacing);
      case 'function':
        return out + functionTypeString({ table, language: conf.language }, t, { name: nm ?? undefined, typeSpacing });
      case 'qualifier':
        if (t.qualifier === 'const') {
          out += 'const ';
          typeSpacing -= 6;
          if (t.target !== VOID_TYPE) {
            tid = t.target;
            t = table.get(tid);
            continue;
          }
        }
        return out + defaultDecl(conf, tid, nm, typeSpacing);
      case 'array':
        return out + arrayDecl(tid, nm, derive(conf, typeSpacing, prefix, suffix), inl, depth + 1);
      case 'struct':
      case 'class':
        if (t.name !== undefined && !conf.expand) {
          return out + (t.kind === 'class' ? 'class ' : 'struct ') + leftJustify(t.name, typeSpacing - 7) + ' ' + (nm ?? '');
        }
        typeSpacing -= 8;
        if (!inl) return out + `struct {} ${nm ?? ''}`;
        return out + conf.body(inl, derive(conf, typeSpacing, prefix, suffix), false);
      case 'union':
        if (t.name !== undefined && !conf.expand) return out + 'union ' + leftJustify(t.name, typeSpacing - 6) + ' ' + (nm ?? '');
        typeSpacing -= 8;
        if (!inl) return out + `union {} ${nm ?? ''}`;
        return out + conf.body(inl, derive(conf, typeSpacing, prefix, suffix), true);
      case 'enum':
        if (t.name !== undefined && !(conf.expand && conf.dialect.expandEnums)) return out + 'enum ' + leftJustify(t.name, typeSpacing - 5) + ' ' + (nm ?? '');
        return out + renderEnumBody(t, derive(conf, typeSpacing, prefix, suffix));
      default:
        return out + defaultDecl(conf, tid, nm, typeSpacing);
    }
  }
  return out + defaultDecl(conf, tid, nm, typeSpacing);
}

function defaultDecl(conf: Conf, id: TypeId, name: string | null, typeSpacing: number): string {
  return leftJustify(spelledName(conf, id), typeSpacing) + ' ' + (name ?? '(null)');
}

/** array_type__fprintf() */
export function arrayDecl(id: TypeId, name: string | null, conf: Conf, inl: Layout | undefined, depth = 0): string {
  const table = conf.table;
  const at = table.get(id);
  if (at.kind !== 'array') return defaultDecl(conf, id, name, conf.typeSpacing);
  let elem = at.element;
  const dims = at.dims;
  const et = table.get(elem);
  if (dims.length >= 1 && !dims[0] && et.kind === 'qualifier' && et.qualifier === 'const') elem = et.target;
  let out = typeDecl(elem, name, conf, inl, depth + 1);
  let flat = 0;
  for (let i = 0; i < dims.length; i++) {
    const n = dims[i] ?? 0;
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
    out += ` __attribute__ ((__vector_size__ (${flat * table.sizeOf(e)})))`;
  }
  return out;
}

/** class_member__fprintf(): one member line (no indentation, no newline). */
export function memberLine(ml: MemberLayout, member: Member, conf: Conf): string {
  const table = conf.table;
  let out = '';
  const cmName = member.name;
  let name = cmName;
  if (ml.role === 'base') {
    name = '<ancestor>';
    out = '/* ';
  } else if (ml.role === 'static') out = 'static ';
  const type = table.get(ml.type);
  const structLike = ml.type !== VOID_TYPE && isStructUnionEnum(type);
  const anonymous = structLike && (type as AggregateType | EnumType).name === undefined;
  if (structLike) {
    out += typeDecl(ml.type, null, conf, ml.inline);
    if (name !== undefined) {
      if (anonymous || (conf.expand && conf.dialect.expandEnums)) out += ' ';
      out += name;
    }
  } else {
    out += typeDecl(ml.type, name ?? '(null)', conf, ml.inline);
  }
  if (ml.role === 'static') {
    if (member.constValue !== undefined && member.constValue !== 0n) out += ` = ${BigInt.asUintN(64, member.constValue)}`;
  } else if (ml.bitfield) {
    out += ':' + ml.bitfield.width;
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
    out += padSpaces(conf.typeSpacing + conf.nameSpacing - slen - 3);
  } else {
    let spacing = conf.typeSpacing + conf.nameSpacing - out.length;
    if (ml.role === 'base') {
      out += ' */';
      spacing -= 3;
    }
    out += padSpaces(spacing > 0 ? spacing : 0);
  }
  out += offsetComment(conf.hex, ml.offset, ml.size, bitPos);
  return ml.cacheline ? cachelineText(ml.cacheline) + tabs(conf.indent) + out : out;
}

const INT64_MIN = -(2n ** 63n);
const INT64_END = 2n ** 63n;
const UINT64_END = 2n ** 64n;

/** An enumerator's value as pahole prints it (%lld / %llu, or %#llx with --hex). */
function enumValue(value: bigint, signed: boolean, hex: boolean): string {
  if (hex) {
    const u = value >= 0n && value < UINT64_END ? value : BigInt.asUintN(64, value);
    return u === 0n ? '0' : '0x' + u.toString(16);
  }
  if (signed) return (value >= INT64_MIN && value < INT64_END ? value : BigInt.asIntN(64, value)).toString();
  return (value >= 0n && value < UINT64_END ? value : BigInt.asUintN(64, value)).toString();
}

function isSignedEnum(conf: Conf, t: EnumType): boolean {
  if (t.underlying === undefined || t.underlying === VOID_TYPE) return false;
  const u = conf.table.get(t.underlying);
  return u.kind === 'base' && (u.encoding === 0x5 || u.encoding === 0x6);
}

/** enumeration__fprintf() */
export function renderEnumBody(t: EnumType, conf: Conf): string {
  let out = t.name !== undefined ? 'enum ' + t.name : 'enum';
  const indent = Math.min(conf.indent, 15);
  if (t.enumerators.length === 0) return out;
  out += ' {\n';
  let maxLen = 0;
  for (const e of t.enumerators) if (e.name.length > maxLen) maxLen = e.name.length;
  const signed = isSignedEnum(conf, t);
  const lead = tabs(indent) + '\t';
  for (const e of t.enumerators) out += lead + leftJustify(e.name, maxLen) + ' = ' + enumValue(e.value, signed, conf.hex) + ',\n';
  out += tabs(indent) + '}';
  const size = t.size > 0 ? t.size : 4;
  if (size !== 4) out += ' __attribute__((__packed__))';
  if (conf.suffix !== undefined) out += ' ' + conf.suffix;
  return out;
}
