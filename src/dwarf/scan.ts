/**
 * The DIE scan: walks a unit's DIE tree once, records the DIEs type layout needs into UnitDies
 * (die-decoder.ts decodes their attributes) and skips the rest with the abbreviation skip plans.
 */
import { StructscopeError } from '../util/errors.js';
import { DW_TAG } from './constants.js';
import { VARIABLE, type AbbrevTable } from './abbrev.js';
import { StrKind, type UnitDies } from './dies.js';
import { DieDecoder } from './die-decoder.js';
import { skipVariable, type UnitRoot } from './scan-values.js';
import type { SectionBytes } from './sections.js';
import type { UnitHeader } from './unit.js';

export type { UnitRoot } from './scan-values.js';

/** Tags whose attributes we decode; every other DIE is skipped but kept in the tree. */
const WANTED = new Uint8Array(0x50);
for (const t of [
  DW_TAG.array_type, DW_TAG.class_type, DW_TAG.enumeration_type, DW_TAG.formal_parameter, DW_TAG.member,
  DW_TAG.pointer_type, DW_TAG.reference_type, DW_TAG.structure_type, DW_TAG.subroutine_type, DW_TAG.typedef,
  DW_TAG.union_type, DW_TAG.unspecified_parameters, DW_TAG.inheritance, DW_TAG.ptr_to_member_type,
  DW_TAG.subrange_type, DW_TAG.base_type, DW_TAG.const_type, DW_TAG.enumerator, DW_TAG.volatile_type,
  DW_TAG.restrict_type, DW_TAG.interface_type, DW_TAG.unspecified_type, DW_TAG.rvalue_reference_type,
  DW_TAG.atomic_type, DW_TAG.immutable_type, DW_TAG.variable, DW_TAG.packed_type, DW_TAG.generic_subrange,
]) WANTED[t] = 1;
// dwz: DW_TAG_imported_unit's DW_AT_import is kept in the type slot (see case DW_AT.import)
WANTED[DW_TAG.imported_unit] = 1;
// Rust: enums with data (DW_AT_discr in the containing slot, DW_AT_discr_value in the constant
// slot) and the namespace tree that names its types (dwarf/convert/rust.ts)
WANTED[DW_TAG.variant_part] = WANTED[DW_TAG.variant] = WANTED[DW_TAG.namespace] = 1;

/** Aggregate tags: their DW_TAG_subprogram children (member functions) are decoded too. */
const AGGREGATE = new Uint8Array(0x50);
for (const t of [DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type, DW_TAG.interface_type]) AGGREGATE[t] = 1;

function isAggregateTag(tag: number): boolean {
  return tag < 0x50 && AGGREGATE[tag] === 1;
}

const MAX_DEPTH = 4096;

/**
 * Decode every DIE of `unit` into `dies` (reset first). This is the hot loop of the whole tool:
 * the abbreviation code is read inline on a local index, skipped DIEs cost their skip plan.
 * Returns the unit DIE's attributes.
 * With `roots` (LoadOptions.roots, `diff --abi`), the unit's top-level functions are decoded too,
 * with their direct parameters, and top-level functions and variables keep DW_AT_linkage_name.
 * Throws StructscopeError naming the section offset when the unit is malformed.
 */
