/**
 * DWARF to the model: reads every unit (or the ones asked for) of the sections and converts
 * their types into one deduplicated TypeTable. This is the driver; the conversion is in
 * convert/: state.ts (the table and caches), aggregates.ts (structs, unions, classes, enums),
 * types.ts (every other type), references.ts (references, and units from other files),
 * attributes.ts (attribute values).
 */
import { DW_UT } from './constants.js';
import { UnitDies } from './dies.js';
import type { DwarfSections } from './sections.js';
import { ConvertState } from './convert/state.js';
import { convertPartial, convertTopUnit, signatureRef } from './convert/references.js';
import { collectRoots } from './convert/roots.js';
import type { DwarfTypes, ExternalDwarf, LoadOptions } from './convert/options.js';

export type { DwarfTypes, ExternalDwarf, LoadOptions, SkeletonInfo, SplitUnitSections } from './convert/options.js';

/** Read every unit of the sections and convert their types into one deduplicated TypeTable. */
export function loadDwarfTypes(sections: DwarfSections, opts: LoadOptions = {}, external: ExternalDwarf = {}): DwarfTypes {
  return run(new ConvertState(sections, external), opts);
}

function run(cx: ConvertState, opts: LoadOptions): DwarfTypes {
  cx.beforeUnit = opts.beforeUnit;
  cx.memberDecl = opts.memberDecl === true;
  cx.rootNames = opts.roots;
  const info = cx.sec.info;
  const units = cx.main.units;
  // units cannot be read alone when types live elsewhere: dwz partial units and supplementary
  // files, split DWARF skeletons, type units (a unit names a type and takes it by signature)
  const separate = cx.external.alt !== undefined || units.some((u) => u.unitType === DW_UT.partial || u.unitType === DW_UT.skeleton);
  const typeUnits = cx.main.typeUnits.length > 0;
  const wanted = separate || typeUnits ? undefined : opts.onlyUnits;
  if (!separate && !typeUnits && opts.typeNames?.length) cx.typeNames = opts.typeNames.map((n) => new TextEncoder().encode(n));
  const dies = new UnitDies(4096);
  const total = units.length;
  let done = 0;
  let stoppedEarly = wanted !== undefined;
  for (const header of units) {
    cx.versions.add(header.version);
    if (header.unitType === DW_UT.type || header.unitType === DW_UT.split_type || header.unitType === DW_UT.partial || (wanted && !wanted.has(header.offset))) {
      done++;
      continue; // type units: converted when referenced; partial units (dwz): when imported
    }
    const unit = cx.scan(cx.main, header, info!, dies);
    if (unit) convertTopUnit(cx, unit);
    if (unit && cx.rootNames) collectRoots(cx, unit);
    cx.foreign.clear();
    opts.onUnit?.(++done, total);
    if (opts.stopAfterUnit?.(cx.table)) {
      stoppedEarly ||= done < total;
      break;
    }
  }
  if (!stoppedEarly) {
    // type units no compile unit refers to still define types
    for (const sig of cx.signatures.keys()) {
      if (!cx.typeUnitsDone.has(sig)) signatureRef(cx, sig);
      cx.foreign.clear();
    }
    // partial units no compile unit imports (dwz always imports them; this is a safety net)
    for (const header of units) {
      if (header.unitType !== DW_UT.partial || cx.partialsDone.has(`${cx.sourceIds.get(cx.main)}:${header.offset}`)) continue;
      convertPartial(cx, cx.main, header);
    }
  }
  return {
    table: cx.table,
    dwarfVersions: [...cx.versions].sort((a, b) => a - b),
    addressSize: cx.addressSize || 8,
    diagnostics: cx.diagnostics,
    unitCount: units.length + (cx.sec.types ? cx.main.typeUnits.length : 0) + cx.extraUnitCount,
    partial: stoppedEarly,
    unitExtents: units.map((u) => [u.offset, u.end]),
    crossUnitRefs: cx.crossUnitRefs || cx.main.typeUnits.length > 0 || separate,
    unitLanguages: [...cx.languages].map(([language, units]) => ({ language, units })),
    ...(cx.rootNames ? { roots: [...cx.roots.values()].map((c) => c.root) } : {}),
  };
}
