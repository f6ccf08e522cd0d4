/**
 * pahole's "Force padding" block repeats the last member's type; an inline (anonymous or named
 * unnamed-type) struct/union is printed with its body, its member offsets counted from the base
 * of the aggregate that holds the padding (not from 0). Compiled now with gcc 12 and clang-19 and
 * compared with live pahole 1.24 and 1.31; each is skipped with the reason when absent.
 * (Found by the random prediction bench, seed 123: fixtures/src/force-padding.c has the padding
 * at the top level only, where both bases are 0.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

const SOURCE = `struct nested_pad {
	long f10:6;
	struct {
		__int128 m12;
		struct { unsigned char f13:5; int f14:20; };
		union { char f15:1; } n16;
	};
	unsigned m17;
} v_nested_pad;
struct nested_anon_pad {
	char c;
	struct {
		long double ld;
		union { char a; unsigned char b; };
	} inner;
} v_nested_anon_pad;
`;

const upstream = process.env.PAHOLE131 ?? join(homedir(), '.cache/pahole-1.31/pahole');
const tools = (bin: string, version: string): boolean => (existsSync(bin) || !bin.includes('/')) && spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() === version;
const dir = mkdtempSync(join(tmpdir(), 'force-padding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Force padding of an inline aggregate inside a nested struct', () => {
  for (const cc of ['gcc', 'clang-19']) {
    const hasCc = spawnSync(cc, ['--version']).status === 0;
    for (const [dialect, bin] of [['1.24', 'pahole'], ['1.31', upstream]] as const) {
      const present = hasCc && tools(bin, `v${dialect}`);
      it.skipIf(!present)(`${cc}, pahole ${dialect}${present ? '' : ` (skipped: ${cc} or pahole ${dialect} missing)`}`, () => {
        const src = join(dir, 'fp.c');
        const obj = join(dir, `fp-${cc}.o`);
        writeFileSync(src, SOURCE);
        expect(spawnSync(cc, ['-c', '-g', '-O0', src, '-o', obj]).status).toBe(0);
        const expected = spawnSync(bin, ['-F', 'dwarf', obj], { encoding: 'utf8' }).stdout;
        expect(expected).toContain('Force padding');
        expect(run(obj, '--pahole', dialect).stdout).toBe(expected);
        expect(run(obj, '--pahole', dialect, '-r').stdout).toBe(spawnSync(bin, ['-F', 'dwarf', '-r', obj], { encoding: 'utf8' }).stdout);
      });
    }
  }
});
