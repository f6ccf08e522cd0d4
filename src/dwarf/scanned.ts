/** A unit scanned into DIE arrays, as the converter and the identity hash see it; and small DIE helpers. */
import { DW_TAG } from './constants.js';
import type { UnitDies } from './dies.js';
import type { UnitRoot } from './scan.js';
import type { SectionBytes } from './sections.js';
import type { DwarfSource } from './source.js';
import type { UnitHeader } from './unit.js';

/** A scanned unit ready for conversion. */
export interface ScannedUnit {
  src: DwarfSource;
  header: UnitHeader;
  section: SectionBytes;
  dies: UnitDies;
  root: UnitRoot;
  /** DIE index → TypeId, -1 unknown, -2 in progress. */
  memo: Int32Array;
  fileNames?: (string | undefined)[];
  /** DIE index → TypeId of what was converted behind a pointer in typeNames mode (to-model.ts). */
  shallow?: Map<number, number>;
}

/** Tags of the types that carry a name and are registered as definitions. */
export function isNamedTypeTag(tag: number): boolean {
  return tag === DW_TAG.structure_type || tag === DW_TAG.union_type || tag === DW_TAG.class_type || tag === DW_TAG.enumeration_type || tag === DW_TAG.interface_type;
}

/** Element count of a subrange: DW_AT_count, else upper - lower + 1; null when unbounded (flexible array). */
export function subrangeCount(dies: UnitDies, c: number): number | null {
  const count = dies.count_[c]!;
  if (!Number.isNaN(count)) return count;
  const upper = dies.upperBound[c]!;
  if (Number.isNaN(upper)) return null;
  const lower = Number.isNaN(dies.lowerBound[c]!) ? 0 : dies.lowerBound[c]!;
  return Math.max(0, upper - lower + 1);
}
