// A small DWARF 4 producer for tests: an x86-64 ET_REL file holding one compile unit whose DIEs
// are given as a tree. Attribute values are encoded exactly as given (a Uint8Array value is
// written raw), so tests can build hostile units: absurd sizes, overlong LEB128s, string offsets
// out of bounds, names with escape sequences. Sections may be wrapped as SHF_COMPRESSED.
import { deflateSync } from 'node:zlib';
import { Bytes, buildElf, type SectionSpec } from '../elf/helpers.js';

export const TAG = { compile_unit: 0x11, structure_type: 0x13, union_type: 0x17, member: 0x0d, base_type: 0x24, array_type: 0x01, subrange_type: 0x21, pointer_type: 0x0f, typedef: 0x16 } as const;
export const AT = { name: 0x03, byte_size: 0x0b, type: 0x49, data_member_location: 0x38, encoding: 0x3e, upper_bound: 0x2f, count: 0x37, producer: 0x25, language: 0x13, declaration: 0x3c } as const;
export const FORM = { data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, udata: 0x0f, sdata: 0x0d, string: 0x08, strp: 0x0e, ref4: 0x13, flag_present: 0x19 } as const;

/** A reference to the DIE with this `id` (DW_FORM_ref4). */
export interface Ref {
  ref: string;
}

export type AttrValue = number | bigint | string | Uint8Array | Ref;

export interface Die {
  tag: number;
  id?: string;
  attrs: [at: number, form: number, value: AttrValue][];
  children?: Die[];
}

export interface UnitSpec {
  /** Children of the compile unit. */
  dies: Die[];
  /** .debug_str contents (strp offsets point here). */
  str?: Uint8Array;
  /** Wrap .debug_info: zlib (real deflate), or `bomb` (header declaring `declared` bytes over `data`). */
  compressInfo?: { type: 'zlib' } | { type: 'raw'; chType: 1 | 2; declared: number; data: Uint8Array };
}

function uleb(v: bigint, out: Bytes): void {
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.u8(byte);
  } while (v !== 0n);
}

