import { AggregateIdentity } from './identity.js';
import { isNamedTypeTag, subrangeCount, type ScannedUnit } from './scanned.js';
import { StructscopeError } from '../util/errors.js';
import { TypeTable, type Diagnostic } from '../model/table.js';
import { VOID_TYPE, type AggregateType, type ClassChild, type DeclLocation, type EnumType, type Enumerator, type Member, type Method, type Type, type TypeId } from '../model/types.js';
import { DW_FORM, DW_TAG, DW_UT } from './constants.js';
import { DieFlag, RefKind, StrKind, UnitDies } from './dies.js';
import { readLineFileNames } from './line.js';
import { scanUnit } from './scan.js';
import type { DwarfSections, SectionBytes } from './sections.js';
import { DwarfSource } from './source.js';
import type { UnitHeader } from './unit.js';

export interface DwarfTypes {
  table: TypeTable;
  dwarfVersions: number[];
  addressSize: number;
  diagnostics: Diagnostic[];
  unitCount: number;
  /** True when stopAfterUnit ended reading before the last unit, or units were skipped. */
  partial: boolean;
  /** [offset, end) of every unit of .debug_info. */
  unitExtents: [number, number][];
  /** Some DIE referred into another unit (ref_addr, type units): units cannot be read alone. */
  crossUnitRefs: boolean;
}

export interface LoadOptions {
  /** Called after each unit, for progress reporting. */
  onUnit?: (done: number, total: number) => void;
  /**
   * Checked after each unit: true stops reading (the types seen so far are returned, and the
   * result is marked partial). Lets `-C NAME` stop at the first definition, as pahole does.
   */
  stopAfterUnit?: (table: TypeTable) => boolean;
  /**
   * Only the units at these .debug_info offsets are converted (those a type index or a name
   * search found); the result is then partial. Ignored when units cannot be read alone.
   */
  onlyUnits?: ReadonlySet<number>;
  /**
   * Called before a unit of .debug_info is decoded, with its byte range: lets the loader fill in a
   * sparsely read section only for the units actually converted (and the units they refer to).
   */
  beforeUnit?: (start: number, end: number) => void;
  /** Record DW_AT_decl_file/line on members too (reorg --patch); off by default to save memory. */
  memberDecl?: boolean;
  /**
   * Only the struct/union/class/enum definitions of these names are wanted (`-C NAME`): in a C
   * unit, only those are converted, with the types they refer to; every other definition of the
   * unit is left alone. (C only: there a member's type is complete, so the DIE it refers to is the
   * definition and nothing is found by name; C++ may refer to a declaration whose definition is
   * elsewhere in the unit.) Files with type units, dwz or split DWARF convert everything.
   */
  typeNames?: readonly string[];
}

/** Debug info outside the file's own sections (see src/load: supplementary.ts, split.ts). */
export interface ExternalDwarf {
  /** The dwz supplementary file's sections (DW_FORM_GNU_ref_alt / ref_sup, strp_alt / strp_sup). */
  alt?: DwarfSections;
  /**
   * The full unit(s) of a skeleton unit (split DWARF), from its .dwo or the .dwp. Throws a
   * StructscopeError naming what is missing; the converter records it and goes on.
   */
  split?: (skeleton: SkeletonInfo) => SplitUnitSections | undefined;
}

export interface SkeletonInfo {
  version: number;
  dwoName?: string;
  compDir?: string;
  /** DWARF 5 header dwo_id (16 hex digits). */
  dwoId?: string;
}

export interface SplitUnitSections {
  sections: DwarfSections;
  /** DW_AT_str_offsets_base of the split unit (it has none of its own). */
  strOffsetsBase: number;
  /**
   * The type units of a .dwp (.debug_tu_index), each with its own contributions; the same
   * array for every unit of one package, so they are added once.
   */
  typeUnits?: readonly SplitUnitSections[];
}


const IN_PROGRESS = -2;
const MAX_RECURSION = 2000;

/** Read every unit of the sections and convert their types into one deduplicated TypeTable. */
export function loadDwarfTypes(sections: DwarfSections, opts: LoadOptions = {}, external: ExternalDwarf = {}): DwarfTypes {
  return new Converter(sections, external).run(opts);
}

