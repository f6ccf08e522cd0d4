/**
 * C type spelling exactly as pahole 1.24 prints it (dwarves_fprintf.c: __tag__name, tag__ptr_name,
 * ftype__fprintf, ftype__fprintf_parms). Pure functions of the TypeTable; used by the pahole text
 * renderer and reusable by JSON output.
 *
 * pahole's spellings have oddities that scripts depend on, kept on purpose:
 * - qualifiers leave a trailing space: `const char ` + ` *` → `const char  *`;
 * - a const pointer target: `const char  * const *`;
 * - function types: `int ()(int, void *)`; pointers to them in declarations `void (*fn)(int)`;
 * - an array spells only its element type (dimensions belong to the declarator);
 * - anonymous aggregates spell as `struct ` (with the space), rvalue references as the empty string;
 * - DW_TAG_structure_type spells `class X` only in units whose language is exactly DW_LANG_C_plus_plus.
 */
import { VOID_TYPE, type FunctionType, type Method, type Type, type TypeId } from '../model/types.js';
import type { TypeTable } from '../model/table.js';
import { DW_LANG_Rust, rustTypeName } from './rust.js';

/** DW_LANG_C_plus_plus (C++98); later C++ language codes keep `struct`. */
export const DW_LANG_C_plus_plus = 0x4;

export interface SpellContext {
  table: TypeTable;
  /** DW_AT_language of the unit being printed. */
  language?: number;
}

const MAX_DEPTH = 48;

/**
 * Longest parameter list spelled. Real prototypes are far shorter; a hostile one whose parameters
 * are itself (or a chain of such types) would otherwise grow exponentially with the depth, since
 * every level spells every parameter again.
 */
const MAX_PARAMS_CHARS = 4096;
const TRUNCATED = '...<truncated>';

/**
 * Steps one top-level spelling may take. A hostile function type that returns itself and takes
 * itself as a parameter branches at every level, so the depth bound alone still allows 2^48 steps;
 * real declarations need a few dozen. Reset by every call at depth 0 (the spellers are synchronous
 * and never interleave).
 */
const MAX_SPELL_STEPS = 10_000;
let stepsLeft = MAX_SPELL_STEPS;

/** True when this spelling must stop: too deep, or out of steps. */
function exhausted(depth: number): boolean {
  if (depth === 0) stepsLeft = MAX_SPELL_STEPS;
  return depth > MAX_DEPTH || --stepsLeft < 0;
}

/** C printf `%-*s`: left-justify to |width| (a negative width also means left-justify). */
export function ljust(s: string, width: number): string {
  return s.padEnd(Math.abs(width));
}
const LOOP = '<ERROR: type loop>';

