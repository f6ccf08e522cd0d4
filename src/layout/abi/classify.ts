/**
 * Map a model type to a target-independent shape (ABI.md §4): a scalar kind, a pointer, an
 * array, a nested aggregate, … — everything the engine needs to size the type on any target.
 * Typedef chains stop at pinned fixed-width names (int64_t stays 8 bytes on ILP32 even though it
 * is `long int` on LP64) and at pointer-sized names (size_t & co).
 */
import { rustEnumShape, rustScalar } from '../rust.js';
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type BaseType, type EnumType, type Type, type TypeId } from '../../model/types.js';
import type { ScalarKind } from './targets.js';

/** The integer kinds a bit-field can be declared with (for unnamed bit-fields DWARF omits). */
export type IntegerKind = 'char' | 'short' | 'int' | 'long' | 'llong';
export const INTEGER_KINDS: readonly IntegerKind[] = ['char', 'short', 'int', 'long', 'llong'];
/**
 * Declared types an unnamed bit-field may have: DWARF omits them, and `__int128 :N` raises the
 * alignment to 16 where unnamed bit-fields count (aarch64), so it is a candidate where it exists.
 */
export type GapKind = IntegerKind | 'int128';
export const GAP_KINDS: readonly GapKind[] = [...INTEGER_KINDS, 'int128'];

export type Shape =
  /** A scalar; `integer` marks integer-class types (enums, _Bool, char types …). */
  | { kind: 'scalar'; scalar: ScalarKind; integer: boolean }
  /** _Complex T: two T's, T's alignment. */
  | { kind: 'complex'; part: ScalarKind }
  /** Pointers and references; pointers to member functions are two words. */
  | { kind: 'pointer'; words: 1 | 2 }
  /** An array of `count` elements (product of all dimensions); flexible/zero-length: count 0. */
  | { kind: 'array'; element: Shape; count: number; flexible: boolean }
  /** A struct/union/class laid out recursively by the engine. */
  | { kind: 'aggregate'; id: TypeId }
  /** _Atomic T. */
  | { kind: 'atomic'; inner: Shape }
  /** A typedef carrying DW_AT_alignment (aligned(N) typedef): replaces the alignment, may lower it. */
  | { kind: 'aligned'; inner: Shape; alignment: number; typedef: string }
  | { kind: 'unpredictable'; reason: string };

const DW_ATE_boolean = 0x2;
const DW_ATE_complex_float = 0x3;
const DW_ATE_float = 0x4;
const DW_ATE_UTF = 0x10;
/** gcc's encoding for complex integer types (DW_ATE_lo_user). */
const DW_ATE_GNU_complex_int = 0x80;

const MAX_DEPTH = 64;

/** Fixed-width typedef names: their size never changes across targets (ABI.md §4 pin table). */
const PINNED = new Map<string, ScalarKind>();
function pin(kind: ScalarKind, bits: number, names: string[]): void {
  for (const n of names) PINNED.set(n.replace(/N/g, String(bits)), kind);
}
for (const [kind, bits] of [['char', 8], ['short', 16], ['int', 32], ['llong', 64]] as const) {
  pin(kind, bits, [
    'intN_t', 'uintN_t', '__intN_t', '__uintN_t', 'int_leastN_t', 'uint_leastN_t', '__int_leastN_t',
    '__uint_leastN_t', '__uN', '__sN', 'uN', 'sN',
  ]);
  if (bits > 8) pin(kind, bits, ['__leN', '__beN']);
}
pin('char', 8, ['int_fast8_t', 'uint_fast8_t', 'char8_t']);
pin('llong', 64, ['int_fast64_t', 'uint_fast64_t', 'intmax_t', 'uintmax_t', '__intmax_t', '__uintmax_t']);
pin('short', 16, ['char16_t']);
pin('int', 32, ['char32_t']);
/** Pointer-sized integer typedefs (long has the pointer's size on every Linux target). */
for (const n of [
  'size_t', 'ssize_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', '__intptr_t', '__uintptr_t', '__ssize_t',
  '__kernel_size_t', '__kernel_ssize_t', '__kernel_ptrdiff_t',
]) {
  PINNED.set(n, 'long');
}

const PIN_SIZE: Partial<Record<ScalarKind, number>> = { char: 1, short: 2, int: 4, llong: 8 };

/** Classify the type of a member (or any type) into a target-independent shape. */
export function classifyType(table: TypeTable, id: TypeId): Shape {
  return classify(table, id, 0);
}