class Converter {
  readonly table = new TypeTable();
  readonly diagnostics: Diagnostic[] = [];
  private readonly le: boolean;
  private readonly main: DwarfSource;
  /** Structural key → TypeId, for every interned type. */
  private readonly interned = new Map<string, TypeId>();
  /** Aggregate identity hash → TypeId. */
  private readonly aggregates = new Map<number, TypeId>();
  private readonly versions = new Set<number>();
  private addressSize = 0;
  private readonly signatures = new Map<string, { header: UnitHeader; section: SectionBytes; src: DwarfSource }>();
  /** Partial units (dwz) already converted, by source and offset. */
  private readonly partialsDone = new Set<string>();
  private readonly sourceIds = new Map<DwarfSource, number>();
  private extraUnitCount = 0;
  /** .dwp type unit lists already registered (SplitUnitSections.typeUnits). */
  private readonly packageTypeUnits = new Set<readonly SplitUnitSections[]>();
  /** Signatures of the type units converted so far. */
  private readonly typeUnitsDone = new Set<string>();
  /** Units scanned for cross-unit references, kept while in use. */
  private readonly foreign = new Map<string, ScannedUnit>();
  private depth = 0;
  private unresolvedCount = 0;
  private crossUnitRefs = false;
  private readonly identity = new AggregateIdentity();

  constructor(
    private readonly sec: DwarfSections,
    private readonly external: ExternalDwarf = {},
  ) {
    this.le = sec.littleEndian;
    const alt = external.alt ? new DwarfSource(external.alt, 'supplementary') : undefined;
    this.main = new DwarfSource(sec, 'main', alt);
    if (alt) this.addSource(alt);
    this.addSource(this.main);
  }

  /** Record a source's header errors and type units. */
  private addSource(src: DwarfSource): void {
    this.sourceIds.set(src, this.sourceIds.size);
    for (const e of src.errors) this.diag(e);
    for (const tu of src.typeUnits) {
      if (tu.header.typeSignature && !this.signatures.has(tu.header.typeSignature)) this.signatures.set(tu.header.typeSignature, { ...tu, src });
      this.versions.add(tu.header.version);
    }
  }

  private beforeUnit: LoadOptions['beforeUnit'];
  private memberDecl = false;
  /** LoadOptions.typeNames as UTF-8 bytes, compared with names in place (no string per DIE). */
  private typeNames: Uint8Array[] | undefined;
  /** The unit being converted takes only the wanted types: what pointers reach stays shallow. */
  private shallowPointees = false;
  /** Converting what a pointer refers to (shallowPointees). */
  private behindPointer = false;

  run(opts: LoadOptions): DwarfTypes {
    this.beforeUnit = opts.beforeUnit;
    this.memberDecl = opts.memberDecl === true;
    const info = this.sec.info;
    const units = this.main.units;
    // units cannot be read alone when types live elsewhere: dwz partial units and supplementary
    // files, split DWARF skeletons, type units (a unit names a type and takes it by signature)
    const separate = this.external.alt !== undefined || units.some((u) => u.unitType === DW_UT.partial || u.unitType === DW_UT.skeleton);
    const typeUnits = this.main.typeUnits.length > 0;
    const wanted = separate || typeUnits ? undefined : opts.onlyUnits;
    if (!separate && !typeUnits && opts.typeNames?.length) this.typeNames = opts.typeNames.map((n) => new TextEncoder().encode(n));
    const dies = new UnitDies(4096);
    const total = units.length;
    let done = 0;
    let stoppedEarly = wanted !== undefined;
    for (const header of units) {
      this.versions.add(header.version);
      if (header.unitType === DW_UT.type || header.unitType === DW_UT.split_type || header.unitType === DW_UT.partial || (wanted && !wanted.has(header.offset))) {
        done++;
        continue; // type units: converted when referenced; partial units (dwz): when imported
      }
      const unit = this.scan(this.main, header, info!, dies);
      if (unit) this.convertTopUnit(unit);
      this.foreign.clear();
      opts.onUnit?.(++done, total);
      if (opts.stopAfterUnit?.(this.table)) {
        stoppedEarly ||= done < total;
        break;
      }
    }
    if (!stoppedEarly) {
      // type units no compile unit refers to still define types
      for (const sig of this.signatures.keys()) {
        if (!this.typeUnitsDone.has(sig)) this.signatureRef(sig);
        this.foreign.clear();
      }
      // partial units no compile unit imports (dwz always imports them; this is a safety net)
      for (const header of units) {
        if (header.unitType !== DW_UT.partial || this.partialsDone.has(`${this.sourceIds.get(this.main)}:${header.offset}`)) continue;
        this.convertPartial(this.main, header);
      }
    }
    return {
      table: this.table,
      dwarfVersions: [...this.versions].sort((a, b) => a - b),
      addressSize: this.addressSize || 8,
      diagnostics: this.diagnostics,
      unitCount: units.length + (this.sec.types ? this.main.typeUnits.length : 0) + this.extraUnitCount,
      partial: stoppedEarly,
      unitExtents: units.map((u) => [u.offset, u.end]),
      crossUnitRefs: this.crossUnitRefs || this.main.typeUnits.length > 0 || separate,
    };
  }

