import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAll, renderSizes, renderType } from '../../src/pahole-text.js';

// the references are pahole 1.24's output
const V124 = { pahole: '1.24' } as const;
import { blockFor, splitBlocks } from './builder.js';
import { extraC, layoutC } from './reference-tables.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const refDir = path.resolve(repoRoot, 'test/report/reference/pahole-1.24');
const read = (f: string): string => readFileSync(path.join(refDir, f), 'utf8');

describe('pahole reference output for layout.c', () => {
  const ref = read('pahole_all.txt');
  const { b, ids } = layoutC();
  const cases: [string, string][] = [
    ['inner_pad', 'struct inner_pad {'],
    ['holes', 'struct holes {'],
    ['bits', 'struct bits {'],
    ['packed_s', 'struct packed_s {'],
    ['val', 'union val {'],
    ['flex', 'struct flex {'],
    ['kitchen_sink', 'struct kitchen_sink {'],
    ['reorg_me', 'struct reorg_me {'],
  ];
  for (const [key, header] of cases) {
    it(`renders ${header.slice(0, -2)} byte-identically`, () => {
      expect(renderType(b.t, ids[key]!, V124)).toBe(blockFor(ref, header));
    });
  }
  it('renders the whole file like pahole (order, no enums, no anonymous types)', () => {
    expect(renderAll(b.t, V124)).toBe(ref);
  });
  it('renders --sizes', () => {
    expect(renderSizes(b.t)).toBe(
      'inner_pad\t16\t0\nholes\t32\t2\nbits\t24\t1\npacked_s\t15\t0\nval\t16\t0\nflex\t8\t0\nkitchen_sink\t320\t4\nreorg_me\t40\t2\n',
    );
  });
});

describe('pahole reference output for extra.c', () => {
  const ref = read('pahole_extra.txt');
  const { b } = extraC();
  it('renders every block byte-identically', () => {
    const ours = splitBlocks(renderAll(b.t, V124));
    const theirs = splitBlocks(ref);
    expect(ours.length).toBe(theirs.length);
    for (let i = 0; i < theirs.length; i++) expect(ours[i]).toBe(theirs[i]);
  });
});

describe('clang: anonymous types nested in the struct DIE are printed again as nested types', () => {
  // clang nests the DIEs of anonymous struct/union/enum types inside the struct that uses them;
  // pahole prints those child DIEs as nested type definitions (a pahole quirk kept on purpose).
  const golden = readFileSync(path.join(repoRoot, 'fixtures/expected/layout-clang-dwarf5.o.pahole.txt'), 'utf8');
  it('renders struct with_anon like pahole', async () => {
    const { TB, DW_ATE } = await import('./builder.js');
    const b = new TB();
    const int = b.base('int', 4, DW_ATE.signed);
    const char = b.base('char', 1, DW_ATE.signed_char);
    const short = b.base('short', 2, DW_ATE.signed);
    const long = b.base('long', 8, DW_ATE.signed);
    const float = b.base('float', 4, DW_ATE.float);
    const uint = b.base('unsigned int', 4, DW_ATE.unsigned);
    const ushort = b.base('unsigned short', 2, DW_ATE.unsigned);
    const ulong = b.base('unsigned long', 8, DW_ATE.unsigned);
    const u16 = b.typedef('uint16_t', b.typedef('__uint16_t', ushort));
    const u32 = b.typedef('uint32_t', b.typedef('__uint32_t', uint));
    const u64 = b.typedef('uint64_t', b.typedef('__uint64_t', ulong));
    const nested = { topLevel: false };
    const double = b.base('double', 8, DW_ATE.float);
    const parts = b.agg('struct', undefined, 4, [{ name: 'lo', type: short, off: 0 }, { name: 'hi', type: short, off: 2 }], nested);
    const val = b.declare('union', 'val', 16);
    b.fill(val, [
      { name: 'i', type: int },
      { name: 'd', type: double },
      { name: 'bytes', type: b.array(char, [12]) },
      { name: 'parts', type: parts },
    ], true, [{ kind: 'member', index: 0 }, { kind: 'member', index: 1 }, { kind: 'member', index: 2 }, { kind: 'type', type: parts }, { kind: 'member', index: 3 }]);
    const S1 = b.agg('struct', undefined, 4, [{ name: 'lo16', type: u16, off: 0 }, { name: 'hi16', type: u16, off: 2 }], nested);
    const U1 = b.declare('union', undefined, 8, nested);
    b.fill(U1, [
      { name: 'u32', type: u32 },
      { name: 'u64', type: u64 },
      { type: S1 },
      { name: 'packed_flags', type: uint, bit: [0, 12, 4] },
    ], false, [{ kind: 'member', index: 0 }, { kind: 'member', index: 1 }, { kind: 'type', type: S1 }, { kind: 'member', index: 2 }, { kind: 'member', index: 3 }]);
    const U2 = b.agg('union', undefined, 4, [{ name: 'f', type: float }, { name: 'n', type: int }], nested);
    const S2 = b.declare('struct', undefined, 8, nested);
    b.fill(S2, [
      { name: 'x', type: char, off: 0 },
      { name: 'y', type: short, off: 2 },
      { type: U2, off: 4 },
    ], false, [{ kind: 'member', index: 0 }, { kind: 'member', index: 1 }, { kind: 'member', index: 2 }, { kind: 'type', type: U2 }]);
    const NU = b.agg('struct', undefined, 16, [{ name: 'p', type: char, off: 0 }, { name: 'q', type: long, off: 8 }], nested);
    const W = b.declare('struct', 'with_anon', 64);
    b.fill(W, [
      { name: 'kind', type: int, off: 0 },
      { type: U1, off: 8 },
      { type: S2, off: 16 },
      { name: 'named_unnamed', type: NU, off: 24 },
      { name: 'v', type: val, off: 40 },
      { name: 'end', type: char, off: 56 },
    ], true, [
      { kind: 'member', index: 0 },
      { kind: 'member', index: 1 },
      { kind: 'type', type: U1 },
      { kind: 'member', index: 2 },
      { kind: 'type', type: S2 },
      { kind: 'member', index: 3 },
      { kind: 'type', type: NU },
      { kind: 'member', index: 4 },
      { kind: 'member', index: 5 },
    ]);
    expect(renderType(b.t, W, V124)).toBe(blockFor(golden, 'struct with_anon {'));
  });
});

