/**
 * Rust types through the CLI, one test per construct of fixtures/src/rust_types.rs (built by
 * fixtures/build-rust.sh): the text layout, `check`, `show --target`, JSON and `diff`. Their
 * members, offsets and sizes are checked against llvm-dwarfdump in test/dwarf/rust.test.ts; here
 * the unit-level types pahole 1.31 prints (fat pointers, tuples) must be byte-identical to it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixturePath, fixturesDir } from '../helpers/fixtures.js';

const FILES = ['rust-types-dwarf4-O0.o', 'rust-types-dwarf4-O2.o', 'rust-types-dwarf5-O0.o', 'rust-types-dwarf5-O2.o'].map(fixturePath);
const F = fixturePath('rust-types-dwarf5-O0.o');
const PAHOLE131 = process.env.PAHOLE131 ?? join(homedir(), '.cache/pahole-1.31/pahole');
const have131 = existsSync(PAHOLE131) && spawnSync(PAHOLE131, ['--version'], { encoding: 'utf8' }).stdout.trim() === 'v1.31';
const RUSTC = process.env.RUSTC ?? join(homedir(), '.cargo/bin/rustc');
const haveRustc = existsSync(RUSTC);

/** The block of `name` in `text` output, from its `struct|union|enum NAME {` line to its closing `}`. */
function block(text: string, header: string): string {
  const start = text.indexOf(`${header} {\n`);
  expect(start, header).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n}', start);
  return text.slice(start, text.indexOf('\n', end + 1));
}

describe('Rust types in the text layout', () => {
  const all = run(F);
  it('a whole-file dump prints every Rust type, with no skipped-language warning', () => {
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    for (const h of ['struct rust_types::RflDevice', 'struct rust_types::Shape', 'union rust_types::IntOrFloat', 'struct alloc::vec::Vec<u16, alloc::alloc::Global>']) {
      expect(all.stdout, h).toContain(`${h} {\n`);
    }
  });

  it('#[repr(C)] (Rust-for-Linux style): declaration order, C padding, Rust spelling of pointers, arrays, paths', () => {
    const b = block(all.stdout, 'struct rust_types::RflDevice');
    expect(b).toContain('\t*const u8                  name __attribute__((__aligned__(8))); /*     0     8 */\n');
    expect(b).toContain('\t/* XXX 2 bytes hole, try to pack */\n');
    expect(b).toContain('\tcore::option::Option<unsafe extern "C" fn(*mut rust_types::RflDevice) -> i32> probe __attribute__((__aligned__(8))); /*    16     8 */\n');
    expect(b).toContain('\t[u8; 6]                    data __attribute__((__aligned__(1))); /*    24     6 */\n');
    expect(b).toContain('\trust_types::ListHead       list __attribute__((__aligned__(8))); /*    32    16 */\n');
    expect(b).not.toMatch(/last struct has/); // an enum-with-data member has no padding of its own
  });

  it('repr(Rust) reordering: fields in offset order', () => {
    const b = block(all.stdout, 'struct rust_types::Reordered');
    expect([...b.matchAll(/^\t\w+ +(\w) /gm)].map((m) => m[1])).toEqual(['b', 'd', 'c', 'a']);
  });

  it('an enum with data: the discriminant, then each variant with its fields and selecting value', () => {
    expect(block(all.stdout, 'struct rust_types::Shape')).toBe(
      [
        'struct rust_types::Shape {',
        '\tu32                        <discriminant>;       /*     0     4 */',
        '',
        '\t/* variant Circle: discriminant == 0 */',
        '\tf32                        Circle.r;             /*     4     4 */',
        '',
        '\t/* variant Rect: discriminant == 1 */',
        '\tu32                        Rect.__0;             /*     4     4 */',
        '\tu32                        Rect.__1;             /*     8     4 */',
        '',
        '\t/* variant Empty: discriminant == 2 */',
        '',
        '\t/* size: 12, cachelines: 1, variants: 3 */',
        '\t/* last cacheline: 12 bytes */',
        '} __attribute__((__aligned__(4)));',
      ].join('\n'),
    );
  });

  it('Option<&T> and Option<Box<T>>: the niche (no discriminant value selects Some)', () => {
    for (const h of ['struct core::option::Option<&u8>', 'struct core::option::Option<alloc::boxed::Box<u32, alloc::alloc::Global>>']) {
      const b = block(all.stdout, h);
      expect(b).toContain('\t/* variant None: discriminant == 0 */\n');
      expect(b).toContain('\t/* variant Some: any other discriminant value (a niche in the fields) */\n');
      expect(b).toMatch(/\tu64 +<discriminant>; +\/\* +0 +8 \*\/\n/);
    }
  });

  it('a C-like enum: a member type spelled by its path (its enumerators: test/dwarf/rust.test.ts)', () => {
    expect(block(all.stdout, 'struct rust_types::Holder')).toContain('\trust_types::Color          color __attribute__((__aligned__(1))); /*    36     1 */\n');
  });

  it('a union', () => {
    expect(block(all.stdout, 'union rust_types::IntOrFloat')).toContain('\t[u8; 8]                    b __attribute__((__aligned__(1))); /*     0     8 */\n');
  });

  it('a generic struct instantiated twice: two blocks', () => {
    expect(block(all.stdout, 'struct rust_types::Pair<u64>')).toContain('/* size: 16,');
    expect(block(all.stdout, 'struct rust_types::Pair<u16>')).toContain('/* size: 4,');
  });

  it('a nested enum in a struct, slices, &str, Box, Vec, String, tuples and nested arrays as members', () => {
    const h = block(all.stdout, 'struct rust_types::Holder');
    expect(h).toContain('\trust_types::Shape          shape __attribute__((__aligned__(4))); /*    24    12 */\n');
    expect(h).not.toMatch(/last struct has/);
    const v = block(all.stdout, 'struct rust_types::Views');
    for (const line of ['&str                       text', '&[u32]                     items', '&u64                       one', '*const u16                 raw', 'alloc::boxed::Box<u32, alloc::alloc::Global> owned', 'alloc::string::String      name', '(u8, u32, u16)             tuple', '[[u16; 3]; 2]              grid']) {
      expect(v, line).toContain(`\t${line} `);
    }
  });

  it.skipIf(!have131)('the unit-level Rust types pahole 1.31 prints (fat pointers, tuples) are byte-identical', () => {
    for (const f of FILES) {
      const theirs = spawnSync(PAHOLE131, ['-F', 'dwarf', '--cacheline_size=64', f], { encoding: 'utf8' }).stdout;
      const blocks = theirs.match(/^(?:struct|union|enum) [^\n]*\{\n[\s\S]*?^\}[^\n]*\n/gm) ?? [];
      expect(blocks.length, f).toBe(3);
      const ours = run(f).stdout;
      for (const b of blocks) expect(ours, `${f}: ${b.split('\n')[0]}`).toContain(b);
    }
  });

  it('-C finds a type by its path or its last segment; commas inside <...> and (...) do not split', () => {
    for (const name of ['Shape', 'rust_types::Shape']) expect(run(F, '-C', name).stdout, name).toMatch(/^struct rust_types::Shape \{\n/);
    const r = run(F, '-C', 'Option<&u8>,(u8, u32, u16),Vec<u16, alloc::alloc::Global>');
    expect(r.stdout.match(/^\S.* \{$/gm)).toEqual(['struct core::option::Option<&u8> {', 'struct (u8, u32, u16) {', 'struct alloc::vec::Vec<u16, alloc::alloc::Global> {']);
  });
});

describe('check and show --target on Rust types', () => {
  it('check: repr(Rust) reordering and enums are explained, repr(C) natural, nothing unexplained', () => {
    for (const f of FILES) {
      const r = run('check', f);
      expect(r.code, f).toBe(0);
      expect(r.stdout).toContain('struct rust_types::Reordered: explained: repr(Rust): compiler-chosen order\n');
      expect(r.stdout).toContain('struct rust_types::Shape: explained: repr(Rust) enum: compiler-chosen discriminant and variant layout\n');
      expect(r.stdout).toContain('struct rust_types::RflDevice: natural\n');
      expect(r.stdout).toMatch(/, 0 unexplained, 0 unpredictable \(ABI x86_64\)\n$/);
    }
  });

  it('show --target: no Rust layout is predicted, each says why', () => {
    const r = run('show', F, '--target', 'i386', '-C', 'Reordered,RflDevice,Shape');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('/*'))).toEqual([
      '/* struct rust_types::Reordered: unpredictable on i386: repr(Rust): compiler-chosen order */',
      '/* struct rust_types::RflDevice: unpredictable on i386: Rust: DWARF does not record whether the type is repr(C); rustc may order its fields differently on i386 */',
      '/* struct rust_types::Shape: unpredictable on i386: repr(Rust) enum: compiler-chosen discriminant and variant layout */',
    ]);
  });
});

