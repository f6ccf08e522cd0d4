/**
 * References between DIEs, and units that come from elsewhere: a DIE's DW_AT_type within its unit,
 * into other units (DW_FORM_ref_addr), type units (DW_FORM_ref_sig8), the dwz supplementary file,
 * imported partial units, and the split units of skeletons (.dwo, .dwp).
 */
import { StructscopeError } from '../../util/errors.js';
import { VOID_TYPE, type TypeId } from '../../model/types.js';
import { DW_TAG, DW_UT } from '../constants.js';
import { RefKind, StrKind, UnitDies } from '../dies.js';
import type { ScannedUnit } from '../scanned.js';
import type { SectionBytes } from '../sections.js';
import { DwarfSource } from '../source.js';
import type { UnitHeader } from '../unit.js';
import { convertUnit } from './aggregates.js';
import type { SkeletonInfo } from './options.js';
import type { ConvertState } from './state.js';
import { convertDie } from './types.js';

/** Convert a compile unit, the partial units it imports first, and the split unit of a skeleton. */
export function convertTopUnit(cx: ConvertState, unit: ScannedUnit): void {
  try {
    convertImports(cx, unit);
    if (unit.header.unitType === DW_UT.skeleton || unit.root.dwoNameKind !== StrKind.None) convertSplit(cx, unit);
    else convertUnit(cx, unit);
  } catch (e) {
    if (!(e instanceof StructscopeError)) throw e;
    cx.diag(e);
  }
}

/** dwz: DW_TAG_imported_unit children of the unit DIE name partial units (here or in the supplementary file). */
export function convertImports(cx: ConvertState, u: ScannedUnit): void {
  const { dies } = u;
  for (let c = dies.count > 0 ? dies.firstChild[0]! : -1; c >= 0; c = dies.nextSibling[c]!) {
    if (dies.tag[c] !== DW_TAG.imported_unit) continue;
    const kind = dies.typeKind[c] as RefKind;
    const src = kind === RefKind.Alt ? u.src.alt : kind === RefKind.Section ? u.src : undefined;
    if (!src) {
      cx.unresolved(kind === RefKind.Alt ? 'partial unit in the supplementary file, which was not loaded' : 'imported unit');
      continue;
    }
    const header = src.unitAt(src.sec.info ?? u.section, dies.type[c]!);
    if (!header) {
      cx.unresolved(`imported unit 0x${dies.type[c]!.toString(16)} outside every unit`);
      continue;
    }
    convertPartial(cx, src, header);
  }
}

export function convertPartial(cx: ConvertState, src: DwarfSource, header: UnitHeader): void {
  const key = `${cx.sourceIds.get(src)}:${header.offset}`;
  if (cx.partialsDone.has(key) || !src.sec.info) return;
  cx.partialsDone.add(key);
  cx.versions.add(header.version);
  const unit = cx.scan(src, header, src.sec.info, new UnitDies(256));
  if (!unit) return;
  convertImports(cx, unit);
  convertUnit(cx, unit);
}

/** Split DWARF: the types of a skeleton unit live in its .dwo (or the .dwp). */
export function convertSplit(cx: ConvertState, skel: ScannedUnit): void {
  const resolve = cx.external.split;
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
  cx.addSource(src);
  if (split.typeUnits && !cx.packageTypeUnits.has(split.typeUnits)) {
    cx.packageTypeUnits.add(split.typeUnits);
    for (const tu of split.typeUnits) cx.addSource(new DwarfSource(tu.sections, 'split', undefined, tu.strOffsetsBase));
  }
  const dies = new UnitDies(4096);
  for (const header of src.units) {
    if (header.unitType === DW_UT.type || header.unitType === DW_UT.split_type) continue;
    cx.versions.add(header.version);
    cx.extraUnitCount++;
    const unit = cx.scan(src, header, split.sections.info!, dies);
    if (unit) convertUnit(cx, unit);
    cx.foreign.clear();
  }
}

/** The TypeId named by DIE i's DW_AT_type (void when absent). */
export function typeRef(cx: ConvertState, u: ScannedUnit, i: number): TypeId {
  return resolveRef(cx, u, u.dies.typeKind[i] as RefKind, u.dies.type[i]!);
}

export function resolveRef(cx: ConvertState, u: ScannedUnit, kind: RefKind, value: number): TypeId {
  switch (kind) {
    case RefKind.None:
      return VOID_TYPE;
    case RefKind.Section: {
      if (value >= u.header.offset && value < u.header.end) {
        const j = u.dies.indexOf(value);
        if (j < 0) return cx.unresolved(`no DIE at 0x${value.toString(16)}`);
        return convertDie(cx, u, j);
      }
      return foreignRef(cx, u.src, u.section, value);
    }
    case RefKind.Signature: {
      return signatureRef(cx, u.dies.signatures[value]!);
    }
    default: {
      const alt = u.src.alt;
      if (!alt?.sec.info) return cx.unresolved('reference into a supplementary file, which was not loaded');
      return foreignRef(cx, alt, alt.sec.info, value);
    }
  }
}

/** The type defined by the type unit with signature `sig` (DW_FORM_ref_sig8). */
export function signatureRef(cx: ConvertState, sig: string): TypeId {
  const tu = cx.signatures.get(sig);
  if (!tu) return cx.unresolved(`type unit ${sig} not found`);
  cx.typeUnitsDone.add(sig);
  return foreignRef(cx, tu.src, tu.section, tu.header.offset + (tu.header.typeOffset ?? 0), tu.header);
}

/** Convert a DIE of another unit (DW_FORM_ref_addr, type units). */
export function foreignRef(cx: ConvertState, src: DwarfSource, section: SectionBytes, offset: number, knownUnit?: UnitHeader): TypeId {
  cx.crossUnitRefs = true;
  const header = knownUnit ?? src.unitAt(section, offset);
  if (!header) return cx.unresolved(`reference 0x${offset.toString(16)} outside every unit`);
  const key = `${cx.sourceIds.get(src)}:${section.name}:${header.offset}`;
  let u = cx.foreign.get(key);
  if (!u) {
    const scanned = cx.scan(src, header, section, new UnitDies(256));
    if (!scanned) return cx.unresolved(`unit at 0x${header.offset.toString(16)} unreadable`);
    u = scanned;
    if (cx.foreign.size > 64) cx.foreign.clear();
    cx.foreign.set(key, u);
  }
  const j = u.dies.indexOf(offset);
  if (j < 0) return cx.unresolved(`no DIE at 0x${offset.toString(16)}`);
  return convertDie(cx, u, j);
}