function classify(table: TypeTable, id: TypeId, depth: number): Shape {
  if (depth > MAX_DEPTH) return unpredictable('type chain too deep (cycle?)');
  const t: Type = table.get(id);
  switch (t.kind) {
    case 'base':
      return classifyBase(t);
    case 'pointer':
      if (t.pointerKind === 'ptr_to_member' && table.get(table.strip(t.target)).kind === 'function') {
        return { kind: 'pointer', words: 2 };
      }
      return { kind: 'pointer', words: 1 };
    case 'typedef': {
      const pinned = PINNED.get(t.name);
      let inner: Shape | undefined;
      if (pinned !== undefined) {
        const size = PIN_SIZE[pinned];
        const sourceSize = table.sizeOf(t.target);
        if ((size === undefined || size === sourceSize) && isIntegerLike(classify(table, t.target, depth + 1))) {
          inner = { kind: 'scalar', scalar: pinned, integer: true };
        }
      }
      inner ??= classify(table, t.target, depth + 1);
      if (t.alignment !== undefined && inner.kind !== 'unpredictable') {
        return { kind: 'aligned', inner, alignment: t.alignment, typedef: t.name };
      }
      return inner;
    }
    case 'qualifier': {
      const inner = classify(table, t.target, depth + 1);
      if (t.qualifier === 'atomic' && inner.kind !== 'unpredictable') return { kind: 'atomic', inner };
      return inner;
    }
    case 'array': {
      if (t.vector) return unpredictable('vector type (vector_size): target alignment rules not modelled');
      const element = classify(table, t.element, depth + 1);
      if (element.kind === 'unpredictable') return element;
      let count = 1;
      let flexible = false;
      for (const d of t.dims) {
        if (d === null) flexible = true;
        else count *= d;
      }
      if (flexible) count = 0;
      return { kind: 'array', element, count, flexible };
    }
    case 'struct':
    case 'union':
    case 'class': {
      const def = t.declaration ? table.resolveDeclaration(id) : id;
      const d = table.get(def);
      if (!isAggregate(d) || d.declaration) return unpredictable(`incomplete type ${t.kind} ${t.name ?? '<anonymous>'}`);
      return rustEnumShape(d) ?? { kind: 'aggregate', id: def };
    }
    case 'enum': {
      const def = t.declaration ? table.resolveDeclaration(id) : id;
      const e = table.get(def);
      if (e.kind !== 'enum' || e.declaration) return unpredictable(`incomplete enum ${t.name ?? '<anonymous>'}`);
      return classifyEnum(table, e, depth);
    }
    case 'void':
      return unpredictable('void member');
    case 'function':
      return unpredictable('function type member');
    case 'unresolved':
      return unpredictable(`unresolved type: ${t.reason}`);
  }
}

function unpredictable(reason: string): Shape {
  return { kind: 'unpredictable', reason };
}

function isIntegerLike(s: Shape): boolean {
  if (s.kind === 'aligned') return isIntegerLike(s.inner);
  return s.kind === 'scalar' && s.integer;
}

const INTEGER_BY_SIZE: Record<number, ScalarKind> = { 1: 'char', 2: 'short', 4: 'int', 8: 'llong', 16: 'int128' };

/** Enums are recomputed from their values (ABI.md §4): the DWARF underlying type changes name across models. */
function classifyEnum(table: TypeTable, e: EnumType, depth: number): Shape {
  const scalar = (k: ScalarKind): Shape => ({ kind: 'scalar', scalar: k, integer: true });
  if (e.size > 0 && e.size < 4) return e.size === 1 || e.size === 2 ? scalar(INTEGER_BY_SIZE[e.size]!) : unpredictable(`enum of ${e.size} bytes`);
  let min = 0n;
  let max = 0n;
  for (const x of e.enumerators) {
    if (x.value < min) min = x.value;
    if (x.value > max) max = x.value;
  }
  const fits32 = min >= -(2n ** 31n) && (min < 0n ? max < 2n ** 31n : max < 2n ** 32n);
  if (e.size === 4) return fits32 ? scalar('int') : unpredictable('enum of 4 bytes with values beyond 32 bits');
  if (e.size === 8) {
    if (!fits32) return scalar('llong');
    // Values fit an int but the enum is 8 bytes: a C++ fixed underlying type (enum : long).
    if (e.underlying !== undefined) {
      const u = classify(table, e.underlying, depth + 1);
      if (u.kind === 'scalar' && u.integer) return u;
    }
    return scalar('llong');
  }
  if (e.size === 16) return scalar('int128');
  return unpredictable(`enum of ${e.size} bytes`);
}