describe('JSON and diff on Rust types', () => {
  it('JSON: Rust member spellings and the variants of an enum, valid against the schema', () => {
    const r = run(F, '--format', 'json', '-C', 'Option<&u8>,RflDevice');
    const doc = JSON.parse(r.stdout);
    const validate = schemaValidator('show');
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const [opt, dev] = doc.files[0].types;
    expect(opt.variants).toEqual({
      discriminant: { name: null, type: 'u64', offset: 0, size: 8 },
      variants: [
        { name: 'None', discriminant: 0, type: 'core::option::Option<&u8>::None', fields: [] },
        { name: 'Some', discriminant: null, type: 'core::option::Option<&u8>::Some', fields: [{ name: '__0', type: '&u8', offset: 0, size: 8 }] },
      ],
    });
    expect(opt.holes).toEqual([]);
    expect(dev.members.map((m: { type: string }) => m.type)).toEqual(['*const u8', 'u32', 'u16', 'core::option::Option<unsafe extern "C" fn(*mut rust_types::RflDevice) -> i32>', '[u8; 6]', 'rust_types::ListHead']);
  });

  it('diff: DWARF 4 -O0 and DWARF 5 -O2 builds have the same layouts', () => {
    const r = run('diff', FILES[0]!, FILES[3]!);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('types: 28 old, 28 new: 0 added, 0 removed, 0 changed, 28 unchanged\n');
  });

  const dir = mkdtempSync(join(tmpdir(), 'structscope-rust-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.skipIf(!haveRustc)('diff: a changed field type and a changed variant are reported (rustc builds the new version)', () => {
    const src = readFileSync(join(fixturesDir, 'src/rust_types.rs'), 'utf8').replace('Rect(u32, u32),', 'Rect(u32, u64),').replace('pub flags: u16,', 'pub flags: u32,');
    writeFileSync(join(dir, 'rust_types.rs'), src);
    const out = join(dir, 'v2.o');
    const c = spawnSync(RUSTC, ['--crate-type', 'lib', '--emit', 'obj', '-g', '-C', 'panic=abort', '-C', 'codegen-units=1', join(dir, 'rust_types.rs'), '-o', out], { encoding: 'utf8' });
    expect(c.status, c.stderr).toBe(0);
    const r = run('diff', F, out);
    expect(r.stdout).toContain('struct rust_types::RflDevice: changed\n  ~ flags: retyped u16 -> u32, resized 2 -> 4\n');
    expect(r.stdout).toContain('struct rust_types::Shape: changed\n  ~ Rect.__1: retyped u32 -> u64, resized 4 -> 8\n');
  });
});
