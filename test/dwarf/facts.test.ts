import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { isAggregate } from '../../src/model/types.js';
import type { LoadedFile } from '../../src/load/loaded.js';
import { fixtureLoadOptions, fixtureManifest, readExpected } from '../helpers/fixtures.js';

interface FactMember {
  name: string | null;
  inheritance: boolean;
  byteOffset: number;
  bitOffset: number;
  bitSize: number | null;
}
interface FactType {
  kind: string;
  name: string | null;
  size: number;
  members: FactMember[];
}

function factSignature(t: FactType): string {
  return `${t.kind} ${t.name ?? '<anon>'} ${t.size} {${t.members.map((m) => `${m.inheritance ? '^' : ''}${m.name ?? ''}@${m.bitOffset}${m.bitSize === null ? '' : `:${m.bitSize}`}`).join(', ')}}`;
}

function tableSignatures(f: LoadedFile): Set<string> {
  const out = new Set<string>();
  for (const id of f.table.definitions) {
    const t = f.table.get(id);
    if (!isAggregate(t)) continue;
    out.add(
      `${t.kind} ${t.name ?? '<anon>'} ${t.size} {${t.members.map((m) => `${m.isBase ? '^' : ''}${m.name ?? ''}@${m.bitOffset}${m.bitSize === undefined ? '' : `:${m.bitSize}`}`).join(', ')}}`,
    );
  }
  return out;
}

// Golden facts come from llvm-dwarfdump (fixtures/gen-expected.sh): every struct/union/class
// definition it reports must be found with the same name, size, member offsets and bit offsets,
// and structscope must report no definition llvm-dwarfdump does not.
describe('DWARF reader against llvm-dwarfdump facts', () => {
  for (const fx of fixtureManifest()) {
    const facts = readExpected(fx.base, 'facts.json');
    if (!facts) continue;
    it(`${fx.base}: every definition matches`, () => {
      const loaded = loadFile(fx.path, fixtureLoadOptions());
      expect(loaded.diagnostics).toEqual([]);
      const ours = tableSignatures(loaded);
      const theirs = new Set((JSON.parse(facts) as FactType[]).map(factSignature));
      const missing = [...theirs].filter((s) => !ours.has(s));
      const extra = [...ours].filter((s) => !theirs.has(s));
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
      expect(theirs.size).toBeGreaterThan(0);
    });
  }
});

describe('variants give the same types as the plain build', () => {
  for (const fx of fixtureManifest()) {
    // g++ and clang++ spell template arguments and vptr members differently (`long int` vs
    // `long`, `_vptr.X` vs `_vptr$X`): their layouts are checked by the facts test instead.
    if (!fx.sameTypesAs || fx.variant === 'cxx') continue;
    it(`${fx.base} == ${fx.sameTypesAs}`, () => {
      const plain = fixtureManifest().find((e) => e.file === fx.sameTypesAs)!;
      const a = tableSignatures(loadFile(fx.path, fixtureLoadOptions()));
      const b = tableSignatures(loadFile(plain.path));
      expect([...a].sort()).toEqual([...b].sort());
    });
  }
});

describe('relocations in kernel modules', () => {
  it('virtio_net.ko names its structs right', () => {
    const f = loadFile(fixtureManifest().find((e) => e.base === 'virtio_net.ko')!.path);
    const names = new Set(f.table.definitions.map((id) => (f.table.get(id) as { name?: string }).name));
    for (const n of ['virtnet_info', 'receive_queue', 'send_queue', 'virtio_net_hdr', 'net_device']) expect(names.has(n)).toBe(true);
  });
});
