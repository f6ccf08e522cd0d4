/**
 * Hand-built TypeTables for test/report/reference/pahole-1.24/{layout.c,extra.c}, mirroring what
 * gcc 12 -gdwarf-5 emits for them (DW_AT_data_bit_offset for bit-fields).
 */
import type { TypeId } from '../../src/model/types.js';
import { DW_ATE, TB } from './builder.js';

export interface Built {
  b: TB;
  ids: Record<string, TypeId>;
}

function scalars(b: TB) {
  return {
    int: b.base('int', 4, DW_ATE.signed),
    char: b.base('char', 1, DW_ATE.signed_char),
    long: b.base('long int', 8, DW_ATE.signed),
    short: b.base('short int', 2, DW_ATE.signed),
    uint: b.base('unsigned int', 4, DW_ATE.unsigned),
    uchar: b.base('unsigned char', 1, DW_ATE.unsigned_char),
    ushort: b.base('short unsigned int', 2, DW_ATE.unsigned),
    ulong: b.base('long unsigned int', 8, DW_ATE.unsigned),
    ullong: b.base('long long unsigned int', 8, DW_ATE.unsigned),
    double: b.base('double', 8, DW_ATE.float),
    bool: b.base('_Bool', 1, DW_ATE.boolean),
  };
}

export function layoutC(): Built {
  const b = new TB();
  const s = scalars(b);
  const color = b.enum('color', 4, [['RED', 0], ['GREEN', 5], ['BLUE', 100]], s.uint);
  const voidp = b.ptr(0);
  const cbFn = b.fn(0, [s.int, voidp]);
  const callback_t = b.typedef('callback_t', b.ptr(cbFn));
  const u32 = b.typedef('uint32_t', b.typedef('__uint32_t', s.uint));
  const u64 = b.typedef('uint64_t', b.typedef('__uint64_t', s.ulong));
  const u16 = b.typedef('uint16_t', b.typedef('__uint16_t', s.ushort));
  const u8 = b.typedef('uint8_t', b.typedef('__uint8_t', s.uchar));

  const inner_pad = b.struct('inner_pad', 16, [
    { name: 'l', type: s.long, off: 0 },
    { name: 'c', type: s.char, off: 8 },
  ]);
  const holes = b.struct('holes', 32, [
    { name: 'a', type: s.char, off: 0 },
    { name: 'b', type: s.int, off: 4 },
    { name: 'c', type: s.char, off: 8 },
    { name: 'd', type: s.long, off: 16 },
    { name: 'e', type: s.short, off: 24 },
  ]);
  const bits = b.struct('bits', 24, [
    { name: 'f1', type: s.uint, bit: [0, 3, 4] },
    { name: 'f2', type: s.uint, bit: [3, 5, 4] },
    { name: 'f3', type: s.uint, bit: [32, 1, 4] },
    { name: 'tail_c', type: s.uchar, off: 5 },
    { name: 'big', type: s.ullong, bit: [64, 40, 8] },
    { name: 'x', type: s.int, off: 16 },
  ]);
  const packed_s = b.struct('packed_s', 15, [
    { name: 'a', type: s.char, off: 0 },
    { name: 'b', type: s.int, off: 1 },
    { name: 'c', type: s.short, off: 5 },
    { name: 'd', type: s.long, off: 7 },
  ]);
  const parts = b.struct(undefined, 4, [
    { name: 'lo', type: s.short, off: 0 },
    { name: 'hi', type: s.short, off: 2 },
  ]);
  const val = b.union('val', 16, [
    { name: 'i', type: s.int },
    { name: 'd', type: s.double },
    { name: 'bytes', type: b.array(s.char, [12]) },
    { name: 'parts', type: parts },
  ]);
  const flex = b.struct('flex', 8, [
    { name: 'len', type: s.int, off: 0 },
    { name: 'kind', type: s.short, off: 4 },
    { name: 'data', type: b.array(s.char, [null]), off: 6 },
  ]);
  const ks = b.declare('struct', 'kitchen_sink', 320, { alignment: 64 });
  const rawFn = b.fn(0, [b.ptr(ks), s.long]);
  const anonS = b.struct(undefined, 4, [
    { name: 'lo16', type: u16, off: 0 },
    { name: 'hi16', type: u16, off: 2 },
  ]);
  const anonU = b.union(undefined, 8, [
    { name: 'u32', type: u32 },
    { name: 'u64', type: u64 },
    { type: anonS },
  ]);
  b.fill(ks, [
    { name: 'tag', type: s.char, off: 0 },
    { name: 'color', type: color, off: 4 },
    { name: 'cb', type: callback_t, off: 8 },
    { name: 'raw_fn', type: b.ptr(rawFn), off: 16 },
    { name: 'ip', type: inner_pad, off: 24 },
    { name: 'after_ip', type: s.char, off: 40 },
    { type: anonU, off: 48 },
    { name: 'arr', type: b.array(u8, [3]), off: 56 },
    { name: 'matrix', type: b.array(s.int, [4, 3]), off: 60 },
    { name: 'hot', type: s.long, off: 128, align: 64 },
    { name: 'b', type: bits, off: 136 },
    { name: 'v', type: val, off: 160 },
    { name: 'h', type: holes, off: 176 },
    { name: 'p', type: packed_s, off: 208 },
    { name: 'name', type: b.array(s.char, [70]), off: 223 },
    { name: 'flag_a', type: s.uint, bit: [292 * 8 + 8, 1, 4] },
    { name: 'flag_b', type: s.uint, bit: [292 * 8 + 9, 2, 4] },
    { name: 'fp', type: b.ptr(flex), off: 296 },
    { name: 'strv', type: b.ptr(b.const(b.ptr(b.const(s.char)))), off: 304 },
    { name: 'vi', type: b.volatile(s.int), off: 312 },
  ]);
  const reorg_me = b.struct('reorg_me', 40, [
    { name: 'a', type: s.char, off: 0 },
    { name: 'b', type: s.long, off: 8 },
    { name: 'c', type: s.char, off: 16 },
    { name: 'd', type: s.int, off: 20 },
    { name: 'e', type: s.short, off: 24 },
    { name: 'bf1', type: s.uint, bit: [24 * 8 + 16, 4, 4] },
    { name: 'f', type: s.char, off: 27 },
    { name: 'bf2', type: s.uint, bit: [28 * 8, 3, 4] },
    { name: 'g', type: voidp, off: 32 },
  ]);
  return { b, ids: { color, inner_pad, holes, bits, packed_s, val, flex, kitchen_sink: ks, reorg_me } };
}

