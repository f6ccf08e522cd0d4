/**
 * Differential test: renderAll(loadFile(bin)) against pahole's golden output for every fixture, in
 * both dialects (pahole 1.24: fixtures/expected/<file>.pahole.txt; upstream 1.31:
 * <file>.pahole-1.31.txt), block by block, and renderSizes against <file>.sizes.txt (the same in both).
 * Fixtures pahole cannot read (zstd) are compared with the golden file of the fixture they share
 * their types with (manifest `sameTypesAs`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAllBlocks, renderSizes } from '../../src/pahole-text.js';
import { splitBlocks } from './builder.js';
import { withoutGroups } from '../helpers/groups.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repoRoot, 'fixtures');
const manifestPath = path.join(fixtures, 'manifest.json');

interface Entry {
  file: string;
  sameTypesAs: string | null;
  paholeReadable: boolean;
}

/**
 * Fixtures whose parity is known to be incomplete, with the minimum number of identical blocks
 * (raise when fixed) and why. Everything else must be 100 % identical.
 */
const KNOWN_GAPS: Record<string, { min: number; why: string }> = {};

/**
 * Packaging variants whose types come in another order than in the plain build (type units are
 * emitted in the compiler's own order; the clang-built .dwp holds clang's unit order): the same
 * blocks, compared as sorted lists. pahole 1.24 reads none of them, so it defines no order.
 */
const ORDER_FREE = new Set(['layout-types4.o', 'layout-types5.o', 'layout-clang-types5.o', 'layout-types4-exe', 'layout-types5-exe', 'layout-split-types-exe', 'layout-dwp-exe', 'layout-dwp-types4-exe']);

const loadModule = async () => {
  const p = path.join(repoRoot, 'src/load/index.ts');
  if (!existsSync(p)) return undefined;
  return (await import('../../src/load/index.js')) as typeof import('../../src/load/index.js');
};

function goldenFor(e: Entry, kind: 'pahole' | 'pahole-1.31' | 'sizes'): string | undefined {
  const candidates = [e.file];
  if (!e.paholeReadable && e.sameTypesAs) candidates.push(e.sameTypesAs);
  for (const c of candidates) {
    const p = path.join(fixtures, 'expected', `${path.basename(c)}.${kind}.txt`);
    if (existsSync(p) && (e.paholeReadable || c !== e.file)) return readFileSync(p, 'utf8');
  }
  return undefined;
}

const entries: Entry[] = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[]) : [];

describe('pahole parity on fixtures', () => {
  if (entries.length === 0) {
    it.skip('no fixtures/manifest.json yet', () => {});
    return;
  }
  for (const e of entries) {
    for (const dialect of ['1.24', '1.31'] as const) {
      const golden = goldenFor(e, dialect === '1.24' ? 'pahole' : 'pahole-1.31');
      if (golden === undefined) continue;
      const name = path.basename(e.file);
      it(`${name}: every block identical to pahole ${dialect}`, async () => {
        const load = await loadModule();
        if (!load) return;
        const lf = load.loadFile(path.join(fixtures, e.file), { debugDirs: [path.join(fixtures, 'bin/debug-root')] });
        let ours = renderAllBlocks(lf.table, { addressSize: lf.info.addressSize, pahole: dialect }).map((b) => withoutGroups(b.text));
        let theirs = splitBlocks(golden);
        if (ORDER_FREE.has(name)) {
          // the separator after a block depends on its position: compare blocks without it
          ours = ours.map((b) => b.trimEnd()).sort();
          theirs = theirs.map((b) => b.trimEnd()).sort();
        }
        const differing: string[] = [];
        let same = 0;
        for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
          if (ours[i] === theirs[i]) same++;
          else differing.push(`#${i} ${(theirs[i] ?? ours[i] ?? '').split('\n')[0]}`);
        }
        const gap = KNOWN_GAPS[name];
        const summary = `${name}: ${same}/${theirs.length} blocks identical (ours: ${ours.length})` +
          (differing.length ? `; differing: ${differing.slice(0, 12).join(', ')}` : '');
        if (gap) {
          expect(same, `${summary} (known gap: ${gap.why})`).toBeGreaterThanOrEqual(gap.min);
        } else {
          expect(differing, summary).toEqual([]);
          expect(ours.length).toBe(theirs.length);
        }
      });
    }
    const name = path.basename(e.file);
    const sizes = goldenFor(e, 'sizes');
    if (sizes !== undefined) {
      it(`${name}: --sizes identical to pahole`, async () => {
        const load = await loadModule();
        if (!load) return;
        const lf = load.loadFile(path.join(fixtures, e.file), { debugDirs: [path.join(fixtures, 'bin/debug-root')] });
        const gap = KNOWN_GAPS[name];
        const ours = renderSizes(lf.table, { addressSize: lf.info.addressSize });
        if (gap) return;
        if (ORDER_FREE.has(name)) expect(ours.split('\n').sort()).toEqual(sizes.split('\n').sort());
        else expect(ours).toBe(sizes);
      });
    }
  }
});
