import { describe, expect, it } from 'vitest';
import { readUnitHeaders } from '../../src/dwarf/unit.js';
import { loadDebugSection, openElf } from '../../src/elf/index.js';
import { loadFile } from '../../src/load/index.js';
import { splitUnits } from '../../src/dwarf/extents.js';
import { readUnitExtents } from '../../src/load/unit-extents.js';
import { dumpItems, mergeDumpItems, type DumpMode } from '../../src/report/dump.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

// the worker runs from the build (npm test builds first)
const { dumpInWorker, parallelDump } = (await import(`${repoRoot}/dist/cli/parallel.js`)) as typeof import('../../src/cli/parallel.js');
const opts = { cachelineSize: 64, hex: false, expand: false };

describe('whole-file dumps split between worker threads', () => {
  it('unit extents from headers alone match the units the reader finds', () => {
    for (const name of ['layout-exe', 'dup-exe', 'layout-lto']) {
      const ext = readUnitExtents(fixturePath(name))!;
      expect(ext.length, name).toBeGreaterThan(1);
      const elf = openElf(fixturePath(name));
      const info = { name: '.debug_info', bytes: loadDebugSection(elf, '.debug_info')!, fileOffset: 0 };
      elf.close();
      expect(ext).toEqual(readUnitHeaders(info, true).units.map((u) => [u.offset, u.end]));
    }
    // compressed files are read in one piece; relocatable ones only for a reader that relocates
    // each worker's units (the name search needs the section relocated whole)
    expect(readUnitExtents(fixturePath('virtio_net.ko'))).toBeUndefined();
    expect(readUnitExtents(fixturePath('layout-zlib.o'))).toBeUndefined();
    const ko = fixturePath('virtio_net.ko');
    const elf = openElf(ko);
    const info = { name: '.debug_info', bytes: loadDebugSection(elf, '.debug_info')!, fileOffset: 0 };
    elf.close();
    expect(readUnitExtents(ko, true)).toEqual(readUnitHeaders(info, true).units.map((u) => [u.offset, u.end]));
  });

  it('splits units into runs of about equal bytes, in order, losing none', () => {
    const ext: [number, number][] = [[0, 10], [10, 20], [20, 100], [100, 110], [110, 120]];
    const parts = splitUnits(ext, 2);
    expect(parts.flat()).toEqual([0, 10, 20, 100, 110]);
    expect(parts).toHaveLength(2);
    expect(splitUnits(ext, 9).flat()).toEqual([0, 10, 20, 100, 110]);
  });

  for (const mode of ['text', 'sizes', 'json'] as DumpMode[]) {
    it(`merged worker output equals the single-threaded dump (${mode})`, async () => {
      // virtio_net.ko: ET_REL, each worker relocates only its own unit (and every header); three
      // workers at least (parallel.ts MIN_RELOCATABLE_JOBS)
      for (const name of ['layout-exe', 'dup-exe', 'layout-lto', 'virtio_net.ko']) {
        const path = fixturePath(name);
        const serial = dumpItems(loadFile(path), mode, opts);
        const par = await parallelDump(path, mode, opts, name.endsWith('.ko') ? 3 : 2, undefined, 0);
        expect(par, name).toBeDefined();
        expect(par!.items, `${name} ${mode}`).toEqual(serial);
      }
    });
  }

  it('one worker reading the whole file (diff on two CPUs: one per side) dumps what the main thread does', async () => {
    for (const name of ['layout-exe', 'layout-plain.o', 'virtio_net.ko']) {
      const path = fixturePath(name);
      const one = await dumpInWorker(path, 'json', opts, undefined, 0);
      expect(one, name).toBeDefined();
      expect(one!.items, name).toEqual(dumpItems(loadFile(path), 'json', opts));
      expect(one!.header?.path, name).toBe(path);
    }
    expect(await dumpInWorker(fixturePath('layout-exe'), 'json', opts)).toBeUndefined(); // below the size threshold
  });

  it('merging keeps the first item of each definition, in order', () => {
    const sig = (name: string) => ({ name, size: 4, count: 1, members: [['a', 0, 0]] as [string, number, number][] });
    const a = [{ key: sig('x'), text: '1' }, { key: sig('y'), text: '2' }];
    const b = [{ key: sig('y'), text: '3' }, { key: sig('z'), text: '4' }];
    expect(mergeDumpItems([a, b]).map((i) => i.text)).toEqual(['1', '2', '4']);
  });

  it('small or single-unit files are not split', async () => {
    expect(await parallelDump(fixturePath('layout-exe'), 'text', opts, 2)).toBeUndefined(); // below the size threshold
    expect(await parallelDump(fixturePath('virtio_net.ko'), 'text', opts, 2)).toBeUndefined();
    expect(await parallelDump(fixturePath('virtio_net.ko'), 'text', opts, 2, undefined, 0)).toBeUndefined(); // ET_REL: two workers lose
    expect(await parallelDump(fixturePath('virtio_net.ko'), 'text', opts, 3, undefined, 0)).toBeDefined();
    expect(await parallelDump(fixturePath('layout-plain.o'), 'text', opts, 2, undefined, 0)).toBeUndefined();
    expect(await parallelDump(fixturePath('layout-exe'), 'text', opts, 1, undefined, 0)).toBeUndefined();
  });
});