  private diag(e: StructscopeError): void {
    if (this.diagnostics.length < 1000) this.diagnostics.push({ message: e.message, fileOffset: e.fileOffset });
  }

  private scan(src: DwarfSource, header: UnitHeader, section: SectionBytes, dies: UnitDies): ScannedUnit | undefined {
    try {
      if (section === this.sec.info) this.beforeUnit?.(header.offset, header.end);
      const root = scanUnit(section, header, src.abbrevs(header.abbrevOffset), dies, this.le);
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

  // ---- units from other files: dwz partial units, split DWARF ---------------------------------

  /** Convert a compile unit, the partial units it imports first, and the split unit of a skeleton. */
  private convertTopUnit(unit: ScannedUnit): void {
    try {
      this.convertImports(unit);
      if (unit.header.unitType === DW_UT.skeleton || unit.root.dwoNameKind !== StrKind.None) this.convertSplit(unit);
      else this.convertUnit(unit);
    } catch (e) {
      if (!(e instanceof StructscopeError)) throw e;
      this.diag(e);
    }
  }

  /** dwz: DW_TAG_imported_unit children of the unit DIE name partial units (here or in the supplementary file). */
  private convertImports(u: ScannedUnit): void {
    const { dies } = u;
    for (let c = dies.count > 0 ? dies.firstChild[0]! : -1; c >= 0; c = dies.nextSibling[c]!) {
      if (dies.tag[c] !== DW_TAG.imported_unit) continue;
      const kind = dies.typeKind[c] as RefKind;
      const src = kind === RefKind.Alt ? u.src.alt : kind === RefKind.Section ? u.src : undefined;
      if (!src) {
        this.unresolved(kind === RefKind.Alt ? 'partial unit in the supplementary file, which was not loaded' : 'imported unit');
        continue;
      }
      const header = src.unitAt(src.sec.info ?? u.section, dies.type[c]!);
      if (!header) {
        this.unresolved(`imported unit 0x${dies.type[c]!.toString(16)} outside every unit`);
        continue;
      }
      this.convertPartial(src, header);
    }
  }

  private convertPartial(src: DwarfSource, header: UnitHeader): void {
    const key = `${this.sourceIds.get(src)}:${header.offset}`;
    if (this.partialsDone.has(key) || !src.sec.info) return;
    this.partialsDone.add(key);
    this.versions.add(header.version);
    const unit = this.scan(src, header, src.sec.info, new UnitDies(256));
    if (!unit) return;
    this.convertImports(unit);
    this.convertUnit(unit);
  }

  /** Split DWARF: the types of a skeleton unit live in its .dwo (or the .dwp). */
  private convertSplit(skel: ScannedUnit): void {
    const resolve = this.external.split;
    if (!resolve) return;
    const str = (kind: StrKind, v: number): string | undefined =>
      kind === StrKind.None ? undefined : skel.src.strings.get(kind, v, skel.section.bytes, skel.root.strOffsetsBase ?? 8, skel.header.offsetSize);
    const info: SkeletonInfo = { version: skel.header.version };
    const dwoName = str(skel.root.dwoNameKind, skel.root.dwoName);
    const compDir = str(skel.root.compDirKind, skel.root.compDir);
    if (dwoName !== undefined) info.dwoName = dwoName;
    if (compDir !== undefined) info.compDir = compDir;
    const dwoId = skel.header.dwoId ?? skel.root.dwoId;
    if (dwoId) info.dwoId = dwoId;
    const split = resolve(info);
    if (!split) return;
    const src = new DwarfSource(split.sections, 'split', undefined, split.strOffsetsBase);
    this.addSource(src);
    if (split.typeUnits && !this.packageTypeUnits.has(split.typeUnits)) {
      this.packageTypeUnits.add(split.typeUnits);
      for (const tu of split.typeUnits) this.addSource(new DwarfSource(tu.sections, 'split', undefined, tu.strOffsetsBase));
    }
    const dies = new UnitDies(4096);
    for (const header of src.units) {
      if (header.unitType === DW_UT.type || header.unitType === DW_UT.split_type) continue;
      this.versions.add(header.version);
      this.extraUnitCount++;
      const unit = this.scan(src, header, split.sections.info!, dies);
      if (unit) this.convertUnit(unit);
      this.foreign.clear();
    }
  }

  // ---- per-unit conversion -------------------------------------------------------------------

  /** Pass 1 registers every struct/union/class/enum in DIE order (the order pahole prints); pass 2 fills them. */
  private convertUnit(u: ScannedUnit): void {
    const { dies } = u;
    const toFill: number[] = [];
    const names = this.typeNames && isCLanguage(u.root.language) ? this.typeNames : undefined;
    this.shallowPointees = names !== undefined;
    for (let i = 0; i < dies.count; i++) {
      if (isNamedTypeTag(dies.tag[i]!) && u.memo[i] === -1) {
        if (names && !this.nameIsOneOf(u, i, names)) continue;
        if (this.registerAggregate(u, i)) toFill.push(i);
      } else if (dies.typeKind[i] === RefKind.Signature && dies.parent[i] === 0) {
        // type units: a unit-level DIE (variable, typedef) naming a type unit brings its type in, in DIE order
        this.ref(u, RefKind.Signature, dies.type[i]!);
      }
    }
    for (const i of toFill) this.fillAggregate(u, i);
    this.shallowPointees = false;
  }

  /** Give an aggregate/enum DIE its TypeId: an existing identical one, or a new placeholder. Returns true when new. */
  private registerAggregate(u: ScannedUnit, i: number): boolean {
    const enumStub = u.dies.tag[i] === DW_TAG.enumeration_type && u.dies.has(DieFlag.Declaration, i);
    if (u.dies.typeKind[i] === RefKind.Signature && (u.dies.tag[i] !== DW_TAG.enumeration_type || enumStub)) {
      // a stub whose DW_AT_signature names the type unit that defines it (gcc -fdebug-types-section;
      // clang's nested enums too: an enum's type slot is otherwise its underlying type)
      u.memo[i] = this.ref(u, RefKind.Signature, u.dies.type[i]!);
      if (u.dies.firstChild[i]! >= 0) this.mergeStubMethods(u, i, u.memo[i]!);
      return false;
    }
    const key = this.identity.key(u, i);
    const { dies } = u;
    const existing = this.aggregates.get(key);
    if (existing !== undefined && this.sameHeader(existing, u, i)) {
      u.memo[i] = existing;
      return false;
    }
    const tag = dies.tag[i]!;
    const name = this.name(u, i);
    const declaration = dies.has(DieFlag.Declaration, i);
    const size = finite(dies.byteSize[i]!) ?? 0;
    let t: Type;
    if (tag === DW_TAG.enumeration_type) {
      const e: EnumType = { kind: 'enum', size, declaration, enumerators: [], origin: { die: dies.offset[i]! } };
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
      if (dies.parent[i] !== 0) a.topLevel = false;
      if (u.root.language !== undefined) a.language = u.root.language;
      const align = finite(dies.alignment[i]!);
      if (align !== undefined) a.alignment = align;
      t = a;
    }
    const decl = this.decl(u, i);
    if (decl) (t as AggregateType | EnumType).decl = decl;
    const id = this.table.add(t);
    if (existing === undefined) this.aggregates.set(key, id);
    u.memo[i] = id;
    if (!declaration) this.table.addDefinition(id);
    return true;
  }

  /**
   * clang declares a type unit's implicit member functions (constructors, the destructor) in the
   * stub that names the type unit, not in the type unit: add those the type does not have yet.
   */
  private mergeStubMethods(u: ScannedUnit, i: number, id: TypeId): void {
    const t = this.table.get(id);
    if (t.kind !== 'struct' && t.kind !== 'class' && t.kind !== 'union') return;
    const { dies } = u;
    const key = (m: Method): string => `${m.name ?? ''}|${m.linkageName ?? ''}|${m.params.join(',')}`;
    let have: Set<string> | undefined;
    for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
      if (childKind(dies.tag[c]!) !== ChildKind.Method) continue;
      const m = this.method(u, c);
      const children = (t.children ??= t.members.map((_, index): ClassChild => ({ kind: 'member', index })));
      have ??= new Set(children.flatMap((ch) => (ch.kind === 'method' ? [key(ch.method)] : [])));
      if (have.has(key(m))) continue;
      have.add(key(m));
      children.push({ kind: 'method', method: m });
    }
  }

  /** Guard against hash collisions: the kept type must have the same name and size. */
  private sameHeader(id: TypeId, u: ScannedUnit, i: number): boolean {
    const t = this.table.get(id) as AggregateType | EnumType;
    return t.name === this.name(u, i) && t.size === (finite(u.dies.byteSize[i]!) ?? 0);
  }

  private fillAggregate(u: ScannedUnit, i: number): void {
    const t = this.table.get(u.memo[i]!);
    const { dies } = u;
    if (t.kind === 'enum') {
      const list: Enumerator[] = [];
      for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
        if (dies.tag[c] !== DW_TAG.enumerator) continue;
        list.push({ name: this.name(u, c) ?? '', value: this.constValue(u, c) });
      }
      (t as { enumerators: Enumerator[] }).enumerators = list;
      if (dies.typeKind[i]) (t as EnumType).underlying = this.typeRef(u, i);
      return;
    }
    const isUnion = dies.tag[i] === DW_TAG.union_type;
    const members: Member[] = [];
    let hasOthers = false;
    for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
      const tag = dies.tag[c]!;
      if (tag !== DW_TAG.member && tag !== DW_TAG.inheritance) {
        if (childKind(tag) !== ChildKind.None) hasOthers = true;
        continue;
      }
      members.push(this.member(u, c, tag === DW_TAG.inheritance, isUnion));
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
          children.push({ kind: 'type', type: this.convert(u, c) });
          break;
        case ChildKind.Method:
          children.push({ kind: 'method', method: this.method(u, c) });
          break;
        case ChildKind.Variable: {
          const v: ClassChild = {
            kind: 'variable',
            type: this.typeRef(u, c),
            external: dies.has(DieFlag.External, c),
            declaration: dies.has(DieFlag.Declaration, c),
          };
          const name = this.name(u, c);
          if (name !== undefined) v.name = name;
          children.push(v);
          break;
        }
      }
    }
    (t as AggregateType).children = children;
  }

  /** A member function (DW_TAG_subprogram child of an aggregate). */
  private method(u: ScannedUnit, c: number): Method {
    const { dies } = u;
    const params: TypeId[] = [];
    const paramNames: (string | undefined)[] = [];
    let named = false;
    let variadic = false;
    for (let p = dies.firstChild[c]!; p >= 0; p = dies.nextSibling[p]!) {
      const pt = dies.tag[p]!;
      if (pt === DW_TAG.formal_parameter) {
        params.push(this.typeRef(u, p));
        const pn = this.name(u, p);
        if (pn !== undefined) named = true;
        paramNames.push(pn);
      } else if (pt === DW_TAG.unspecified_parameters) variadic = true;
    }
    const m: Method = { returnType: this.typeRef(u, c), params, variadic };
    const name = this.name(u, c);
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

  private member(u: ScannedUnit, c: number, isBase: boolean, inUnion: boolean): Member {
    const { dies } = u;
    const type = this.typeRef(u, c);
    const m: Member = { type, bitOffset: 0, byteSize: 0 };
    const name = this.name(u, c);
    if (name !== undefined) m.name = name;
    if (this.memberDecl) {
      const decl = this.decl(u, c);
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
      m.byteSize = this.table.sizeOf(this.table.strip(type));
      if (!Number.isNaN(dies.constValue[c]!)) m.constValue = this.constValue(u, c);
      if (dies.has(DieFlag.Artificial, c)) m.artificial = true;
      const acc = finite(dies.accessibility[c]!);
      if (acc !== undefined) m.accessibility = acc;
      return m;
    }
    const bitSize = finite(dies.bitSize[c]!);
    const typeSize = this.table.sizeOf(this.table.strip(type));
    const loc = finite(dies.memberLocation[c]!) ?? 0;
    const dataBitOffset = finite(dies.dataBitOffset[c]!);
    if (bitSize !== undefined) {
      m.bitSize = bitSize;
      const unitSize = finite(dies.byteSize[c]!) ?? typeSize;
      m.byteSize = unitSize;
      const msbOffset = finite(dies.bitOffset[c]!);
      if (dataBitOffset !== undefined) m.bitOffset = dataBitOffset;
      else if (msbOffset !== undefined) m.bitOffset = this.le ? 8 * loc + 8 * unitSize - msbOffset - bitSize : 8 * loc + msbOffset;
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

  // ---- references ------------------------------------------------------------------------------

  /** The TypeId named by DIE i's DW_AT_type (void when absent). */
  private typeRef(u: ScannedUnit, i: number): TypeId {
    return this.ref(u, u.dies.typeKind[i] as RefKind, u.dies.type[i]!);
  }

  private ref(u: ScannedUnit, kind: RefKind, value: number): TypeId {
    switch (kind) {
      case RefKind.None:
        return VOID_TYPE;
      case RefKind.Section: {
        if (value >= u.header.offset && value < u.header.end) {
          const j = u.dies.indexOf(value);
          if (j < 0) return this.unresolved(`no DIE at 0x${value.toString(16)}`);
          return this.convert(u, j);
        }
        return this.foreignRef(u.src, u.section, value);
      }
      case RefKind.Signature: {
        return this.signatureRef(u.dies.signatures[value]!);
      }
      default: {
        const alt = u.src.alt;
        if (!alt?.sec.info) return this.unresolved('reference into a supplementary file, which was not loaded');
        return this.foreignRef(alt, alt.sec.info, value);
      }
    }
  }

  /** The type defined by the type unit with signature `sig` (DW_FORM_ref_sig8). */
  private signatureRef(sig: string): TypeId {
    const tu = this.signatures.get(sig);
    if (!tu) return this.unresolved(`type unit ${sig} not found`);
    this.typeUnitsDone.add(sig);
    return this.foreignRef(tu.src, tu.section, tu.header.offset + (tu.header.typeOffset ?? 0), tu.header);
  }

  /** Convert a DIE of another unit (DW_FORM_ref_addr, type units). */
  private foreignRef(src: DwarfSource, section: SectionBytes, offset: number, knownUnit?: UnitHeader): TypeId {
    this.crossUnitRefs = true;
    const header = knownUnit ?? src.unitAt(section, offset);
    if (!header) return this.unresolved(`reference 0x${offset.toString(16)} outside every unit`);
    const key = `${this.sourceIds.get(src)}:${section.name}:${header.offset}`;
    let u = this.foreign.get(key);
    if (!u) {
      const scanned = this.scan(src, header, section, new UnitDies(256));
      if (!scanned) return this.unresolved(`unit at 0x${header.offset.toString(16)} unreadable`);
      u = scanned;
      if (this.foreign.size > 64) this.foreign.clear();
      this.foreign.set(key, u);
    }
    const j = u.dies.indexOf(offset);
    if (j < 0) return this.unresolved(`no DIE at 0x${offset.toString(16)}`);
    return this.convert(u, j);
  }

  private unresolved(reason: string): TypeId {
    const key = `?|${reason}`;
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.table.add({ kind: 'unresolved', reason });
      this.interned.set(key, id);
      if (this.unresolvedCount++ < 100) this.diagnostics.push({ message: `unresolved type: ${reason}` });
    }
    return id;
  }

  // ---- conversion of one DIE --------------------------------------------------------------------

  /** A pointer's target; in typeNames mode, aggregates behind it are shallow (registerShallow). */
  private pointee(u: ScannedUnit, i: number): TypeId {
    if (!this.shallowPointees) return this.typeRef(u, i);
    const behind = this.behindPointer;
    this.behindPointer = true;
    try {
      return this.typeRef(u, i);
    } finally {
      this.behindPointer = behind;
    }
  }

  private convert(u: ScannedUnit, i: number): TypeId {
    const memo = u.memo[i]!;
    if (memo >= 0) return memo;
    if (memo === IN_PROGRESS) return this.unresolved(`type cycle at 0x${u.dies.offset[i]!.toString(16)}`);
    if (this.depth > MAX_RECURSION) return this.unresolved('type chain too deep');
    const tag = u.dies.tag[i]!;
    if (this.behindPointer) {
      const seen = u.shallow?.get(i);
      if (seen !== undefined) return seen;
    }
    if (isNamedTypeTag(tag)) {
      if (this.behindPointer && u.dies.nameKind[i] !== StrKind.None) return this.registerShallow(u, i);
      // reached before pass 1 (foreign units, type units): register and fill now; its members
      // are laid out inside it, so they are converted whole even when it was reached by pointer
      const behind = this.behindPointer;
      this.behindPointer = false;
      try {
        if (this.registerAggregate(u, i)) this.fillAggregate(u, i);
      } finally {
        this.behindPointer = behind;
      }
      return u.memo[i]!;
    }
    u.memo[i] = IN_PROGRESS;
    this.depth++;
    let id: TypeId;
    try {
      id = this.convertOther(u, i, tag);
    } finally {
      this.depth--;
    }
    if (this.behindPointer) {
      // may lead to a shallow aggregate: kept apart from the unit's memo, which whole conversions use
      u.memo[i] = -1;
      (u.shallow ??= new Map()).set(i, id);
    } else u.memo[i] = id;
    return id;
  }

  /**
   * A named struct/union/class/enum only pointed to (typeNames mode): its name, size and kind,
   * which is all a pointer to it prints, without members. Not a definition, never deduplicated
   * with whole types; one per distinct header.
   */
  private registerShallow(u: ScannedUnit, i: number): TypeId {
    const { dies } = u;
    const tag = dies.tag[i]!;
    const name = this.name(u, i) ?? '';
    const declaration = dies.has(DieFlag.Declaration, i);
    const size = finite(dies.byteSize[i]!) ?? 0;
    const topLevel = dies.parent[i] === 0;
    const id = this.intern(`s|${tag}|${name}|${size}|${declaration ? 1 : 0}|${topLevel ? 1 : 0}`, (): Type => {
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

  private intern(key: string, make: () => Type): TypeId {
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.table.add(make());
      this.interned.set(key, id);
    }
    return id;
  }

  private convertOther(u: ScannedUnit, i: number, tag: number): TypeId {
    const { dies } = u;
    switch (tag) {
      case DW_TAG.base_type:
      case DW_TAG.unspecified_type: {
        const name = this.name(u, i) ?? '';
        const size = finite(dies.byteSize[i]!) ?? (tag === DW_TAG.unspecified_type ? 0 : 0);
        const encoding = finite(dies.encoding[i]!) ?? 0;
        const bitSize = finite(dies.bitSize[i]!);
        return this.intern(`b|${name}|${size}|${encoding}|${bitSize ?? ''}`, () => {
          const t: Type = { kind: 'base', name, size, encoding };
          if (bitSize !== undefined) t.bitSize = bitSize;
          return t;
        });
      }
      case DW_TAG.pointer_type:
      case DW_TAG.reference_type:
      case DW_TAG.rvalue_reference_type:
      case DW_TAG.ptr_to_member_type: {
        const target = this.pointee(u, i);
        const size = finite(dies.byteSize[i]!) ?? u.header.addressSize;
        const pointerKind =
          tag === DW_TAG.pointer_type ? 'pointer' : tag === DW_TAG.reference_type ? 'reference' : tag === DW_TAG.rvalue_reference_type ? 'rvalue_reference' : 'ptr_to_member';
        const containing = dies.containingKind[i] ? this.ref(u, dies.containingKind[i] as RefKind, dies.containing[i]!) : undefined;
        return this.intern(`p|${pointerKind}|${size}|${target}|${containing ?? ''}`, () => {
          const t: Type = { kind: 'pointer', pointerKind, target, size };
          if (containing !== undefined) t.containingType = containing;
          return t;
        });
      }
      case DW_TAG.typedef: {
        const name = this.name(u, i) ?? '';
        const target = this.typeRef(u, i);
        const alignment = finite(dies.alignment[i]!);
        return this.intern(`t|${name}|${target}|${alignment ?? ''}`, () => {
          const t: Type = { kind: 'typedef', name, target };
          if (alignment !== undefined) t.alignment = alignment;
          const decl = this.decl(u, i);
          if (decl) t.decl = decl;
          return t;
        });
      }
      case DW_TAG.const_type:
      case DW_TAG.volatile_type:
      case DW_TAG.restrict_type:
      case DW_TAG.atomic_type:
      case DW_TAG.immutable_type:
      case DW_TAG.packed_type: {
        const target = this.typeRef(u, i);
        if (tag === DW_TAG.immutable_type || tag === DW_TAG.packed_type) return target;
        const qualifier = tag === DW_TAG.const_type ? 'const' : tag === DW_TAG.volatile_type ? 'volatile' : tag === DW_TAG.restrict_type ? 'restrict' : 'atomic';
        return this.intern(`q|${qualifier}|${target}`, () => ({ kind: 'qualifier', qualifier, target }));
      }
      case DW_TAG.array_type: {
        const element = this.typeRef(u, i);
        const dims: (number | null)[] = [];
        for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
          const ct = dies.tag[c]!;
          if (ct !== DW_TAG.subrange_type && ct !== DW_TAG.generic_subrange) continue;
          dims.push(subrangeCount(dies, c));
        }
        if (dims.length === 0) dims.push(null);
        const size = finite(dies.byteSize[i]!);
        const vector = dies.has(DieFlag.Vector, i);
        return this.intern(`a|${element}|${dims.join(',')}|${size ?? ''}|${vector ? 1 : 0}`, () => {
          const t: Type = { kind: 'array', element, dims };
          if (size !== undefined) t.size = size;
          if (vector) t.vector = true;
          return t;
        });
      }
      case DW_TAG.subroutine_type: {
        const returnType = this.typeRef(u, i);
        const params: TypeId[] = [];
        let variadic = false;
        for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
          const ct = dies.tag[c]!;
          if (ct === DW_TAG.formal_parameter) params.push(this.typeRef(u, c));
          else if (ct === DW_TAG.unspecified_parameters) variadic = true;
        }
        const prototyped = dies.has(DieFlag.Prototyped, i);
        return this.intern(`f|${returnType}|${params.join(',')}|${variadic ? 1 : 0}|${prototyped ? 1 : 0}`, () => ({
          kind: 'function',
          returnType,
          params,
          variadic,
          prototyped,
        }));
      }
      default:
        return this.unresolved(`DIE 0x${dies.offset[i]!.toString(16)} (tag 0x${tag.toString(16)}) is not a type`);
    }
  }

  // ---- attribute helpers -----------------------------------------------------------------------

  /** DIE i's name is one of `names` (UTF-8), compared in the string section. */
  private nameIsOneOf(u: ScannedUnit, i: number, names: readonly Uint8Array[]): boolean {
    const kind = u.dies.nameKind[i] as StrKind;
    if (kind === StrKind.None) return false;
    const loc = u.src.strings.locate(kind, u.dies.name[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
    if (!loc) return false;
    const { bytes, offset } = loc;
    outer: for (const n of names) {
      if (offset + n.length >= bytes.length || bytes[offset + n.length] !== 0) continue;
      for (let k = 0; k < n.length; k++) if (bytes[offset + k] !== n[k]) continue outer;
      return true;
    }
    return false;
  }

  private name(u: ScannedUnit, i: number): string | undefined {
    const kind = u.dies.nameKind[i] as StrKind;
    if (kind === StrKind.None) return undefined;
    return u.src.strings.get(kind, u.dies.name[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
  }

  private constValue(u: ScannedUnit, i: number): bigint {
    const { dies } = u;
    const v = dies.constValue[i]!;
    if (Number.isNaN(v)) return 0n;
    const form = dies.constForm[i]!;
    const pos = dies.constPos[i]!;
    const b = u.section.bytes;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (form) {
      case DW_FORM.data8:
        return view.getBigUint64(pos, this.le);
      case DW_FORM.sdata:
      case DW_FORM.udata:
        return readLebBig(b, pos, form === DW_FORM.sdata);
      default:
        return BigInt(v);
    }
  }

  private decl(u: ScannedUnit, i: number): DeclLocation | undefined {
    const { dies } = u;
    const file = finite(dies.declFile[i]!);
    const line = finite(dies.declLine[i]!);
    if (file === undefined || line === undefined) return undefined;
    if (!u.fileNames) {
      u.fileNames = [];
      const stmt = u.root.stmtList;
      if (stmt !== undefined && u.src.sec.line) {
        try {
          u.src.sec.fillLine?.(stmt);
          u.fileNames = readLineFileNames(u.src.sec.line, stmt, this.le, (kind, v) =>
            u.src.strings.get(kind, v, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize),
          );
        } catch (e) {
          if (!(e instanceof StructscopeError)) throw e;
          this.diag(e);
        }
      }
    }
    const name = u.fileNames[file];
    return name === undefined ? undefined : { file: name, line };
  }
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
function isCLanguage(language: number | undefined): boolean {
  return language === 0x01 || language === 0x02 || language === 0x0c || language === 0x1d || language === 0x2c;
}

function finite(v: number): number | undefined {
  return Number.isNaN(v) ? undefined : v;
}


function readLebBig(b: Uint8Array, p: number, signed: boolean): bigint {
  let result = 0n;
  let shift = 0n;
  let byte: number;
  do {
    byte = b[p++] ?? 0;
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80 && shift < 70n);
  if (signed && byte & 0x40) result -= 1n << shift;
  return result;
}