describe('renderType for enums and typedefs (pahole -C)', () => {
  const { b, ids } = layoutC();
  it('enum color', () => {
    expect(renderType(b.t, ids.color!)).toBe('enum color {\n\tRED   = 0,\n\tGREEN = 5,\n\tBLUE  = 100,\n};');
  });
  it('typedef of a function pointer', () => {
    const cb = b.t.types.findIndex((t) => t.kind === 'typedef' && t.name === 'callback_t');
    expect(renderType(b.t, cb)).toBe('typedef void (*callback_t)(int, void *);');
  });
  it('typedef of an anonymous struct prints the struct with its summary', async () => {
    const { TB, DW_ATE } = await import('./builder.js');
    const tb = new TB();
    const int = tb.base('int', 4, DW_ATE.signed);
    const anon = tb.agg('struct', undefined, 8, [{ name: 'x', type: int, off: 0 }, { name: 'y', type: int, off: 4 }]);
    const td = tb.typedef('point_t', anon);
    expect(renderType(tb.t, td, { pahole: '1.24' })).toBe(
      'typedef struct {\n\tint                        x;                    /*     0     4 */\n' +
        '\tint                        y;                    /*     4     4 */\n\n' +
        '\t/* size: 8, cachelines: 1, members: 2 */\n\t/* last cacheline: 8 bytes */\n} point_t;',
    );
    // pahole 1.31's typedef__fprintf narrows the type column by 8 (type_spacing -= 8)
    expect(renderType(tb.t, td, { pahole: '1.31' })).toBe(
      'typedef struct {\n\tint                x;                    /*     0     4 */\n' +
        '\tint                y;                    /*     4     4 */\n\n' +
        '\t/* size: 8, cachelines: 1, members: 2 */\n\t/* last cacheline: 8 bytes */\n} point_t;',
    );
  });
  it('signed and 64-bit enums, decimal and hex', async () => {
    const { TB, DW_ATE } = await import('./builder.js');
    const tb = new TB();
    const int = tb.base('int', 4, DW_ATE.signed);
    const ulong = tb.base('long unsigned int', 8, DW_ATE.unsigned);
    const se = tb.enum('signed_enum', 4, [['S_NEG', -3], ['S_ZERO', 0], ['S_POS', 7]], int);
    const big = tb.add({
      kind: 'enum', name: 'big_enum', size: 8, declaration: false, underlying: ulong, origin: { die: -1 },
      enumerators: [{ name: 'BIG_ZERO', value: 0n }, { name: 'BIG_HIGH', value: 0x100000000n }, { name: 'BIG_MAX', value: 0xffffffffffffffffn }],
    });
    expect(renderType(tb.t, se)).toBe('enum signed_enum {\n\tS_NEG  = -3,\n\tS_ZERO = 0,\n\tS_POS  = 7,\n};');
    expect(renderType(tb.t, se, { hex: true })).toBe('enum signed_enum {\n\tS_NEG  = 0xfffffffffffffffd,\n\tS_ZERO = 0,\n\tS_POS  = 0x7,\n};');
    expect(renderType(tb.t, big)).toBe(
      'enum big_enum {\n\tBIG_ZERO = 0,\n\tBIG_HIGH = 4294967296,\n\tBIG_MAX  = 18446744073709551615,\n} __attribute__((__packed__));',
    );
  });
});

describe('pahole -E (expand types)', () => {
  // golden: `pahole -F dwarf -E -C NAME` on the reference layout.c built with gcc 12 -g -O0
  const golden = (f: string) => readFileSync(path.join(repoRoot, 'test/report/golden', f), 'utf8').replace(/\n$/, '');
  const { b, ids } = layoutC();
  it('expands named structs and typedef chains in kitchen_sink', () => {
    expect(renderType(b.t, ids.kitchen_sink!, { expand: true, ...V124 })).toBe(golden('layout-kitchen_sink.E.txt'));
  });
  it('uses the wide name column for unions too', () => {
    expect(renderType(b.t, ids.val!, { expand: true, ...V124 })).toBe(golden('layout-val.E.txt'));
  });
});
