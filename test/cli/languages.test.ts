import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { run } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

// fixtures/bin/lang-rust.o: `rustc -g --emit=obj` of fixtures/src/lang.rs (fixtures/build.sh)
const RUST = fixturePath('lang-rust.o');
const dwarfdump = spawnSync('llvm-dwarfdump-19', ['--version'], { encoding: 'utf8' }).status === 0;

describe('units in languages structscope does not print', () => {
  it.skipIf(!dwarfdump)('counts units per DW_AT_language as llvm-dwarfdump reads them', () => {
    const dump = spawnSync('llvm-dwarfdump-19', ['--debug-info', RUST], { encoding: 'utf8' }).stdout;
    const rustUnits = dump.match(/DW_AT_language\s+\(DW_LANG_Rust\)/g)?.length ?? 0;
    expect(rustUnits).toBeGreaterThan(0);
    expect(loadFile(RUST).info.unitLanguages).toEqual([{ language: 0x1c, units: rustUnits }]);
    expect(dump).toMatch(/DW_TAG_structure_type\s+DW_AT_name\s+\("Conn"\)/);
  });

  it('one warning names the skipped Rust unit; -C Conn still says nothing matched', () => {
    const all = run(RUST);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe('');
    expect(all.stderr).toBe(`structscope: warning: ${RUST}: types skipped: 1 Rust unit (1 struct/union type); only C and C++ types are shown\n`);
    const c = run(RUST, '-C', 'Conn');
    expect(c.code).toBe(1);
    expect(c.stderr.split('\n').filter((l) => l.includes('Rust unit'))).toHaveLength(1);
    expect(c.stderr).toContain("no type matches 'Conn'");
  });

  it('C and C++ files get no such warning', () => {
    for (const f of ['layout-plain.o', 'inherit-cxx.o']) expect(run(fixturePath(f), '-C', 'holes', '--skip-missing').stderr, f).not.toMatch(/skipped/);
  });
});