export function extraC(): Built {
  const b = new TB();
  const s = scalars(b);
  const force_pad = b.struct(
    'force_pad',
    32,
    [
      { name: 'x', type: s.int, off: 0, align: 32 },
      { name: 'y', type: s.int, off: 4 },
    ],
    { alignment: 32 },
  );
  const tail_bits = b.struct('tail_bits', 16, [
    { name: 'l', type: s.long, off: 0 },
    { name: 'a', type: s.uint, bit: [64, 3, 4] },
    { name: 'b', type: s.uint, bit: [67, 2, 4] },
  ]);
  const cl_aligned = b.struct('cl_aligned', 64, [{ name: 'counter', type: s.int, off: 0 }], { alignment: 64 });
  const inner_holes = b.struct('inner_holes', 24, [
    { name: 'a', type: s.char, off: 0 },
    { name: 'b', type: s.long, off: 8 },
    { name: 'c', type: s.char, off: 16 },
  ]);
  const inner_flex = b.struct('inner_flex', 4, [
    { name: 'n', type: s.int, off: 0 },
    { name: 'd', type: b.array(s.char, [null]), off: 4 },
  ]);
  const anonEnum = b.enum(undefined, 4, [['E_A', 0], ['E_B', 3]], s.uint);
  const outer = b.struct(
    'outer',
    192,
    [
      { name: 'ih', type: inner_holes, off: 0 },
      { name: 'ca', type: cl_aligned, off: 64, align: 64 },
      { name: 'tb', type: tail_bits, off: 128 },
      { name: 'flag', type: s.bool, off: 144 },
      { name: 'e', type: anonEnum, bit: [144 * 8 + 8, 4, 4] },
      { name: 'zero', type: b.array(s.char, [0]), off: 146 },
      { name: 'after_zero', type: s.int, off: 148 },
      { name: 'ifx', type: inner_flex, off: 152 },
    ],
    { alignment: 64 },
  );
  const anonPacked = b.struct(undefined, 4, [{ name: 'i', type: s.int, off: 0 }]);
  const part_packed = b.struct('part_packed', 8, [
    { name: 'c', type: s.char, off: 0 },
    { name: 's', type: anonPacked, off: 1 },
    { name: 't', type: s.short, off: 6 },
  ]);
  return { b, ids: { force_pad, tail_bits, cl_aligned, inner_holes, inner_flex, outer, part_packed } };
}