/** pahole's tag__name(): the type spelled without a declarator name. */
export function typeName(ctx: SpellContext, id: TypeId, depth = 0): string {
  if (exhausted(depth)) return LOOP;
  if (id === VOID_TYPE) return 'void';
  const rust = ctx.language === DW_LANG_Rust ? rustTypeName(ctx.table, id, depth) : undefined;
  if (rust !== undefined) return rust;
  const t = ctx.table.get(id);
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'base':
      if (t.encoding === 0 && isUnspecified(t)) return 'void ';
      return t.btfFloat ? `single ${t.name}` : t.name; // pahole's base_type__name() for BT_FP_SINGLE
    case 'pointer':
      switch (t.pointerKind) {
        case 'pointer':
          return pointerName(ctx, t.target, '*', depth);
        case 'reference':
          return pointerName(ctx, t.target, '&', depth);
        case 'ptr_to_member': {
          const cls = t.containingType !== undefined ? ctx.table.get(t.containingType) : undefined;
          const cname = cls && 'name' in cls && cls.name !== undefined ? cls.name : '(null)';
          return pointerName(ctx, t.target, `${cname}::*`, depth);
        }
        case 'rvalue_reference':
          // pahole loads DW_TAG_rvalue_reference_type as a nameless typedef.
          return '';
      }
      return '';
    case 'qualifier': {
      const inner = t.target === VOID_TYPE ? 'void' : typeName(ctx, t.target, depth + 1);
      switch (t.qualifier) {
        case 'const':
          return `const ${inner} `;
        case 'volatile':
          return `volatile ${inner} `;
        case 'restrict':
          return `${inner} restrict `;
        case 'atomic':
          // pahole 1.24 does not load DW_TAG_atomic_type at all; spell it like a qualifier.
          return `_Atomic ${inner} `;
      }
      return inner;
    }
    case 'array':
      return typeName(ctx, t.element, depth + 1);
    case 'function':
      return functionTypeString(ctx, t, { depth: depth + 1 });
    case 'struct':
      return `${ctx.language === DW_LANG_C_plus_plus ? 'class ' : 'struct '}${t.name ?? ''}`;
    case 'class':
      return `class ${t.name ?? ''}`;
    case 'union':
      return `union ${t.name ?? ''}`;
    case 'enum':
      return `enum ${t.name ?? ''}`;
    case 'typedef':
      return t.name;
    case 'unresolved':
      return `<ERROR: ${t.reason}>`;
  }
}

/** DW_TAG_unspecified_type arrives as a base type without encoding (decltype(nullptr)). */
function isUnspecified(t: Type): boolean {
  return t.kind === 'base' && t.encoding === 0;
}

/** pahole's tag__ptr_name(). */
function pointerName(ctx: SpellContext, target: TypeId, suffix: string, depth: number): string {
  if (target === VOID_TYPE) return `void ${suffix}`;
  let type = target;
  let constPointer = '';
  const t = ctx.table.get(type);
  if (t.kind === 'qualifier' && t.qualifier === 'const' && t.target !== VOID_TYPE) {
    const next = ctx.table.get(t.target);
    if (next.kind === 'pointer' && next.pointerKind === 'pointer') {
      constPointer = 'const ';
      type = t.target;
    }
  }
  return `${typeName(ctx, type, depth + 1)} ${constPointer}${suffix}`;
}

export interface FtypeOptions {
  /** Declarator name (`raw_fn`), or undefined. */
  name?: string;
  inlined?: boolean;
  /** Print `(*name)`. */
  isPointer?: boolean;
  /** Left-justify the return type to this width. */
  typeSpacing?: number;
  /** Wrap the name in parentheses (a prototype / function type), default true. */
  isPrototype?: boolean;
  depth?: number;
}

/** A function signature: return type, params and variadic flag, from a FunctionType or a Method. */
export interface Signature {
  returnType: TypeId;
  params: readonly TypeId[];
  paramNames?: readonly (string | undefined)[];
  variadic: boolean;
}

/** pahole's ftype__fprintf(). */
export function functionTypeString(ctx: SpellContext, fn: Signature | FunctionType, o: FtypeOptions = {}): string {
  const depth = o.depth ?? 0;
  if (exhausted(depth)) return LOOP;
  const stype = typeName(ctx, fn.returnType, depth + 1);
  const proto = o.isPrototype ?? true;
  const head =
    (o.inlined ? 'inline ' : '') +
    ljust(stype, o.typeSpacing ?? 0) +
    ' ' +
    (proto ? '(' : '') +
    (o.isPointer ? '*' : '') +
    (o.name ?? '') +
    (proto ? ')' : '');
  return head + paramsString(ctx, fn, depth + 1);
}

