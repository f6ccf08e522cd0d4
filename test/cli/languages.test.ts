import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { run } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

// fixtures/bin/lang-rust.o: `rustc -g --emit=obj` of fixtures/src/lang.rs (fixtures/build.sh)
const RUST = fixturePath('lang-rust.o');
const dwarfdump = spawnSync('llvm-dwarfdump-19', ['--version'], { encoding: 'utf8' }).status === 0;

describe('units in other languages than C and C++', () => {
  it.skipIf(!dwarfdump)('counts units per DW_AT_language as llvm-dwarfdump reads them', () => {
    const dump = spawnSync('llvm-dwarfdump-19', ['--debug-info', RUST], { encoding: 'utf8' }).stdout;
    const rustUnits = dump.match(/DW_AT_language\s+\(DW_LANG_Rust\)/g)?.length ?? 0;
    expect(rustUnits).toBeGreaterThan(0);
    expect(loadFile(RUST).info.unitLanguages).toEqual([{ language: 0x1c, units: rustUnits }]);
    expect(dump).toMatch(/DW_TAG_structure_type\s+DW_AT_name\s+\("Conn"\)/);
  });

  it('Rust types are shown (no skipped-language warning), found by path and by last segment', () => {
    const all = run(RUST);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/^struct lang::Conn \{\n/);
    for (const name of ['Conn', 'lang::Conn']) {
      const c = run(RUST, '-C', name);
      expect(c.code, name).toBe(0);
      expect(c.stdout, name).toMatch(/^struct lang::Conn \{\n/);
    }
  });

  it('C and C++ files get no such warning', () => {
    for (const f of ['layout-plain.o', 'inherit-cxx.o']) expect(run(fixturePath(f), '-C', 'holes', '--skip-missing').stderr, f).not.toMatch(/skipped/);
  });
});