export function scanUnit(sec: SectionBytes, unit: UnitHeader, abbrevs: AbbrevTable, dies: UnitDies, littleEndian: boolean, roots = false): UnitRoot {
  dies.reset(unit.offset, unit.end - unit.offset);
  const b = sec.bytes;
  const end = unit.end;
  const plan = abbrevs.plan(unit);
  const { formSize, fixedTotal } = plan;
  const root: UnitRoot = { tag: 0, nameKind: StrKind.None, name: 0, compDirKind: StrKind.None, compDir: 0, dwoNameKind: StrKind.None, dwoName: 0 };
  const fail = (at: number, msg: string, code: 'EOF' | 'BAD_ABBREV' | 'BAD_FORM' | 'LIMIT' = 'EOF'): never => {
    throw new StructscopeError(code, msg, { section: sec.name, fileOffset: sec.fileOffset + at });
  };
  const decoder = new DieDecoder(b, unit, abbrevs, dies, root, littleEndian, fail);

  let p = unit.dieOffset;
  let parent = -1;
  let lastChild = -1; // last child appended under `parent`
  const lastChildStack: number[] = [];
  // inside a function body (under a subprogram that is not a member function, not under a type):
  // parameters and variables there are skipped, and leaves that are not types are not recorded
  let inBody = false;
  const bodyStack: boolean[] = [];
  let depth = 0;
  const skipAttributes = (at: number, ai: number, aStart: number, aEnd: number): number => {
    const fixed = fixedTotal[ai]!;
    if (fixed !== VARIABLE) return at + fixed;
    for (let j = aStart; j < aEnd; j++) {
      const sz = formSize[j]!;
      if (sz !== VARIABLE) at += sz;
      else at = skipVariable(b, at, abbrevs.attrForm[j]!, unit, littleEndian, fail);
    }
    return at;
  };
  while (p < end) {
    const dieOff = p;
    // abbreviation code (ULEB128)
    let code = b[p++]!;
    if (code >= 0x80) {
      code &= 0x7f;
      let mul = 0x80;
      let byte: number;
      do {
        byte = b[p++]!;
        code += (byte & 0x7f) * mul;
        mul *= 0x80;
      } while (byte & 0x80);
    }
    if (code === 0) {
      // end of a sibling chain
      if (parent < 0) continue; // padding after the unit DIE
      lastChild = lastChildStack.pop()!;
      inBody = bodyStack.pop()!;
      parent = dies.parent[parent]!;
      depth--;
      continue;
    }
    const ai = abbrevs.indexOf(code);
    if (ai < 0) fail(dieOff, `abbreviation code ${code} not in the table at 0x${unit.abbrevOffset.toString(16)}`, 'BAD_ABBREV');
    const tag = abbrevs.tags[ai]!;
    const aStart = abbrevs.attrStart[ai]!;
    const aEnd = aStart + abbrevs.attrCount[ai]!;
    const isRoot = dies.count === 0;
    // member functions: DW_TAG_subprogram directly inside a struct/class/union (never elsewhere)
    const isMethod = tag === DW_TAG.subprogram && parent >= 0 && isAggregateTag(dies.tag[parent]!);
    // roots: top-level functions (with their direct parameters) and variables; decided only when asked for
    const isRootDecl = roots && parent === 0 && (tag === DW_TAG.subprogram || tag === DW_TAG.variable);
    const isRootParam = roots && tag === DW_TAG.formal_parameter && parent > 0 && dies.parent[parent] === 0 && dies.tag[parent] === DW_TAG.subprogram;
    const wanted = isRoot || isMethod || isRootDecl || isRootParam || (tag < 0x50 && WANTED[tag] === 1 && !(inBody && (tag === DW_TAG.formal_parameter || tag === DW_TAG.variable)));
    const hasChildren = abbrevs.hasChildren[ai] === 1;
    if (!wanted && inBody && !hasChildren) {
      // a function's parameter, variable, label or call site: not even recorded
      p = skipAttributes(p, ai, aStart, aEnd);
      if (p > end) fail(dieOff, 'DIE runs past the end of the unit');
      continue;
    }
    const i = dies.push(dieOff, tag, parent);
    if (lastChild >= 0) dies.nextSibling[lastChild] = i;
    else if (parent >= 0) dies.firstChild[parent] = i;
    lastChild = i;

    if (!wanted) {
      p = skipAttributes(p, ai, aStart, aEnd);
    } else {
      if (isMethod || isRootDecl) dies.resetMethod(i);
      p = decoder.decode(i, p, aStart, aEnd, tag, isRoot, isRootDecl);
      if (isRoot) {
        root.tag = tag;
        root.nameKind = dies.nameKind[0] as StrKind;
        root.name = dies.name[0]!;
      }
    }
    if (p > end) fail(dieOff, 'DIE runs past the end of the unit');
    if (hasChildren) {
      if (++depth > MAX_DEPTH) fail(dieOff, `DIE nesting deeper than ${MAX_DEPTH}`, 'LIMIT');
      lastChildStack.push(lastChild);
      bodyStack.push(inBody);
      parent = i;
      lastChild = -1;
      // a function body starts under a subprogram that is not a member function and ends under a type
      // (a top-level subprogram is recorded above, before its body is skipped: the place to keep
      // its name, type and parameters when a mode asks for functions)
      if (isRoot || isMethod || (wanted && tag !== DW_TAG.subprogram)) inBody = false;
      else if (tag === DW_TAG.subprogram) inBody = true;
    }
  }
  return root;
}