/** pahole's ftype__fprintf_parms() with indent 0. */
export function paramsString(ctx: SpellContext, fn: Signature | FunctionType, depth = 0): string {
  if (exhausted(depth)) return `(${LOOP})`;
  const names = 'paramNames' in fn ? fn.paramNames : undefined;
  let out = '(';
  let first = true;
  for (let i = 0; i < fn.params.length; i++) {
    if (!first) out += ', ';
    first = false;
    if (out.length > MAX_PARAMS_CHARS) {
      out += TRUNCATED;
      break;
    }
    const pid = fn.params[i]!;
    const name = names?.[i];
    const t = ctx.table.get(pid);
    if (pid !== VOID_TYPE && t.kind === 'pointer' && t.pointerKind === 'pointer' && t.target !== VOID_TYPE) {
      const pt = ctx.table.get(t.target);
      if (pt.kind === 'function') {
        out += functionTypeString(ctx, pt, { name, isPointer: true, depth: depth + 1 });
        continue;
      }
    } else if (t.kind === 'function') {
      out += functionTypeString(ctx, t, { name, inlined: true, isPrototype: false, depth: depth + 1 });
      continue;
    }
    const stype = typeName(ctx, pid, depth + 1);
    out += stype + (name !== undefined ? ' ' + name : '');
  }
  if (first) out += 'void)';
  else if (fn.variadic) out += ', ...)';
  else out += ')';
  return out;
}

/** A C++ member function as pahole's function__fprintf() spells it (without the `;`). */
export function methodString(ctx: SpellContext, m: Method): string {
  let out = '';
  if (m.virtuality === 1 || m.virtuality === 2) out += 'virtual ';
  // DW_INL_declared_not_inlined (2) or DW_INL_declared_inlined (3)
  const inlined = m.inline === 2 || m.inline === 3;
  out += functionTypeString(ctx, m, { name: m.name, inlined, isPrototype: false });
  if (m.virtuality === 2) out += ' = 0';
  return out;
}

export interface DeclarationOptions {
  /** Spell a zero/unknown leading dimension as `[]` (pahole does for a last member). */
  flexible?: boolean;
}

/**
 * A C declaration of `name` with type `id` in pahole's spelling but without column padding, for
 * JSON and tables: `void (*raw_fn)(struct kitchen_sink *, long int)`, `int matrix[4][3]`,
 * `const char  * const * strv`. Anonymous aggregates are abbreviated `struct {...}`.
 */
export function declarationString(ctx: SpellContext, id: TypeId, name: string, o: DeclarationOptions = {}, depth = 0): string {
  if (exhausted(depth)) return `${LOOP} ${name}`;
  if (id === VOID_TYPE) return `void ${name}`;
  const t = ctx.table.get(id);
  switch (t.kind) {
    case 'pointer':
      if (t.pointerKind === 'pointer' && t.target !== VOID_TYPE) {
        const pt = ctx.table.get(t.target);
        if (pt.kind === 'function') return functionTypeString(ctx, pt, { name, isPointer: true, depth: depth + 1 });
      }
      break;
    case 'function':
      return functionTypeString(ctx, t, { name, depth: depth + 1 });
    case 'qualifier':
      if (t.qualifier === 'const' && t.target !== VOID_TYPE) return 'const ' + declarationString(ctx, t.target, name, o, depth + 1);
      break;
    case 'array': {
      let dims = '';
      t.dims.forEach((d, i) => {
        if (t.vector) return;
        dims += (d ?? 0) === 0 && i === 0 && o.flexible ? '[]' : `[${d ?? 0}]`;
      });
      let out = declarationString(ctx, t.element, name, {}, depth + 1) + dims;
      if (t.vector) {
        let n = 1;
        for (const d of t.dims) n *= d ?? 1;
        out += ` __attribute__ ((__vector_size__ (${n * ctx.table.sizeOf(t.element)})))`;
      }
      return out;
    }
    case 'struct':
    case 'class':
    case 'union':
    case 'enum':
      if (t.name === undefined) return `${t.kind === 'class' ? 'class' : t.kind} {...} ${name}`;
      return `${typeName(ctx, id, depth + 1)} ${name}`;
    default:
      break;
  }
  return `${typeName(ctx, id, depth + 1)} ${name}`;
}
