/**
 * The roots of the ABI surface (`diff --abi`, docs/abi-surface.md §2): the top-level functions and
 * variables of a unit whose name (DW_AT_linkage_name first, for C++) is one of LoadOptions.roots,
 * with the types they take and give. scan.ts decodes these DIEs and their direct parameters only
 * when roots are asked for.
 *
 * Only DIEs with DW_AT_external count (a static function of the same name is another symbol).
 * An abstract DIE (DW_AT_inline) carries the name and prototype itself; its concrete copy
 * (DW_AT_abstract_origin, no name) is passed over. A variable defined through DW_AT_specification
 * is found by its declaration, which has name and type. A definition beats a declaration.
 */
import type { SymbolRoot, TypeId } from '../../model/types.js';
import { StructscopeError } from '../../util/errors.js';
import { DW_TAG } from '../constants.js';
import { DieFlag, StrKind } from '../dies.js';
import type { ScannedUnit } from '../scanned.js';
import { dieName } from './attributes.js';
import { typeRef } from './references.js';
import type { ConvertState } from './state.js';

export interface RootCandidate {
  root: SymbolRoot;
  /** 2: a definition, 1: a declaration. */
  rank: number;
}

/** Record the roots among the unit's top-level DIEs (cx.rootNames must be set). */
export function collectRoots(cx: ConvertState, u: ScannedUnit): void {
  const names = cx.rootNames!;
  const { dies } = u;
  try {
    for (let c = dies.count > 0 ? dies.firstChild[0]! : -1; c >= 0; c = dies.nextSibling[c]!) {
      const tag = dies.tag[c];
      if ((tag !== DW_TAG.subprogram && tag !== DW_TAG.variable) || !dies.has(DieFlag.External, c)) continue;
      const name = linkageName(u, c) ?? dieName(cx, u, c);
      if (name === undefined || !names.has(name)) continue;
      const rank = dies.has(DieFlag.Declaration, c) ? 1 : 2;
      const prev = cx.roots.get(name);
      if (prev && prev.rank >= rank) continue;
      const root: SymbolRoot = tag === DW_TAG.variable ? { name, kind: 'object', type: typeRef(cx, u, c) } : functionRoot(cx, u, c, name);
      cx.roots.set(name, { root, rank });
    }
  } catch (e) {
    if (!(e instanceof StructscopeError)) throw e;
    cx.diag(e);
  }
}

function functionRoot(cx: ConvertState, u: ScannedUnit, i: number, name: string): SymbolRoot {
  const { dies } = u;
  const params: { name?: string; type: TypeId }[] = [];
  let variadic = false;
  for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
    if (dies.tag[c] === DW_TAG.unspecified_parameters) variadic = true;
    if (dies.tag[c] !== DW_TAG.formal_parameter) continue;
    const p: { name?: string; type: TypeId } = { type: typeRef(cx, u, c) };
    const n = dieName(cx, u, c);
    if (n !== undefined) p.name = n;
    params.push(p);
  }
  return { name, kind: 'function', returnType: typeRef(cx, u, i), params, variadic };
}

function linkageName(u: ScannedUnit, i: number): string | undefined {
  const kind = u.dies.linkageKind[i] as StrKind;
  if (kind === StrKind.None) return undefined;
  return u.src.strings.get(kind, u.dies.linkage[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
}
