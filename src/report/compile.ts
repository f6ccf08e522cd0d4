/**
 * `--compile` (pahole 1.31's): the selected types as C that compiles, preceded by everything they
 * need, in dependency order: forward declarations for the structs and unions reached through
 * pointers, and the typedefs, enums, structs and unions reached by value or through function types.
 *
 * Two pure steps. planCompile() walks the model as pahole's dwarves_emit.c does
 * (type__emit_definitions, tag__emit_definitions, typedef__emit_definitions, ftype__emit_definitions,
 * type__emit_fwd_decl) and returns the output as literal text and the types to print, so that the
 * caller can lay those types out; renderCompile() prints them with the pahole renderer, layout
 * comments included, so where pahole 1.31's output compiles ours is the same text, blank lines too.
 *
 * Where pahole's text is not C, ours differs (README "pahole's command line"):
 *  - an array of function pointers is `long int (*fns[2])(int)` (pahole: `(*fns)(int)[2]`);
 *  - complex types are `_Complex float` (DWARF's name, which pahole prints, is `complex float`);
 *  - a struct's nested type definitions are left out (pahole -M), as C has none: clang nests the
 *    anonymous types of members in the struct, and pahole prints them there and again in the member;
 *  - a struct, union or enum whose name another kind already took is not printed again under a
 *    `__1` suffix as pahole renames it; both print under their names (a C error in that rare case);
 *  - a typedef of a qualified type brings what it qualifies (pahole follows `_Atomic` only, so
 *    `typedef const handle_t chandle_t;` can come without handle_t);
 *  - pahole's `typedef _Atomic int atomic_int` lines for atomic base types are not printed (DWARF
 *    from gcc and clang names no base type atomic_*).
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type AggregateType, type FunctionType, type Member, type TypeId } from '../model/types.js';
import type { TypeBlock } from '../layout/computed.js';
import { ljust, paramsString } from './ctype.js';
import { renderBlock, type PaholeOptions } from './pahole.js';

/** One piece of the output: literal text, or a type printed by the pahole renderer. */
export type CompileStep =
  | { text: string }
  /**
   * `id`'s block (an aggregate, enum or typedef) with its `;`. `typedefName`: an anonymous union
   * printed as `typedef union {...} NAME;`. `selected`: one of the types asked for (printed with
   * the caller's --hex; the types they need print with pahole's defaults, as type__emit does).
   */
  | { id: TypeId; typedefName?: string; selected?: boolean };

/** What planCompile() has already printed: by type, and by name (a name is printed once in all). */
class Emitted {
  readonly types = new Set<TypeId>();
  readonly names = new Set<string>();
  readonly forward = new Set<string>();
  readonly steps: CompileStep[] = [];

  constructor(readonly table: TypeTable) {}

  text(s: string): void {
    const last = this.steps[this.steps.length - 1];
    if (last && 'text' in last) last.text += s;
    else this.steps.push({ text: s });
  }

  /** `struct NAME` / `union NAME` / `enum NAME` / `typedef NAME`, or undefined when anonymous. */
  key(id: TypeId): string | undefined {
    const t = this.table.get(id);
    if (t.kind === 'typedef') return `typedef ${t.name}`;
    if (isAggregate(t) || t.kind === 'enum') return t.name === undefined ? undefined : `${t.kind === 'class' ? 'struct' : t.kind} ${t.name}`;
    return undefined;
  }

  /** True when `id`, or a type of the same kind and name, was printed; marks `id` if so. */
  done(id: TypeId): boolean {
    if (this.types.has(id)) return true;
    const k = this.key(id);
    if (k !== undefined && this.names.has(k)) {
      this.types.add(id);
      return true;
    }
    return false;
  }

  mark(id: TypeId): void {
    this.types.add(id);
    const k = this.key(id);
    if (k !== undefined) this.names.add(k);
  }
}

const MAX_DEPTH = 256;