function sleb(v: bigint, out: Bytes): void {
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && !(byte & 0x40)) || (v === -1n && byte & 0x40);
    out.u8(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/** .debug_abbrev and .debug_info of one DWARF 4 compile unit (one abbreviation per DIE). */
export function buildUnit(spec: UnitSpec): { abbrev: Uint8Array; info: Uint8Array } {
  const abbrev = new Bytes(true);
  const body = new Bytes(true);
  const offsets = new Map<string, number>();
  const patches: { at: number; id: string }[] = [];
  let code = 0;
  const HEADER = 11; // unit_length 4, version 2, abbrev offset 4, address size 1
  const emit = (die: Die): void => {
    code++;
    uleb(BigInt(code), abbrev);
    uleb(BigInt(die.tag), abbrev);
    abbrev.u8(die.children?.length ? 1 : 0);
    for (const [at, form] of die.attrs) {
      uleb(BigInt(at), abbrev);
      uleb(BigInt(form), abbrev);
    }
    abbrev.u8(0).u8(0);
    if (die.id) offsets.set(die.id, HEADER + body.length);
    uleb(BigInt(code), body);
    for (const [, form, value] of die.attrs) {
      if (value instanceof Uint8Array) {
        body.bytes(value);
        continue;
      }
      if (typeof value === 'object') {
        patches.push({ at: body.length, id: value.ref });
        body.u32(0);
        continue;
      }
      if (typeof value === 'string') {
        body.str(value);
        continue;
      }
      const v = BigInt(value);
      if (form === FORM.data1) body.u8(Number(v));
      else if (form === FORM.data2) body.u16(Number(v));
      else if (form === FORM.data4 || form === FORM.strp || form === FORM.ref4) body.u32(Number(v));
      else if (form === FORM.data8) body.u64(v);
      else if (form === FORM.udata) uleb(v, body);
      else if (form === FORM.sdata) sleb(v, body);
      else if (form !== FORM.flag_present) throw new Error(`form 0x${form.toString(16)} not supported by the builder`);
    }
    if (die.children?.length) {
      for (const c of die.children) emit(c);
      body.u8(0);
    }
  };
  emit({ tag: TAG.compile_unit, attrs: [[AT.producer, FORM.string, 'structscope test'], [AT.language, FORM.data1, 0x0c], [AT.name, FORM.string, 'hostile.c']], children: spec.dies });
  abbrev.u8(0);
  const dies = body.done();
  for (const p of patches) {
    const off = offsets.get(p.id);
    if (off === undefined) throw new Error(`no DIE with id ${p.id}`);
    new DataView(dies.buffer).setUint32(p.at, off, true);
  }
  const info = new Bytes(true).u32(HEADER - 4 + dies.length).u16(4).u32(0).u8(8).bytes(dies).done();
  return { abbrev: abbrev.done(), info };
}

/** Elf64_Chdr: type, reserved, size, alignment. */
function chdr(type: number, size: number): Uint8Array {
  return new Bytes(true).u32(type).u32(0).u64(size).u64(1).done();
}

/** An x86-64 ET_REL ELF file with the unit's .debug_info, .debug_abbrev (and .debug_str). */
export function buildDwarfElf(spec: UnitSpec): Uint8Array {
  const { abbrev, info } = buildUnit(spec);
  let infoSection: SectionSpec = { name: '.debug_info', type: 1, data: info };
  const c = spec.compressInfo;
  if (c?.type === 'zlib') {
    const z = deflateSync(info);
    infoSection = { name: '.debug_info', type: 1, flags: 0x800, data: new Bytes(true).bytes(chdr(1, info.length)).bytes(z).done(), addralign: 8 };
  } else if (c?.type === 'raw') {
    infoSection = { name: '.debug_info', type: 1, flags: 0x800, data: new Bytes(true).bytes(chdr(c.chType, c.declared)).bytes(c.data).done(), addralign: 8 };
  }
  const sections: SectionSpec[] = [infoSection, { name: '.debug_abbrev', type: 1, data: abbrev }];
  if (spec.str) sections.push({ name: '.debug_str', type: 1, data: spec.str, flags: 0x30, entsize: 1 });
  return buildElf({ class: 64, littleEndian: true, sections });
}

/** `int` and a struct `name` of `size` bytes with an int member at each offset. */
export function simpleStruct(name: string | Uint8Array, size: AttrValue, members: { name: string; offset: number }[] = [{ name: 'a', offset: 0 }]): Die[] {
  const nameAttr: [number, number, AttrValue] = typeof name === 'string' ? [AT.name, FORM.string, name] : [AT.name, FORM.strp, name];
  const sizeForm = size instanceof Uint8Array ? FORM.udata : typeof size === 'bigint' || (typeof size === 'number' && size > 0xffffffff) ? FORM.data8 : FORM.data4;
  return [
    { tag: TAG.base_type, id: 'int', attrs: [[AT.name, FORM.string, 'int'], [AT.byte_size, FORM.data1, 4], [AT.encoding, FORM.data1, 5]] },
    {
      tag: TAG.structure_type,
      attrs: [nameAttr, [AT.byte_size, sizeForm, size]],
      children: members.map((m) => ({ tag: TAG.member, attrs: [[AT.name, FORM.string, m.name], [AT.type, FORM.ref4, { ref: 'int' }], [AT.data_member_location, FORM.data4, m.offset]] as [number, number, AttrValue][] })),
    },
  ];
}

/**
 * A zstd stream of RLE blocks that honestly decompresses to `size` zero bytes (a decompression
 * bomb: about 4 bytes per 128 KiB). One frame, no declared content size, 128 MiB window.
 */
export function zstdRleBomb(size: number): Uint8Array {
  const out = new Bytes(true).u32(0xfd2fb528);
  out.u8(0x00); // frame header: no content size, not single segment, no checksum, no dictionary
  out.u8((27 - 10) << 3); // window descriptor: 2^27
  const BLOCK = 128 * 1024;
  for (let left = size; left > 0; ) {
    const n = Math.min(BLOCK, left);
    left -= n;
    const header = (n << 3) | (1 << 1) | (left === 0 ? 1 : 0); // RLE block
    out.u8(header & 0xff).u8((header >> 8) & 0xff).u8((header >> 16) & 0xff).u8(0);
  }
  return out.done();
}
