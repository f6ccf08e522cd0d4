/**
 * Rust types in pahole's text: Rust spelling of type names (paths such as `core::option::Option<&u8>`
 * without a `struct` keyword, rustc's own names of pointer types: `&u8`, `*mut T`, and arrays
 * `[[u16; 3]; 2]`, which pahole spells as C declarators with the dimensions in the wrong order),
 * and enums with data (a variant part), which pahole 1.31 prints as an empty struct with nested
 * variant structs. Pure functions of the model: offsets and sizes are the DWARF's.
 */
import type { TypeTable } from '../model/table.js';
import { VOID_TYPE, type AggregateType, type TypeId, type Variant } from '../model/types.js';
import { ljust, typeName } from './ctype.js';
import type { JsonVariantField, JsonVariantPart } from '../doc/json.js';

/** DW_LANG_Rust. */
export const DW_LANG_Rust = 0x1c;

const MAX_DEPTH = 48;

/** A type as Rust spells it; undefined for what has no Rust spelling of its own (C's is used). */
export function rustTypeName(table: TypeTable, id: TypeId, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return '<ERROR: type loop>';
  if (id === VOID_TYPE) return '()';
  const t = table.get(id);
  switch (t.kind) {
    case 'pointer':
      return t.name;
    case 'struct':
    case 'class':
    case 'union':
    case 'enum':
      return t.name;
    case 'qualifier':
      return rustTypeName(table, t.target, depth + 1);
    case 'array': {
      let s = rustTypeName(table, t.element, depth + 1) ?? typeName({ table }, t.element, depth + 1);
      for (let k = t.dims.length - 1; k >= 0; k--) s = t.dims[k] === null ? `[${s}]` : `[${s}; ${t.dims[k]}]`;
      return s;
    }
    default:
      return undefined;
  }
}

/**
 * A member declaration in a Rust type's block (`&u8                        __0`), or undefined to
 * let the C declarator speak (base types, typedefs, unnamed pointers).
 */
export function rustDeclaration(table: TypeTable, id: TypeId, name: string | null, typeSpacing: number): string | undefined {
  const t = table.get(id);
  if (t.kind === 'base' || t.kind === 'typedef' || t.kind === 'function') return undefined;
  const spelled = rustTypeName(table, id);
  if (spelled === undefined) return undefined;
  return `${ljust(spelled, typeSpacing)} ${name ?? ''}`;
}

/** The last segment of a Rust path, `::` inside `<...>`, `(...)` and `[...]` left alone: `Option<&u8>` of `core::option::Option<&u8>`. */
export function rustLastSegment(path: string): string {
  let depth = 0;
  let start = 0;
  for (let k = 0; k < path.length; k++) {
    const ch = path[k]!;
    if (ch === '<' || ch === '(' || ch === '[') depth++;
    else if ((ch === '>' && path[k - 1] !== '-') || ch === ')' || ch === ']') depth--;
    else if (depth === 0 && ch === ':' && path[k + 1] === ':') start = k + 2;
  }
  return path.slice(start);
}


const TYPE_SPACING = 26;
const NAME_SPACING = 23;

/** pahole's member line: type, name, `;`, then `/* offset size *\/` at column 49. */
function line(ind: string, type: string, name: string, offset: number, size: number): string {
  const decl = `${ljust(type, TYPE_SPACING)} ${name};`;
  return `${ind}${decl}${' '.repeat(Math.max(1, TYPE_SPACING + NAME_SPACING - decl.length))}/* ${String(offset).padStart(5)} ${String(size).padStart(5)} */\n`;
}

function spelling(table: TypeTable, id: TypeId): string {
  return rustTypeName(table, id) ?? typeName({ table, language: DW_LANG_Rust }, id);
}

function selector(v: Variant): string {
  return v.discrValue === undefined ? 'any other discriminant value (a niche in the fields)' : `discriminant == ${v.discrValue}`;
}

/**
 * An enum with data in pahole's layout: the discriminant, then each variant's fields (offsets
 * from the start of the enum, as DWARF gives them) under a comment naming the variant and the
 * discriminant value that selects it, then pahole's size and cacheline summary.
 */
export function renderRustEnum(table: TypeTable, t: AggregateType, cachelineSize = 64): string {
  const part = t.variantPart!;
  const ind = '\t';
  let out = `struct ${t.name ?? ''} {\n`;
  const d = part.discriminant;
  if (d) out += line(ind, spelling(table, d.type), '<discriminant>', d.bitOffset / 8, d.byteSize);
  for (const v of part.variants) {
    out += `\n${ind}/* variant ${v.name}: ${selector(v)} */\n`;
    const vt = table.get(v.type);
    if (vt.kind !== 'struct' && vt.kind !== 'class' && vt.kind !== 'union') continue;
    for (const m of vt.members) out += line(ind, spelling(table, m.type), `${v.name}.${m.name ?? ''}`, (v.bitOffset + m.bitOffset) / 8, m.byteSize);
  }
  const cachelines = Math.ceil(t.size / cachelineSize);
  const last = t.size % cachelineSize;
  out += `\n${ind}/* size: ${t.size}, cachelines: ${cachelines}, variants: ${part.variants.length} */\n`;
  if (last !== 0) out += `${ind}/* last cacheline: ${last} bytes */\n`;
  out += '}';
  if (t.alignment) out += ` __attribute__((__aligned__(${t.alignment})))`;
  return out;
}

export function rustVariantsJson(table: TypeTable, t: AggregateType): JsonVariantPart | undefined {
  const part = t.variantPart;
  if (!part) return undefined;
  const field = (name: string | undefined, type: TypeId, bitOffset: number, size: number): JsonVariantField => ({
    name: name ?? null,
    type: spelling(table, type),
    offset: bitOffset / 8,
    size,
  });
  const d = part.discriminant;
  return {
    discriminant: d ? field(d.name, d.type, d.bitOffset, d.byteSize) : null,
    variants: part.variants.map((v) => {
      const vt = table.get(v.type);
      const members = vt.kind === 'struct' || vt.kind === 'class' || vt.kind === 'union' ? vt.members : [];
      const value = v.discrValue === undefined ? null : Number.isSafeInteger(Number(v.discrValue)) ? Number(v.discrValue) : String(v.discrValue);
      return { name: v.name, discriminant: value, type: spelling(table, v.type), fields: members.map((m) => field(m.name, m.type, v.bitOffset + m.bitOffset, m.byteSize)) };
    }),
  };
}
