/**
 * The state of one conversion: the table being built, the caches that deduplicate it, the
 * sources (main file, dwz supplementary file, split units) and the options. The conversion
 * itself is free functions over this state: aggregates.ts, types.ts, references.ts.
 */
import { AggregateIdentity } from '../identity.js';
import type { ScannedUnit } from '../scanned.js';
import { StructscopeError } from '../../util/errors.js';
import { TypeTable } from '../../model/table.js';
import type { Diagnostic } from '../../util/diagnostic.js';
import type { Type, TypeId } from '../../model/types.js';
import type { UnitDies } from '../dies.js';
import { scanUnit } from '../scan.js';
import type { DwarfSections, SectionBytes } from '../sections.js';
import { DwarfSource } from '../source.js';
import type { UnitHeader } from '../unit.js';
import type { ExternalDwarf, LoadOptions, SplitUnitSections } from './options.js';
import type { RootCandidate } from './roots.js';

/** ScannedUnit.memo: the DIE is being converted (a reference back to it is a cycle). */
export const IN_PROGRESS = -2;
export const MAX_RECURSION = 2000;

export class ConvertState {
  readonly table = new TypeTable();
  readonly diagnostics: Diagnostic[] = [];
  readonly le: boolean;
  readonly main: DwarfSource;
  /** Structural key → TypeId, for every interned type. */
  readonly interned = new Map<string, TypeId>();
  readonly versions = new Set<number>();
  /** Units converted per DW_AT_language (DW_LANG_* code). */
  readonly languages = new Map<number, number>();
  /** DIEs whose DW_AT_name could not be read, already reported (file offsets). */
  readonly badNames = new Set<number>();
  addressSize = 0;
  readonly signatures = new Map<string, { header: UnitHeader; section: SectionBytes; src: DwarfSource }>();
  /** Partial units (dwz) already converted, by source and offset. */
  readonly partialsDone = new Set<string>();
  readonly sourceIds = new Map<DwarfSource, number>();
  extraUnitCount = 0;
  /** .dwp type unit lists already registered (SplitUnitSections.typeUnits). */
  readonly packageTypeUnits = new Set<readonly SplitUnitSections[]>();
  /** Signatures of the type units converted so far. */
  readonly typeUnitsDone = new Set<string>();
  /** Units scanned for cross-unit references, kept while in use. */
  readonly foreign = new Map<string, ScannedUnit>();
  depth = 0;
  unresolvedCount = 0;
  crossUnitRefs = false;
  /** Struct/union/class/enum definitions seen so far, by exact signature → TypeId. */
  readonly identity = new AggregateIdentity();

  beforeUnit: LoadOptions['beforeUnit'];
  memberDecl = false;
  /** LoadOptions.roots, and what convert/roots.ts found for them so far. */
  rootNames: ReadonlySet<string> | undefined;
  readonly roots = new Map<string, RootCandidate>();
  /** LoadOptions.typeNames as UTF-8 bytes, compared with names in place (no string per DIE). */
  typeNames: Uint8Array[] | undefined;
  /** The unit being converted takes only the wanted types: what pointers reach stays shallow. */
  shallowPointees = false;
  /** Converting what a pointer refers to (shallowPointees). */
  behindPointer = false;

  constructor(
    readonly sec: DwarfSections,
    readonly external: ExternalDwarf = {},
  ) {
    this.le = sec.littleEndian;
    const alt = external.alt ? new DwarfSource(external.alt, 'supplementary') : undefined;
    this.main = new DwarfSource(sec, 'main', alt);
    if (alt) this.addSource(alt);
    this.addSource(this.main);
  }

  /** Record a source's header errors and type units. */
  addSource(src: DwarfSource): void {
    this.sourceIds.set(src, this.sourceIds.size);
    for (const e of src.errors) this.diag(e);
    for (const tu of src.typeUnits) {
      if (tu.header.typeSignature && !this.signatures.has(tu.header.typeSignature)) this.signatures.set(tu.header.typeSignature, { ...tu, src });
      this.versions.add(tu.header.version);
    }
  }

  diag(e: StructscopeError): void {
    if (this.diagnostics.length < 1000) this.diagnostics.push({ message: e.message, fileOffset: e.fileOffset });
  }

  scan(src: DwarfSource, header: UnitHeader, section: SectionBytes, dies: UnitDies): ScannedUnit | undefined {
    try {
      if (section === this.sec.info) this.beforeUnit?.(header.offset, header.end);
      const root = scanUnit(section, header, src.abbrevs(header.abbrevOffset), dies, this.le, this.rootNames !== undefined);
      if (root.strOffsetsBase === undefined && src.defaultStrOffsetsBase !== undefined) root.strOffsetsBase = src.defaultStrOffsetsBase;
      if (!this.addressSize) this.addressSize = header.addressSize;
      const memo = new Int32Array(dies.count).fill(-1);
      return { src, header, section, dies, root, memo };
    } catch (e) {
      if (!(e instanceof StructscopeError)) throw e;
      this.diag(e);
      return undefined;
    }
  }

  unresolved(reason: string): TypeId {
    const key = `?|${reason}`;
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.table.add({ kind: 'unresolved', reason });
      this.interned.set(key, id);
      if (this.unresolvedCount++ < 100) this.diagnostics.push({ message: `unresolved type: ${reason}` });
    }
    return id;
  }

  intern(key: string, make: () => Type): TypeId {
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.table.add(make());
      this.interned.set(key, id);
    }
    return id;
  }
}
