// fast-check generators of hostile structures (not byte flips): DWARF units from arbitrary type
// trees and sizes, ELF files from arbitrary section tables, JSON reports with arbitrary fields.
// Each shrinks toward a small counterexample when a property fails.
import fc from 'fast-check';
import { buildElf, type SectionSpec } from '../elf/helpers.js';
import { AT, FORM, TAG, buildUnit, type AttrValue, type Die, type UnitSpec } from './dwarf-builder.js';

/** Names: ordinary identifiers, any string (control characters, bidi overrides, empty). */
export const nameArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'foo', 'task_struct', 'x_y') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

/** Sizes and offsets: small, at the edges of 32/53/64 bits, or any 64-bit value; or raw LEB128 bytes. */
export const sizeArb: fc.Arbitrary<AttrValue> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 2 ** 31, 2 ** 53 + 1, 0x7fffffff) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 14 }).map((b) => Uint8Array.from(b, (x, i) => (i === b.length - 1 ? x & 0x7f : x | 0x80))) },
);

function sizeAttr(at: number, v: AttrValue): [number, number, AttrValue] {
  if (v instanceof Uint8Array) return [at, FORM.udata, v];
  if (typeof v === 'bigint' || (typeof v === 'number' && v > 0xffffffff)) return [at, FORM.data8, v];
  return [at, FORM.data4, v];
}

/** One type DIE of a unit of `n` types; references are indices into the unit's types (cycles allowed). */
function typeDieArb(n: number): fc.Arbitrary<Die> {
  const ref = fc.nat(n - 1).map((k) => ({ ref: `t${k}` }));
  const member = fc.record({ name: fc.option(nameArb), type: ref, offset: sizeArb, bits: fc.option(fc.integer({ min: 0, max: 70 })) });
  return fc.oneof(
    fc.record({ name: nameArb, size: fc.integer({ min: 0, max: 16 }), enc: fc.constantFrom(2, 4, 5, 6, 7, 8) }).map(
      (b): Die => ({ tag: TAG.base_type, attrs: [[AT.name, FORM.string, b.name], [AT.byte_size, FORM.data1, b.size], [AT.encoding, FORM.data1, b.enc]] }),
    ),
    fc.record({ name: fc.option(nameArb), size: sizeArb, union: fc.boolean(), declaration: fc.boolean(), members: fc.array(member, { maxLength: 6 }) }).map(
      (s): Die => ({
        tag: s.union ? TAG.union_type : TAG.structure_type,
        attrs: [
          ...(s.name === null ? [] : [[AT.name, FORM.string, s.name] as [number, number, AttrValue]]),
          sizeAttr(AT.byte_size, s.size),
          ...(s.declaration ? [[AT.declaration, FORM.flag_present, 1] as [number, number, AttrValue]] : []),
        ],
        children: s.members.map((m) => ({
          tag: TAG.member,
          attrs: [
            ...(m.name === null ? [] : [[AT.name, FORM.string, m.name] as [number, number, AttrValue]]),
            [AT.type, FORM.ref4, m.type],
            sizeAttr(AT.data_member_location, m.offset),
            ...(m.bits === null ? [] : [[0x0d /* DW_AT_bit_size */, FORM.data1, m.bits] as [number, number, AttrValue]]),
          ],
        })),
      }),
    ),
    fc.record({ type: ref, count: sizeArb }).map((a): Die => ({ tag: TAG.array_type, attrs: [[AT.type, FORM.ref4, a.type]], children: [{ tag: TAG.subrange_type, attrs: [sizeAttr(AT.count, a.count)] }] })),
    ref.map((t): Die => ({ tag: TAG.pointer_type, attrs: [[AT.byte_size, FORM.data1, 8], [AT.type, FORM.ref4, t]] })),
    fc.record({ name: nameArb, type: ref }).map((t): Die => ({ tag: TAG.typedef, attrs: [[AT.name, FORM.string, t.name], [AT.type, FORM.ref4, t.type]] })),
  );
}

/** A compile unit of 1–8 types referring to each other arbitrarily. */
export const unitArb: fc.Arbitrary<UnitSpec> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.array(typeDieArb(n), { minLength: n, maxLength: n }))
  .map((dies) => ({ dies: dies.map((d, i) => ({ ...d, id: `t${i}` })) }));

const SECTION_NAMES = ['.debug_info', '.debug_abbrev', '.debug_str', '.debug_line', '.debug_types', '.zdebug_info', '.gnu_debuglink', '.gnu_debugaltlink', '.debug_sup', '.note.gnu.build-id', '.rela.debug_info', '.symtab', '.strtab', '.text'];

const sectionArb: fc.Arbitrary<SectionSpec> = fc.record(
  {
    name: fc.constantFrom(...SECTION_NAMES),
    type: fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 9, 0x13, 0x6fffffff),
    flags: fc.constantFrom(0, 0x800, 0x30),
    data: fc.uint8Array({ maxLength: 96 }),
    size: fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    offset: fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    link: fc.nat(12),
    info: fc.nat(12),
    entsize: fc.constantFrom(0, 1, 8, 24, 0xffffffff),
  },
  { requiredKeys: ['name', 'type'] },
);

/** ELF files: an arbitrary section table, sometimes around a real (generated) DWARF unit. */
export const elfArb: fc.Arbitrary<Uint8Array> = fc
  .record({ cls: fc.constantFrom(32 as const, 64 as const), le: fc.boolean(), type: fc.constantFrom(1, 2, 3), unit: fc.option(unitArb), sections: fc.array(sectionArb, { maxLength: 6 }) })
  .map(({ cls, le, type, unit, sections }) => {
    const all = [...sections];
    if (unit) {
      const { abbrev, info } = buildUnit(unit);
      all.unshift({ name: '.debug_info', type: 1, data: info }, { name: '.debug_abbrev', type: 1, data: abbrev });
    }
    return buildElf({ class: cls, littleEndian: le, type, sections: all });
  });

/** Replace the value at a random path of `doc` with an arbitrary JSON value (or delete it). */
export function mutateJson(doc: unknown, path: number[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let cur: unknown = copy;
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') break;
    const keys = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    parent = cur as Record<string, unknown>;
    key = keys[step % keys.length]!;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return value;
  if (remove && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}
