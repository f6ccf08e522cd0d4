/**
 * The gcc-12 facts the cross-target prediction relies on (src/layout/abi/annotations.ts,
 * hidden.ts), re-checked on the compilers installed here: the probes in test/random/probes are
 * compiled per target and read back with llvm-dwarfdump-19. Skipped, saying so, without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/fixtures.js';

const DUMP = 'llvm-dwarfdump-19';
const have = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'gcc-probes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** DW_AT_alignment per struct name and member name (`p_b`, `p_b.x`) of a probe built by `cc`. */
function alignments(cc: string, probe: string): Map<string, number | undefined> {
  const obj = join(dir, `${cc}-${probe}.o`);
  const r = spawnSync(cc, ['-c', '-g', '-O0', '-w', join(repoRoot, 'test/random/probes', probe), '-o', obj], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const text = spawnSync(DUMP, ['--debug-info', obj], { encoding: 'utf8' }).stdout;
  const out = new Map<string, number | undefined>();
  let struct = '';
  let current = '';
  for (const line of text.split('\n')) {
    const tag = /DW_TAG_(\w+)/.exec(line);
    if (tag) current = tag[1]!;
    const name = /DW_AT_name\s+\("([^"]+)"\)/.exec(line);
    if (name && (current === 'structure_type' || current === 'union_type')) out.set((struct = name[1]!), undefined);
    else if (name && current === 'member') out.set((current = `${struct}.${name[1]!}`), undefined);
    const al = /DW_AT_alignment\s+\((0x)?([0-9a-f]+)\)/.exec(line);
    if (al) {
      const key = current.startsWith(struct) && current.includes('.') ? current : struct;
      out.set(key, parseInt(al[2]!, al[1] ? 16 : 10));
    }
  }
  return out;
}

describe.skipIf(!have(DUMP))('gcc 12 records the resulting alignment of what is user-aligned', () => {
  it.skipIf(!have('gcc'))('x86_64: structs and members, but not an aligned(8) below long double\'s 16', () => {
    const a = alignments('gcc', 'user-align.c');
    expect([a.get('p_a'), a.get('p_b'), a.get('p_b.x'), a.get('p_e'), a.get('p_g')]).toEqual([16, 8, 8, 8, 4]);
    expect(a.has('p_ld.ld')).toBe(true);
    expect(a.get('p_ld.ld')).toBeUndefined(); // erased: hidden.ts (--strict)
  });

  for (const [cc, strict] of [
    ['i686-linux-gnu-gcc-12', false],
    ['s390x-linux-gnu-gcc-12', false],
    ['aarch64-linux-gnu-gcc-12', false],
    ['arm-linux-gnueabihf-gcc-12', true],
    ['mips-linux-gnu-gcc-12', true],
    ['riscv64-linux-gnu-gcc-12', true],
  ] as const) {
    it.skipIf(!have(cc))(`${cc}${have(cc) ? '' : ' (skipped: not installed)'}: ${strict ? 'STRICT_ALIGNMENT drops it for mode-sized structs' : 'kept'}`, () => {
      const a = alignments(cc, 'user-align.c');
      // an 8-byte struct aligned 8 fits DImode: dropped on strict-alignment targets
      expect(a.get('p_e')).toBe(strict ? undefined : 8);
      expect(a.get('p_b')).toBe(strict ? undefined : 8);
      expect(a.get('p_b.x')).toBe(8); // the member keeps it
      // 16 bytes: TImode only where words are 8 bytes (riscv64)
      expect(a.get('p_a')).toBe(cc.startsWith('riscv64') ? undefined : 16);
      expect(a.get('p_g')).toBe(4); // char[3] is BLKmode: no integer mode, kept
    });
  }

  it.skipIf(!have('s390x-linux-gnu-gcc-12'))('s390x: __int128 bit-fields of at most 64 bits in a union get odd bit offsets', () => {
    const obj = join(dir, 'u.o');
    spawnSync('s390x-linux-gnu-gcc-12', ['-c', '-g', '-O0', join(repoRoot, 'test/random/probes/union-int128.c'), '-o', obj]);
    const offsets = [...spawnSync(DUMP, ['--debug-info', obj], { encoding: 'utf8' }).stdout.matchAll(/DW_AT_bit_offset\s+\((0x[0-9a-f]+|\d+)\)/g)].map((m) => Number(m[1]));
    expect(offsets).toEqual([104, 72, 0]);
  });
});