/**
 * The steps that print `roots` (named structs and unions) and what they need. Each root is followed
 * by `after`: pahole -C prints a blank line after each type, its whole-file output a newline only
 * (after a type printed before as another's need, that is all it prints).
 */
export function planCompile(table: TypeTable, roots: readonly TypeId[], after = '\n\n'): CompileStep[] {
  const e = new Emitted(table);
  for (const id of roots) {
    if (defineAggregate(e, id, 0)) e.steps.push({ id, selected: true });
    e.text(after);
  }
  return e.steps;
}

/** type__emit_definitions(): what the members of aggregate `id` need; false when printed before. */
function defineAggregate(e: Emitted, id: TypeId, depth: number): boolean {
  if (e.done(id) || depth > MAX_DEPTH) return false;
  e.mark(id);
  const t = e.table.get(id);
  if (!isAggregate(t)) return false;
  for (const m of dataMembers(t)) if (memberNeeds(e, m.type, depth + 1)) e.text('\n');
  return true;
}

function dataMembers(t: AggregateType): Member[] {
  return t.members.filter((m) => !m.isStatic);
}

/** tag__emit_definitions(): what a member, parameter or return type of type `id` needs; true when something was printed. */
function memberNeeds(e: Emitted, id: TypeId, depth: number): boolean {
  const table = e.table;
  let pointer = false;
  for (let guard = 0; guard < 64 && depth <= MAX_DEPTH; guard++) {
    if (id === VOID_TYPE) return false;
    const t = table.get(id);
    switch (t.kind) {
      case 'pointer':
        if (t.pointerKind === 'ptr_to_member') return false;
        pointer = true;
        id = t.target;
        continue;
      case 'array':
        id = t.element;
        continue;
      case 'qualifier':
        if (t.qualifier === 'restrict') return false;
        id = t.target;
        continue;
      case 'typedef':
        return defineTypedef(e, id, depth + 1);
      case 'enum':
        // a unit that only declares the enum: its definition from another unit (pahole's is the unit's own)
        return t.name !== undefined && defineEnum(e, table.resolveDeclaration(id));
      case 'struct':
      case 'class':
      case 'union': {
        if (pointer) {
          if (t.name === undefined) defineAggregate(e, id, depth + 1);
          return forwardDeclare(e, id);
        }
        if (!defineAggregate(e, id, depth + 1)) return true;
        if (t.name !== undefined) {
          e.steps.push({ id });
          e.text('\n');
        }
        return true;
      }
      case 'function':
        return functionNeeds(e, id, depth + 1);
      default:
        return false;
    }
  }
  return false;
}

/** ftype__emit_definitions(): the return and parameter types; a blank line after them when any printed. */
function functionNeeds(e: Emitted, id: TypeId, depth: number): boolean {
  const fn = e.table.get(id);
  if (fn.kind !== 'function') return false;
  let printed = memberNeeds(e, fn.returnType, depth);
  for (const p of fn.params) if (memberNeeds(e, p, depth)) printed = true;
  if (printed) e.text('\n');
  return printed;
}

/** enumeration__emit_definitions(): a named enum, once. */
function defineEnum(e: Emitted, id: TypeId): boolean {
  if (e.done(id)) return false;
  e.steps.push({ id });
  e.text('\n');
  const t = e.table.get(id);
  if (t.kind === 'enum' && t.enumerators.length > 0) e.mark(id); // pahole: an empty enum is a declaration; it may come again
  return true;
}

/** type__emit_fwd_decl(): `struct NAME;` once per name (by name alone, as pahole). */
function forwardDeclare(e: Emitted, id: TypeId): boolean {
  const t = e.table.get(id) as AggregateType;
  if (t.name === undefined || e.forward.has(t.name)) return false;
  e.forward.add(t.name);
  e.text(`${t.kind === 'union' ? 'union' : 'struct'} ${t.name};\n`);
  return true;
}

