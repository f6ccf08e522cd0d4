/**
 * Corrupt and truncated BTF: every outcome is a table (possibly with diagnostics) that renders, or
 * one StructscopeError line naming the file and an offset. Never an untyped exception or a hang.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBtf } from '../../src/btf/format.js';
import { loadFile } from '../../src/load/index.js';
import { openElf } from '../../src/elf/index.js';
import { renderAll } from '../../src/pahole-text.js';
import { StructscopeError } from '../../src/util/errors.js';
import { fixturesDir } from '../helpers/fixtures.js';
import { rng } from '../helpers/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'structscope-btf-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = (f: string) => join(fixturesDir, 'bin/btf', f);


function attempt(bytes: Uint8Array, label: string, opts: { btfBase?: string } = {}): 'ok' | 'error' {
  const path = join(dir, label);
  writeFileSync(path, bytes);
  try {
    const f = loadFile(path, { format: ['btf'], ...opts });
    renderAll(f.table, { addressSize: f.info.addressSize });
    return 'ok';
  } catch (e) {
    if (!(e instanceof StructscopeError)) throw new Error(`${label}: untyped ${String((e as Error)?.stack ?? e)}`);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/offset 0x[0-9a-f]+/);
    expect(e.message.includes('\n')).toBe(false);
    return 'error';
  }
}

/** Flip 1–8 random bytes within [from, to) of a copy, `count` times. */
function flips(original: Uint8Array, from: number, to: number, count: number, seed: number, label: string, opts: { btfBase?: string } = {}): Set<string> {
  const random = rng(seed);
  const outcomes = new Set<string>();
  for (let k = 0; k < count; k++) {
    const copy = original.slice();
    const n = 1 + Math.floor(random() * 8);
    for (let f = 0; f < n; f++) copy[from + Math.floor(random() * (to - from))] = Math.floor(random() * 256);
    outcomes.add(attempt(copy, `${label}.flip${k}`, opts));
  }
  return outcomes;
}

describe('malformed BTF', () => {
  const raw = new Uint8Array(readFileSync(bin('base.btf')));

  it('raw BTF truncated at 80 points: a typed error naming file and offset each time', () => {
    const outcomes = new Set<string>();
    for (let k = 1; k < 80; k++) outcomes.add(attempt(raw.subarray(0, Math.floor((raw.length * k) / 80)), `base.cut${k}`));
    expect(outcomes).toEqual(new Set(['error']));
  });

  it('raw BTF, random byte flips (300 files)', () => {
    expect(flips(raw, 0, raw.length, 300, 17, 'base').has('ok')).toBe(true);
  });

  it('split BTF over a good base, random byte flips (150 files)', () => {
    const mod = new Uint8Array(readFileSync(bin('module.btf')));
    flips(mod, 0, mod.length, 150, 29, 'module', { btfBase: bin('base.btf') });
  });

  it('big-endian .BTF section of an ELF file, random byte flips inside it (150 files)', () => {
    const path = bin('layout-s390x-131.o');
    const elf = openElf(path);
    const sec = elf.section('.BTF')!;
    elf.close();
    const bytes = new Uint8Array(readFileSync(path));
    flips(bytes, sec.fileOffset, sec.fileOffset + sec.size, 150, 31, 's390x');
  });

  it('hostile header counts never allocate beyond the blob', () => {
    for (const [field, value] of [[8, 0xfffffff0], [12, 0xfffffff0], [16, 0x7fffffff], [20, 0xffffffff], [4, 0xffffffff]] as const) {
      const copy = raw.slice();
      new DataView(copy.buffer).setUint32(field, value, true);
      expect(attempt(copy, `header${field}`)).toBe('error');
    }
  });

  it('an unknown kind is one warning with its offset; the types before it are kept and printed', () => {
    const blob = parseBtf(raw, { fileOffset: 0 });
    const n = blob.offsets.length;
    const at = blob.offsets[Math.floor(n / 2)]!;
    const copy = raw.slice();
    const view = new DataView(copy.buffer);
    view.setUint32(at + 4, (view.getUint32(at + 4, true) & 0xe0ffffff) | (25 << 24), true);
    const path = join(dir, 'unknown-kind.btf');
    writeFileSync(path, copy);
    const f = loadFile(path, { format: ['btf'] });
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]!.message).toContain(`offset 0x${at.toString(16)}`);
    expect(f.diagnostics[0]!.message).toContain('unknown kind 25');
    expect(f.table.types.length).toBe(1 + Math.floor(n / 2));
    expect(renderAll(f.table).length).toBeGreaterThan(0);
  });

  it('cycles (a struct holding itself by value, a typedef of itself, an anonymous union in itself) end', () => {
    const blob = parseBtf(raw, { fileOffset: 0 });
    const copy = raw.slice();
    const view = new DataView(copy.buffer);
    let changed = 0;
    for (let i = 0; i < blob.offsets.length; i++) {
      const at = blob.offsets[i]!;
      const id = blob.firstId + i;
      const kind = blob.kinds[i]!;
      const vlen = view.getUint32(at + 4, true) & 0xffff;
      if ((kind === 4 || kind === 5) && vlen > 0) {
        view.setUint32(at + 12 + 4, id, true); // first member: the aggregate itself
        if (kind === 5) view.setUint32(at, 0, true); // anonymous: printed inline
        changed++;
      } else if (kind === 8) {
        view.setUint32(at + 8, id, true);
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(10);
    expect(attempt(copy, 'cycles')).toBe('ok');
  });

  it('the CLI: one line on stderr naming the file and offset, exit 2', async () => {
    const { run } = await import('../helpers/cli.js');
    const path = join(dir, 'cli-cut.btf');
    writeFileSync(path, raw.subarray(0, raw.length - 3000));
    const r = run(path);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`${path}: offset 0x[0-9a-f]+: `));
  });
});
