/**
 * Rust units (fixtures/bin/rust-types-*.o, built by fixtures/build-rust.sh from src/rust_types.rs at
 * DWARF 4 and 5, opt-level 0 and 2): every struct, union, enum and enum-with-data type structscope
 * reads equals what llvm-dwarfdump-19 shows: its path (namespaces and enclosing types), size,
 * members in offset order with their sizes, the discriminant and every variant.
 */
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import type { LoadedFile } from '../../src/load/loaded.js';
import { isAggregate, type AggregateType, type EnumType } from '../../src/model/types.js';
import { dumpDies, haveDwarfdump, num, pathOf, ref, sizeOf, str, type DumpDie } from '../helpers/dwarfdump-tree.js';
import { fixtureManifest, fixturePath } from '../helpers/fixtures.js';

const RUST = fixtureManifest().filter((e) => e.variant === 'rust');
const dwarfdump = haveDwarfdump();
const KINDS: Record<string, string> = { DW_TAG_structure_type: 'struct', DW_TAG_union_type: 'union', DW_TAG_enumeration_type: 'enum' };

interface Facts {
  kind: string;
  size: number;
  members: string[];
  variants?: string[];
  enumerators?: string[];
}

function theirs(file: string): Map<string, Facts> {
  const dies = dumpDies(file);
  const out = new Map<string, Facts>();
  for (const d of dies.values()) {
    const kind = KINDS[d.tag];
    if (!kind || str(d, 'DW_AT_name') === undefined || d.attrs.has('DW_AT_declaration')) continue;
    const member = (m: DumpDie, base = 0): string => `${str(m, 'DW_AT_name') ?? ''}@${base + (num(m, 'DW_AT_data_member_location') ?? 0)}:${sizeOf(dies, ref(m, 'DW_AT_type'))}`;
    const byOffset = (a: DumpDie, b: DumpDie): number => (num(a, 'DW_AT_data_member_location') ?? 0) - (num(b, 'DW_AT_data_member_location') ?? 0);
    const members = d.children.filter((c) => c.tag === 'DW_TAG_member');
    const f: Facts = { kind, size: num(d, 'DW_AT_byte_size') ?? 0, members: (kind === 'union' ? members : [...members].sort(byOffset)).map((m) => member(m)) };
    const part = d.children.find((c) => c.tag === 'DW_TAG_variant_part');
    if (part) {
      const discr = part.children.find((c) => c.tag === 'DW_TAG_member' && c.offset === ref(part, 'DW_AT_discr'));
      f.variants = [discr ? `discriminant ${member(discr)}` : 'no discriminant'];
      for (const v of part.children.filter((c) => c.tag === 'DW_TAG_variant')) {
        for (const m of v.children.filter((c) => c.tag === 'DW_TAG_member')) {
          const vt = dies.get(ref(m, 'DW_AT_type')!)!;
          f.variants.push(`${str(m, 'DW_AT_name')} = ${num(v, 'DW_AT_discr_value') ?? 'other'}: ${pathOf(vt)} @${num(m, 'DW_AT_data_member_location') ?? 0}`);
        }
      }
    }
    if (kind === 'enum') f.enumerators = d.children.filter((c) => c.tag === 'DW_TAG_enumerator').map((e) => `${str(e, 'DW_AT_name')}=${num(e, 'DW_AT_const_value')}`);
    out.set(pathOf(d), f);
  }
  return out;
}

function ours(f: LoadedFile): Map<string, Facts> {
  const { table } = f;
  const out = new Map<string, Facts>();
  for (const id of table.definitions) {
    const t = table.get(id);
    if (!isAggregate(t) && t.kind !== 'enum') continue;
    if (t.name === undefined) continue;
    if (t.kind === 'enum') {
      const e = t as EnumType;
      out.set(t.name, { kind: 'enum', size: e.size, members: [], enumerators: e.enumerators.map((x) => `${x.name}=${x.value}`) });
      continue;
    }
    const a = t as AggregateType;
    const facts: Facts = { kind: a.kind, size: a.size, members: a.members.map((m) => `${m.name ?? ''}@${m.bitOffset / 8}:${m.byteSize}`) };
    const part = a.variantPart;
    if (part) {
      const d = part.discriminant;
      facts.variants = [d ? `discriminant ${d.name ?? ''}@${d.bitOffset / 8}:${d.byteSize}` : 'no discriminant'];
      for (const v of part.variants) {
        const vt = table.get(v.type) as AggregateType;
        facts.variants.push(`${v.name} = ${v.discrValue ?? 'other'}: ${vt.name} @${v.bitOffset / 8}`);
      }
    }
    out.set(a.name!, facts);
  }
  return out;
}