/** typedef__emit_definitions(): what the typedef names, then the typedef. */
function defineTypedef(e: Emitted, id: TypeId, depth: number): boolean {
  if (e.done(id) || depth > MAX_DEPTH) return false;
  const table = e.table;
  const td = table.get(id);
  if (td.kind !== 'typedef') return false;
  const target = td.target === VOID_TYPE ? undefined : table.get(td.target);
  switch (target?.kind) {
    case 'qualifier':
      // pahole follows _Atomic only: `typedef const handle_t chandle_t;` then lacks handle_t
      memberNeeds(e, td.target, depth + 1);
      break;
    case 'array':
      memberNeeds(e, target.element, depth + 1);
      break;
    case 'typedef':
      defineTypedef(e, td.target, depth + 1);
      break;
    case 'pointer': {
      const pt = target.target === VOID_TYPE ? undefined : table.get(target.target);
      if (pt?.kind === 'typedef') defineTypedef(e, target.target, depth + 1);
      else if (pt?.kind === 'function') functionNeeds(e, target.target, depth + 1);
      break;
    }
    case 'function':
      functionNeeds(e, td.target, depth + 1);
      break;
    case 'enum':
      if (target.name === undefined) {
        // `typedef enum {...} NAME;`: the typedef's own block
        if (!e.done(td.target)) {
          e.steps.push({ id });
          e.text('\n');
          if (target.enumerators.length > 0) e.mark(td.target);
        }
        e.mark(id);
        return true;
      }
      defineEnum(e, table.resolveDeclaration(td.target));
      break;
    case 'struct':
    case 'class':
    case 'union':
      if (target.name === undefined) {
        defineAggregate(e, td.target, depth + 1);
        // `typedef struct {...} NAME;`
        e.steps.push(target.kind === 'union' ? { id: td.target, typedefName: td.name } : { id });
        e.text('\n');
        e.mark(id);
        return true;
      }
      if (defineAggregate(e, td.target, depth + 1)) {
        e.steps.push({ id: td.target });
        e.text('\n');
      }
      break;
    default:
      break;
  }
  // a typedef the types above needed (a function type taking this typedef) is printed once
  if (!e.done(id)) {
    e.steps.push({ id });
    e.text('\n');
  }
  e.mark(id);
  return true;
}

/** The ids planCompile() wants laid out (their blocks go to renderCompile()). */
export function compileStepTypes(steps: readonly CompileStep[]): TypeId[] {
  return steps.flatMap((s) => ('id' in s ? [s.id] : []));
}

/** The text of planCompile()'s steps; `blocks` holds the layout of every type they print. */
export function renderCompile(table: TypeTable, steps: readonly CompileStep[], blocks: ReadonlyMap<TypeId, TypeBlock>, opts: PaholeOptions = {}): string {
  let out = '';
  for (const s of steps) {
    if ('text' in s) {
      out += s.text;
      continue;
    }
    const block = blocks.get(s.id);
    if (!block) continue;
    // C, not C++: a struct's nested type definitions (clang nests anonymous member types) would be defined twice
    let text = renderBlock(table, block, { ...opts, hex: s.selected ? opts.hex : false, onlyDataMembers: true, anonTypedef: true });
    if (s.typedefName !== undefined) text = `typedef ${text.slice(0, -1)} ${s.typedefName};`;
    out += asC(table, block, text);
  }
  return out;
}

