/**
 * What the ABI engine can say about Rust types. rustc lays out the default representation
 * (repr(Rust)) as it likes: it reorders fields and packs enums' discriminants into niches, so
 * `check` explains such layouts by the representation instead of calling them unexplained, and
 * no layout of a Rust type is predicted for another target: DWARF does not record whether a type
 * is repr(C), and rustc may choose another order where sizes and alignments differ.
 */
import type { AggregateType } from '../model/types.js';
import type { Shape } from './abi/classify.js';
import type { ScalarKind } from './abi/targets.js';

/** DW_LANG_Rust. */
const DW_LANG_Rust = 0x1c;

export const REPR_RUST_ORDER = 'repr(Rust): compiler-chosen order';
export const REPR_RUST_ENUM = 'repr(Rust) enum: compiler-chosen discriminant and variant layout';

export function isRustAggregate(t: AggregateType): boolean {
  return t.language === DW_LANG_Rust;
}

/** How a Rust type's layout is explained without the C rules: an enum with data, or fields stored in another order than declared. */
export function rustLayoutExplanation(t: AggregateType): string | undefined {
  if (!isRustAggregate(t)) return undefined;
  if (t.variantPart) return REPR_RUST_ENUM;
  if (t.sourceOrder) return REPR_RUST_ORDER;
  return undefined;
}

/** Why a Rust type's layout on another target cannot be predicted (undefined for other languages). */
export function rustPredictionReason(t: AggregateType, target: string): string | undefined {
  if (!isRustAggregate(t)) return undefined;
  return rustLayoutExplanation(t) ?? `Rust: DWARF does not record whether the type is repr(C); rustc may order its fields differently on ${target}`;
}

/** Rust's primitive types as the C scalars of the same size and alignment on the file's own target. */
const RUST_SCALARS: Record<string, ScalarKind> = {
  u8: 'char', i8: 'char', u16: 'short', i16: 'short', u32: 'int', i32: 'int', u64: 'llong', i64: 'llong',
  u128: 'int128', i128: 'int128', usize: 'long', isize: 'long', f32: 'float', f64: 'double',
};

/** The scalar a Rust primitive base type is laid out as (`u32` → int), undefined for other names. */
export function rustScalar(name: string): ScalarKind | undefined {
  return Object.hasOwn(RUST_SCALARS, name) ? RUST_SCALARS[name] : undefined;
}

const SCALAR_OF_ALIGNMENT: Record<number, ScalarKind> = { 1: 'char', 2: 'short', 4: 'int', 8: 'llong', 16: 'int128' };

/**
 * A Rust enum with data as a member: a block of its size and alignment (the layout inside is
 * rustc's choice), as an array of the scalar of that alignment; undefined for other types.
 */
export function rustEnumShape(t: AggregateType): Shape | undefined {
  if (!t.variantPart) return undefined;
  const align = t.alignment ?? 0;
  const scalar = SCALAR_OF_ALIGNMENT[align];
  if (scalar === undefined || t.size % align !== 0) return { kind: 'unpredictable', reason: `Rust enum ${t.name ?? ''} without a recorded alignment` };
  return { kind: 'array', element: { kind: 'scalar', scalar, integer: true }, count: t.size / align, flexible: false };
}

/**
 * rustc records DW_AT_alignment on every field and type, the natural one included: it is not an
 * attribute, so the engine sees a Rust type without it (repr(align(N)) then reads as the natural
 * alignment of the fields, a limit documented in the README).
 */
export function withoutRecordedAlignment(t: AggregateType): AggregateType {
  if (!isRustAggregate(t)) return t;
  const { alignment: _dropped, ...rest } = t;
  return { ...rest, members: t.members.map(({ alignment: _a, ...m }) => m) };
}
