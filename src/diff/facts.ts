/**
 * A type's layout as diffable facts. Built from a show JSON document (JsonFile); an ELF file is first
 * turned into the same JsonFile by report/json.ts, so an ELF and a JSON baseline of it give identical
 * facts and therefore identical diffs. Pure.
 */
import type { JsonFile, JsonMember, JsonType } from '../doc/json.js';

export interface FileFacts {
  path: string;
  /** What the input was: an ELF file or a `show --format json` report. */
  format: 'elf' | 'json';
  machine: string;
  elfClass: 32 | 64;
  endianness: 'little' | 'big';
  buildId: string | null;
  cachelineSize: number;
}

/** A member as show's JSON describes it, with the array dimensions folded into `type` (`long int[6]`). */
export interface MemberFacts extends Pick<JsonMember, 'name' | 'offset' | 'size' | 'bitOffset' | 'bitSize'> {
  type: string;
  base: boolean;
}

/** The numbers of a type that the diff compares and reports. */
export interface TypeSummaryFacts {
  size: number;
  alignment: number | null;
  cachelines: number;
  holes: number;
  sumHoles: number;
  bitHoles: number;
  sumBitHoles: number;
  padding: number;
}

export interface TypeFacts extends TypeSummaryFacts {
  kind: string;
  name: string;
  members: MemberFacts[];
}

export interface LayoutFacts {
  file: FileFacts;
  types: TypeFacts[];
}

export function factsFromJsonFile(f: JsonFile, format: 'elf' | 'json', defaultCachelineSize: number): LayoutFacts {
  return {
    file: {
      path: f.path,
      format,
      machine: f.machine,
      elfClass: f.elfClass,
      endianness: f.endianness,
      buildId: f.buildId,
      cachelineSize: f.cachelineSize ?? defaultCachelineSize,
    },
    types: f.types.map(typeFacts),
  };
}

function typeFacts(t: JsonType): TypeFacts {
  return {
    kind: t.kind,
    name: t.name,
    size: t.size,
    alignment: t.alignment,
    cachelines: t.cachelines,
    holes: t.summary.holes,
    sumHoles: t.summary.sumHoles,
    bitHoles: t.summary.bitHoles,
    sumBitHoles: t.summary.sumBitHoles,
    padding: t.padding,
    // static members (schema version 2) have no storage in the object
    members: [...t.members.filter((m) => !m.static).map(memberFacts), ...variantFacts(t)],
  };
}

/** A Rust enum's discriminant and variant fields as members (`<discriminant>`, `Some.__0`), so a diff sees them change. */
function variantFacts(t: JsonType): MemberFacts[] {
  if (!t.variants) return [];
  const d = t.variants.discriminant;
  const out: MemberFacts[] = d ? [{ name: '<discriminant>', type: d.type, offset: d.offset, size: d.size, base: false }] : [];
  for (const v of t.variants.variants) {
    for (const f of v.fields) out.push({ name: `${v.name}.${f.name ?? ''}`, type: f.type, offset: f.offset, size: f.size, base: false });
  }
  return out;
}

function memberFacts(m: JsonMember): MemberFacts {
  // the array dimensions belong to the type: char[4] -> char[8] is a retype
  // (Rust spells them in the type already: `[u8; 6]`)
  const type = m.type.startsWith('[') ? m.type : m.type + (m.arrayDims ?? []).map((d) => `[${d}]`).join('');
  const out: MemberFacts = { name: m.name, type, offset: m.offset, size: m.size, base: m.base === true };
  if (m.bitSize !== undefined) {
    out.bitOffset = m.bitOffset;
    out.bitSize = m.bitSize;
  }
  return out;
}