/** pahole's text made C: complex types, and arrays of function pointers (see the module comment). */
function asC(table: TypeTable, block: TypeBlock, text: string): string {
  for (const d of declarators(table, block.id, 0)) {
    const c = complexSpelling(table, d.type);
    if (c === undefined) continue;
    // a longer spelling takes its extra characters from the padding after it when there is some to spare
    const grow = c.spelling.length - c.name.length;
    const re = new RegExp(`(?<![\\w ])${escapeRegExp(c.name)}( +)(?=[* ]*${escapeRegExp(d.name)}\\b)`, 'g');
    text = text.replace(re, (_, pad: string) => c.spelling + (grow > 0 && pad.length > grow ? pad.slice(grow) : pad));
  }
  const t = table.get(block.id);
  if (t.kind === 'typedef' && t.target !== VOID_TYPE) {
    // pahole's typedef__fprintf() spells a named union as type__fprintf() does (the renderer prints `union NAME NAME`)
    const u = table.get(t.target);
    if (u.kind === 'union' && u.name !== undefined) return `typedef union ${ljust(u.name, 20)} ${t.name};`;
  }
  for (const m of functionPointerArrays(table, block.id, 0)) {
    const dims = m.dims.map((d) => `[${d ?? 0}]`);
    const params = paramsString({ table }, table.get(m.fn) as FunctionType);
    // pahole: `(*NAME)(PARAMS)[N]`; flexible last members print `[]`
    for (const d of [dims.join(''), ['[]', ...dims.slice(1)].join('')]) {
      text = text.split(`(*${m.name})${params}${d};`).join(`(*${m.name}${d})${params};`);
    }
  }
  return text;
}

/**
 * A complex base type under qualifiers and arrays whose DWARF name is not C (gcc: `complex float`;
 * clang: `complex` for every size), and its C spelling from the size (two floats, doubles or long doubles).
 */
function complexSpelling(table: TypeTable, id: TypeId): { name: string; spelling: string } | undefined {
  for (let guard = 0; guard < 64 && id !== VOID_TYPE; guard++) {
    const t = table.get(id);
    if (t.kind === 'qualifier' || t.kind === 'pointer') id = t.target;
    else if (t.kind === 'array') id = t.element;
    else if (t.kind !== 'base' || t.name.startsWith('_Complex')) return undefined;
    else if (/^complex (float|double|long double)$/.test(t.name)) return { name: t.name, spelling: `_Complex ${t.name.slice(8)}` }; // BTF keeps the name only
    else if (t.encoding !== DW_ATE_complex_float) return undefined;
    else return { name: t.name, spelling: `_Complex ${t.size === 8 ? 'float' : t.size === 16 ? 'double' : 'long double'}` };
  }
  return undefined;
}

const DW_ATE_complex_float = 0x3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The names a block declares and their types: its members (and those of nested anonymous aggregates), or the typedef. */
function declarators(table: TypeTable, id: TypeId, depth: number): { name: string; type: TypeId }[] {
  const t = table.get(id);
  if (t.kind === 'typedef') return depth === 0 ? [{ name: t.name, type: t.target }, ...declarators(table, t.target, depth + 1)] : [];
  if (!isAggregate(t) || depth > 16) return [];
  const out: { name: string; type: TypeId }[] = [];
  for (const m of t.members) {
    const mt = table.get(m.type);
    if (isAggregate(mt) && mt.name === undefined) out.push(...declarators(table, m.type, depth + 1));
    if (m.name !== undefined) out.push({ name: m.name, type: m.type });
  }
  return out;
}

/** Members (here and in nested anonymous aggregates) that are arrays of pointers to functions. */
function functionPointerArrays(table: TypeTable, id: TypeId, depth: number): { name: string; dims: (number | null)[]; fn: TypeId }[] {
  const t = table.get(id);
  if (!isAggregate(t) || depth > 16) {
    // `typedef struct {...} NAME;`: the struct's members
    if (t.kind === 'typedef' && t.target !== VOID_TYPE && depth === 0) return functionPointerArrays(table, t.target, depth + 1);
    return [];
  }
  const out: { name: string; dims: (number | null)[]; fn: TypeId }[] = [];
  for (const m of t.members) {
    const mt = table.get(m.type);
    if (isAggregate(mt) && mt.name === undefined) out.push(...functionPointerArrays(table, m.type, depth + 1));
    if (mt.kind !== 'array' || m.name === undefined || mt.element === VOID_TYPE) continue;
    const et = table.get(mt.element);
    if (et.kind === 'pointer' && et.pointerKind === 'pointer' && et.target !== VOID_TYPE && table.get(et.target).kind === 'function') {
      out.push({ name: m.name, dims: mt.dims, fn: et.target });
    }
  }
  return out;
}