const FLOAT_NAMES: Record<string, ScalarKind> = {
  float: 'float',
  double: 'double',
  'long double': 'ldouble',
  _Float32: 'float',
  _Float64: 'double',
  _Float32x: 'double',
  _Float64x: 'f64x',
  _Float128: 'f128',
  __float128: 'f128',
  __ieee128: 'f128',
  _Float16: 'f16',
  __fp16: 'f16',
  __float80: 'float80',
  __ibm128: 'ibm128',
};

/** Classify a DW_TAG_base_type (or unspecified type) by name, encoding and size. */
export function classifyBase(t: BaseType): Shape {
  const name = t.name.trim();
  if (t.encoding === 0) {
    // DW_TAG_unspecified_type: decltype(nullptr) is pointer-sized.
    if (/nullptr/.test(name)) return { kind: 'scalar', scalar: 'ptr', integer: false };
    return unpredictable(`unspecified type ${name}`);
  }
  if (t.encoding === DW_ATE_complex_float || t.encoding === DW_ATE_GNU_complex_int || name.startsWith('complex ') || name === 'complex') {
    return classifyComplex(t, name);
  }
  const rust = rustScalar(name); // rustc's base types: u8 … u128, usize, f32, f64
  if (rust !== undefined) return { kind: 'scalar', scalar: rust, integer: t.encoding !== DW_ATE_float };
  if (t.encoding === DW_ATE_float) {
    const k = FLOAT_NAMES[name];
    return k ? { kind: 'scalar', scalar: k, integer: false } : unpredictable(`unknown floating type ${name}`);
  }
  if (t.encoding === DW_ATE_boolean || name === '_Bool' || name === 'bool') {
    return t.size === 1 ? { kind: 'scalar', scalar: 'bool', integer: true } : unpredictable(`${name} of ${t.size} bytes`);
  }
  if (t.encoding === DW_ATE_UTF || name === 'wchar_t' || name === 'char16_t' || name === 'char32_t' || name === 'char8_t') {
    const k = INTEGER_BY_SIZE[t.size];
    return k && t.size <= 4 ? { kind: 'scalar', scalar: k, integer: true } : unpredictable(`${name} of ${t.size} bytes`);
  }
  const k = integerKindFromName(name);
  if (k === undefined) return unpredictable(`unknown base type ${name}`);
  return { kind: 'scalar', scalar: k, integer: true };
}

/** gcc and clang spellings of the C integer types: "long unsigned int", "unsigned long", "__int128 unsigned" … */
export function integerKindFromName(name: string): ScalarKind | undefined {
  const words = name.split(/\s+/);
  let longs = 0;
  let short = false;
  let char = false;
  let int128 = false;
  let int = false;
  let sign = false;
  for (const w of words) {
    if (w === 'long') longs++;
    else if (w === 'short') short = true;
    else if (w === 'char') char = true;
    else if (w === '__int128') int128 = true;
    else if (w === 'int') int = true;
    else if (w === 'signed' || w === 'unsigned') sign = true;
    else return undefined;
  }
  const count = (short ? 1 : 0) + (char ? 1 : 0) + (int128 ? 1 : 0) + (longs ? 1 : 0);
  if (count > 1 || longs > 2 || (char && int)) return undefined;
  if (int128) return int ? undefined : 'int128';
  if (char) return 'char';
  if (short) return 'short';
  if (longs === 2) return 'llong';
  if (longs === 1) return 'long';
  if (int || sign) return 'int';
  return undefined;
}

function classifyComplex(t: BaseType, name: string): Shape {
  const rest = name.replace(/^complex\s*/, '');
  if (rest) {
    const part = FLOAT_NAMES[rest] ?? integerKindFromName(rest);
    if (part) return { kind: 'complex', part };
    return unpredictable(`unknown complex type ${name}`);
  }
  // clang names every complex type "complex": use the size (ABI.md §4).
  if (t.encoding === DW_ATE_complex_float) {
    if (t.size === 8) return { kind: 'complex', part: 'float' };
    if (t.size === 16) return { kind: 'complex', part: 'double' };
    if (t.size === 24 || t.size === 32) return { kind: 'complex', part: 'ldouble' };
  }
  return unpredictable(`complex type of ${t.size} bytes`);
}
