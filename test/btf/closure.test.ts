/**
 * What -C converts from BTF (src/btf/closure.ts): the named types in full, types behind pointers
 * as declarations, forward declarations laid out in full resolved to their definitions. The
 * rendering of a named type is the same from the partial table as from the whole one.
 */
import { describe, expect, it } from 'vitest';
import { btfToModel } from '../../src/btf/to-model.js';
import { parseBtf } from '../../src/btf/format.js';
import { renderType } from '../../src/pahole-text.js';
import type { AggregateType } from '../../src/model/types.js';

/** A little-endian raw BTF blob from type records (u32 words) and a string section. */
function blob(records: number[][], strings: string[]): Uint8Array {
  const str = Buffer.from('\0' + strings.map((s) => s + '\0').join(''), 'latin1');
  const words = records.flat();
  const out = Buffer.alloc(24 + words.length * 4 + str.length);
  out.writeUInt16LE(0xeb9f, 0);
  out[2] = 1;
  out.writeUInt32LE(24, 4);
  out.writeUInt32LE(0, 8);
  out.writeUInt32LE(words.length * 4, 12);
  out.writeUInt32LE(words.length * 4, 16);
  out.writeUInt32LE(str.length, 20);
  words.forEach((w, k) => out.writeUInt32LE(w >>> 0, 24 + 4 * k));
  str.copy(out, 24 + words.length * 4);
  return new Uint8Array(out);
}

/** Offset of `s` in the string section built by blob(). */
function off(strings: string[], s: string): number {
  let o = 1;
  for (const x of strings) {
    if (x === s) return o;
    o += x.length + 1;
  }
  throw new Error(s);
}

const info = (kind: number, vlen = 0) => (kind << 24) | vlen;
const S = ['int', 'foo', 'outer', 'bar', 'a', 'p', 'x', 'n'];
// 1 int; 2 fwd struct foo; 3 foo[2]; 4 struct foo { int x; }; 5 struct bar { int n; };
// 6 bar *; 7 struct outer { struct foo a[2]; struct bar *p; }
const RECORDS = [
  [off(S, 'int'), info(1), 4, (1 << 24) | 32],
  [off(S, 'foo'), info(7), 0],
  [0, info(3), 0, 2, 1, 2],
  [off(S, 'foo'), info(4, 1), 4, off(S, 'x'), 1, 0],
  [off(S, 'bar'), info(4, 1), 4, off(S, 'n'), 1, 0],
  [0, info(2), 5],
  [off(S, 'outer'), info(4, 2), 16, off(S, 'a'), 3, 0, off(S, 'p'), 6, 64],
];

describe('BTF -C closure', () => {
  const parsed = parseBtf(blob(RECORDS, S), { fileOffset: 0 });
  const whole = btfToModel(parsed, { inferAlignment: { cachelineSize: 64 } });
  const partial = btfToModel(parsed, { inferAlignment: { cachelineSize: 64 }, onlyNames: ['outer'] });

  it('a struct behind a pointer is a declaration; a forward declaration laid out in full finds its definition', () => {
    expect(partial.partial).toBe(true);
    expect((partial.table.get(5) as AggregateType).declaration).toBe(true);
    expect((partial.table.get(4) as AggregateType).declaration).toBe(false);
    const outer = partial.table.get(7) as AggregateType;
    expect(outer.members[0]!.byteSize).toBe(8);
    expect(outer.members[0]!.byteSize).toBe((whole.table.get(7) as AggregateType).members[0]!.byteSize);
  });

  it('prints the named type as the whole table does', () => {
    expect(renderType(partial.table, 7, { addressSize: 8 })).toBe(renderType(whole.table, 7, { addressSize: 8 }));
  });
});
