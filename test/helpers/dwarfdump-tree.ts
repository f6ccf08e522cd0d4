/**
 * The DIE tree of `llvm-dwarfdump-19 --debug-info FILE`, parsed from its text: the outside reference
 * for the Rust tests (test/dwarf/rust.test.ts). Only what those tests compare is kept: tag, name,
 * byte size, member location, DW_AT_type / DW_AT_discr references, DW_AT_discr_value, const values.
 */
import { spawnSync } from 'node:child_process';

export interface DumpDie {
  offset: number;
  tag: string;
  depth: number;
  parent?: DumpDie;
  children: DumpDie[];
  attrs: Map<string, string>;
}

export const DWARFDUMP = 'llvm-dwarfdump-19';

export function haveDwarfdump(): boolean {
  return spawnSync(DWARFDUMP, ['--version'], { encoding: 'utf8' }).status === 0;
}

const RE_DIE = /^0x([0-9a-f]+):( +)(DW_TAG_\w+|NULL)\s*$/;
const RE_ATTR = /^\s+(DW_AT_\w+)\t\((.*)\)\s*$/;

/** Every DIE of the file by offset. */
export function dumpDies(file: string): Map<number, DumpDie> {
  const text = spawnSync(DWARFDUMP, ['--debug-info', file], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const byOffset = new Map<number, DumpDie>();
  const stack: DumpDie[] = [];
  let current: DumpDie | undefined;
  for (const line of text.split('\n')) {
    const d = RE_DIE.exec(line);
    if (d) {
      const depth = d[2]!.length;
      while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
      if (d[3] === 'NULL') {
        current = undefined;
        continue;
      }
      const die: DumpDie = { offset: parseInt(d[1]!, 16), tag: d[3]!, depth, children: [], attrs: new Map() };
      const parent = stack[stack.length - 1];
      if (parent) {
        die.parent = parent;
        parent.children.push(die);
      }
      stack.push(die);
      byOffset.set(die.offset, die);
      current = die;
      continue;
    }
    const a = RE_ATTR.exec(line);
    if (a && current) current.attrs.set(a[1]!, a[2]!);
  }
  return byOffset;
}

/** A string attribute's value: `("Option<&u8>")` → `Option<&u8>`. */
export function str(die: DumpDie, at: string): string | undefined {
  const v = die.attrs.get(at);
  if (v === undefined) return undefined;
  const m = /^"(.*)"$/.exec(v);
  return m ? m[1]!.replace(/\\"/g, '"') : v;
}

/** A numeric attribute (`0x10`, `16`, `(0x10)`). */
export function num(die: DumpDie, at: string): number | undefined {
  const v = die.attrs.get(at);
  if (v === undefined) return undefined;
  const m = /^(0x[0-9a-f]+|-?\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** A reference attribute's target DIE offset (`0x0000027a "u8"`). */
export function ref(die: DumpDie, at: string): number | undefined {
  const v = die.attrs.get(at);
  const m = v === undefined ? null : /^0x([0-9a-f]+)/.exec(v);
  return m ? parseInt(m[1]!, 16) : undefined;
}

/** The type's path: the names of the enclosing namespaces and types, then its own (`core::option::Option<&u8>`). */
export function pathOf(die: DumpDie): string {
  const parts: string[] = [];
  for (let d: DumpDie | undefined = die; d && d.tag !== 'DW_TAG_compile_unit'; d = d.parent) {
    const n = str(d, 'DW_AT_name');
    if (n !== undefined) parts.push(n);
  }
  return parts.reverse().join('::');
}

/** The size of a type DIE as DWARF gives it (byte sizes, pointers, arrays, qualifiers followed). */
export function sizeOf(dies: Map<number, DumpDie>, offset: number | undefined, addressSize = 8, depth = 0): number {
  const d = offset === undefined ? undefined : dies.get(offset);
  if (!d || depth > 32) return 0;
  const bs = num(d, 'DW_AT_byte_size');
  if (bs !== undefined) return bs;
  switch (d.tag) {
    case 'DW_TAG_pointer_type':
    case 'DW_TAG_reference_type':
      return addressSize;
    case 'DW_TAG_array_type': {
      let n = 1;
      for (const c of d.children) if (c.tag === 'DW_TAG_subrange_type') n *= num(c, 'DW_AT_count') ?? (num(c, 'DW_AT_upper_bound') ?? -1) + 1;
      return n * sizeOf(dies, ref(d, 'DW_AT_type'), addressSize, depth + 1);
    }
    default:
      return sizeOf(dies, ref(d, 'DW_AT_type'), addressSize, depth + 1);
  }
}
