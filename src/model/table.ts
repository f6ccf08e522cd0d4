import { isAggregate, VOID_TYPE, type AggregateType, type EnumType, type Type, type TypeId } from './types.js';

/** Facts about the file a TypeTable was loaded from. */
export interface FileInfo {
  path: string;
  /** ELF e_machine number and its name (e.g. 62, "x86_64"). */
  machine: number;
  machineName: string;
  elfClass: 32 | 64;
  littleEndian: boolean;
  /** ELF e_flags (selects ABI variants such as mips o32/n32, arm EABI version). */
  flags: number;
  /** Pointer size in bytes from the units (4 or 8). */
  addressSize: number;
  /** Distinct DWARF versions of the units read, ascending. */
  dwarfVersions: number[];
  /** Units read per DW_AT_language (DW_LANG_* code). */
  unitLanguages?: { language: number; units: number }[];
  /** Hex build-id from .note.gnu.build-id, when present. */
  buildId?: string;
  /** Where the types came from: BTF records no decl file/line, no forced alignment. Undefined: DWARF. */
  debugFormat?: 'btf';
  /** Every file whose debug info was read (the file itself, separate debug files, .dwo …). */
  filesRead: string[];
  /** Files other than the one named that supplied debug info, and how each was found. */
  debugFiles?: { path: string; role: 'build-id' | 'debuglink' | 'dwo' | 'dwp' | 'supplementary' }[];
}

/** A problem that did not stop loading: a broken unit skipped, an unknown form, … */
export interface Diagnostic {
  message: string;
  /** A debug file the binary refers to is missing or was rejected (.dwo, supplementary file, debuglink CRC): always reported. */
  missingFile?: boolean;
  fileOffset?: number;
}

export type NamedKind = 'struct' | 'union' | 'class' | 'enum';

/**
 * All types of one file, deduplicated: one entry per distinct definition.
 * Index 0 is `void`. Aggregates and enums are listed in `definitions` in the order of
 * their first appearance in .debug_info (the order pahole prints them).
 */
export class TypeTable {
  readonly types: Type[] = [{ kind: 'void' }];
  /** Distinct struct/union/class/enum definitions (not declarations), in first-seen order. */
  readonly definitions: TypeId[] = [];
  /**
   * False when the source records no forced alignment (BTF): alignments are then pahole's guesses
   * from offsets, and pahole prints no "Force padding:" lines.
   */
  alignmentInfo = true;
  /** Definitions by kind, then name (no key string built per definition). */
  private readonly byName: Record<NamedKind, Map<string, TypeId[]>> = { struct: new Map(), union: new Map(), class: new Map(), enum: new Map() };

  add(t: Type): TypeId {
    const id = this.types.length;
    this.types.push(t);
    return id;
  }

  /** Register a named or anonymous complete aggregate/enum as a definition (call once per distinct one). */
  addDefinition(id: TypeId): void {
    this.definitions.push(id);
    const t = this.types[id]!;
    const name = (t as AggregateType | EnumType).name;
    if (name === undefined) return;
    const names = this.byName[t.kind as NamedKind];
    if (!names) return;
    const list = names.get(name);
    if (list) list.push(id);
    else names.set(name, [id]);
  }

  get(id: TypeId): Type {
    return this.types[id] ?? this.types[VOID_TYPE]!;
  }

  /** Every distinct definition of `kind name`, first-seen first. */
  definitionsOf(kind: NamedKind, name: string): readonly TypeId[] {
    return this.byName[kind]?.get(name) ?? [];
  }

  /** A declaration (`struct foo;`) resolved to the first definition of the same name, else itself. */
  resolveDeclaration(id: TypeId): TypeId {
    const t = this.get(id);
    if ((isAggregate(t) || t.kind === 'enum') && t.declaration && t.name !== undefined) {
      let defs = this.definitionsOf(t.kind, t.name);
      // C++ may declare `struct X` and define `class X` (or the reverse).
      if (defs.length === 0 && t.kind !== 'enum') defs = this.definitionsOf(t.kind === 'class' ? 'struct' : 'class', t.name);
      if (defs.length) return defs[0]!;
    }
    return id;
  }

  /** Strip typedefs and qualifiers. */
  strip(id: TypeId): TypeId {
    for (let guard = 0; guard < 64; guard++) {
      const t = this.get(id);
      if (t.kind === 'typedef' || t.kind === 'qualifier') id = t.target;
      else return id;
    }
    return id;
  }

  /** sizeof(type) in bytes; 0 for void, functions, flexible arrays and unknown types. */
  sizeOf(id: TypeId, depth = 0): number {
    if (depth > 64) return 0;
    const t = this.get(id);
    switch (t.kind) {
      case 'base':
      case 'pointer':
        return t.size;
      case 'typedef':
      case 'qualifier':
        return this.sizeOf(t.target, depth + 1);
      case 'array': {
        if (t.size !== undefined) return t.size;
        let n = 1;
        for (const d of t.dims) n *= d ?? 0;
        return n * this.sizeOf(t.element, depth + 1);
      }
      case 'struct':
      case 'union':
      case 'class':
      case 'enum':
        if (t.declaration) {
          const def = this.resolveDeclaration(id);
          return def === id ? 0 : this.sizeOf(def, depth + 1);
        }
        return t.size;
      default:
        return 0;
    }
  }
}

/** A loaded file: its facts, its types and what went wrong on the way. */
export interface LoadedFile {
  info: FileInfo;
  table: TypeTable;
  diagnostics: Diagnostic[];
  /** Reading stopped early (LoadOptions.stopAfterUnit) or skipped units: not every unit was read. */
  partial?: boolean;
  /** Some DIE referred into another unit (ref_addr, type units): units cannot be read on their own. */
  crossUnitRefs?: boolean;
  /** What happened with the type index cache, when one was asked for. */
  index?: IndexUse;
}

/**
 * The type index cache for this load: `used` (only the indexed units were read), `written`
 * (a complete load stored a new index), `present` (a complete load found it already there), `missing` (a partial load without an index),
 * `unusable` (the file's units refer into each other), `unwritable` (the cache could not be written),
 * `rejected` (the index was wrong about the file: it was discarded and the file read without it).
 */
export interface IndexUse {
  path: string;
  state: 'used' | 'written' | 'present' | 'missing' | 'unusable' | 'unwritable' | 'rejected';
}