describe('Rust types against llvm-dwarfdump', () => {
  it('the Rust fixtures are in the manifest: DWARF 4 and 5, opt-level 0 and 2', () => {
    expect(RUST.map((e) => e.base).sort()).toEqual(['rust-types-dwarf4-O0.o', 'rust-types-dwarf4-O2.o', 'rust-types-dwarf5-O0.o', 'rust-types-dwarf5-O2.o']);
  });

  for (const fx of RUST) {
    it.skipIf(!dwarfdump)(`${fx.base}: every type's path, size, members, variants and enumerators`, () => {
      const loaded = loadFile(fx.path);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.info.dwarfVersions).toEqual([fx.dwarf]);
      const want = theirs(fx.path);
      const got = ours(loaded);
      expect(want.size).toBeGreaterThan(30);
      for (const [name, facts] of want) expect(got.get(name), name).toEqual(facts);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    });
  }
});

describe('Rust constructs in the model (rust-types-dwarf5-O0.o)', () => {
  const f = loadFile(fixturePath('rust-types-dwarf5-O0.o'));
  const named = (name: string): AggregateType => {
    const id = f.table.definitions.find((i) => (f.table.get(i) as { name?: string }).name === name);
    expect(id, name).toBeDefined();
    return f.table.get(id!) as AggregateType;
  };
  const names = (t: AggregateType): (string | undefined)[] => t.members.map((m) => m.name);

  it('repr(C) keeps the declaration order; no source order is recorded', () => {
    const t = named('rust_types::RflDevice');
    expect(names(t)).toEqual(['name', 'id', 'flags', 'probe', 'data', 'list']);
    expect(t.sourceOrder).toBeUndefined();
    expect(t.language).toBe(0x1c);
  });

  it('repr(Rust) reordering: members in offset order, the declaration order in sourceOrder', () => {
    const t = named('rust_types::Reordered');
    expect(names(t)).toEqual(['b', 'd', 'c', 'a']);
    expect(t.sourceOrder!.map((k) => t.members[k]!.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('an enum with data: discriminant and variants, each variant a struct of the enum size', () => {
    const t = named('rust_types::Shape');
    expect(t.members).toEqual([]);
    expect(t.variantPart!.discriminant).toMatchObject({ bitOffset: 0, byteSize: 4, artificial: true });
    expect(t.variantPart!.variants.map((v) => [v.name, v.discrValue])).toEqual([['Circle', 0n], ['Rect', 1n], ['Empty', 2n]]);
    expect(named('rust_types::Shape::Rect').members.map((m) => [m.name, m.bitOffset / 8])).toEqual([['__0', 4], ['__1', 8]]);
    expect(named('rust_types::Shape::Rect').topLevel).toBe(false);
  });

  it('niche-optimised Options: the default variant has no discriminant value', () => {
    for (const name of ['core::option::Option<&u8>', 'core::option::Option<alloc::boxed::Box<u32, alloc::alloc::Global>>']) {
      const vp = named(name).variantPart!;
      expect(vp.variants.map((v) => [v.name, v.discrValue]), name).toEqual([['None', 0n], ['Some', undefined]]);
      expect(named(name).size).toBe(8);
    }
    expect(named('core::option::Option<u32>').variantPart!.variants.map((v) => v.discrValue)).toEqual([0n, 1n]);
  });

  it('a generic struct instantiated twice gives two types', () => {
    expect(named('rust_types::Pair<u64>').size).toBe(16);
    expect(named('rust_types::Pair<u16>').size).toBe(4);
  });

  it('pointer types keep rustc names: references, raw pointers, function pointers', () => {
    const views = named('rust_types::Views');
    const ptrName = (member: string): string | undefined => {
      const m = views.members.find((x) => x.name === member)!;
      const p = f.table.get(m.type);
      return p.kind === 'pointer' ? p.name : undefined;
    };
    expect(ptrName('one')).toBe('&u64');
    expect(ptrName('raw')).toBe('*const u16');
  });
});
