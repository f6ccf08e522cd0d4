/**
 * C++ classes as pahole 1.24 prints them, from hand-built tables mirroring g++ 12 -gdwarf-5 output
 * for fixtures/src/inherit.cc. Golden text: fixtures/expected/inherit-cxx.o.pahole.txt.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClassChild, Method, TypeId } from '../../src/model/types.js';
import { renderType } from '../../src/pahole-text.js';
import { blockFor, DW_ATE, TB } from './builder.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const golden = readFileSync(path.join(repoRoot, 'fixtures/expected/inherit-cxx.o.pahole.txt'), 'utf8');

const PUBLIC = 1;
const PROTECTED = 2;
const DW_LANG_C_plus_plus_14 = 0x21;

function build() {
  const b = new TB();
  const int = b.base('int', 4, DW_ATE.signed);
  const char = b.base('char', 1, DW_ATE.signed_char);
  const short = b.base('short int', 2, DW_ATE.signed);
  const long = b.base('long int', 8, DW_ATE.signed);
  const uchar = b.base('unsigned char', 1, DW_ATE.unsigned_char);
  const double = b.base('double', 8, DW_ATE.float);
  const bool = b.base('bool', 1, DW_ATE.boolean);
  const uint = b.base('unsigned int', 4, DW_ATE.unsigned);
  const cint = b.const(int);
  const lang = { language: DW_LANG_C_plus_plus_14 };
  const mem = (index: number): ClassChild => ({ kind: 'member', index });
  const method = (m: Partial<Method> & { name: string; params: TypeId[] }): ClassChild => ({
    kind: 'method',
    method: { returnType: 0, variadic: false, ...m },
  });

  const Base = b.struct('Base', 8, [
    { name: 'id', type: int, off: 0 },
    { name: 'tag', type: char, off: 4 },
  ], lang);
  const Derived = b.declare('struct', 'Derived', 12, lang);
  b.fill(Derived, [
    { type: Base, off: 0, base: true },
    { name: 'extra', type: short, off: 8 },
  ], true, [mem(0), mem(1)]);

  const Access = b.declare('class', 'Access', 24, lang);
  b.fill(
    Access,
    [
      { name: 'pub', type: int, off: 0, access: PUBLIC },
      { name: 'prot', type: char, off: 4, access: PROTECTED },
      { name: 'prot2', type: short, off: 6, access: PROTECTED },
      { name: 'priv', type: long, off: 8 },
      { name: 'priv_tail', type: char, off: 16 },
      { name: 'pub2', type: int, off: 20, access: PUBLIC },
    ],
    true,
    [
      mem(0),
      { kind: 'variable', name: 'instances', type: int, external: true, declaration: true },
      { kind: 'variable', name: 'kMax', type: cint, external: true, declaration: true },
      mem(1),
      mem(2),
      mem(3),
      mem(4),
      mem(5),
    ],
  );

  const Outer = b.declare('struct', 'Outer', 56, lang);
  const Inner = b.agg('struct', 'Inner', 16, [
    { name: 'c', type: char, off: 0 },
    { name: 'd', type: double, off: 8 },
  ], { ...lang, topLevel: false });
  const Kind = b.enum('Kind', 1, [['A', 0], ['B', 1]], uchar, false);
  const BufferShort = b.declare('struct', 'Buffer<short int, 3>', 24, lang);
  b.fill(BufferShort, [
    { name: 'items', type: b.array(short, [3]), off: 0 },
    { name: 'count', type: uint, off: 8 },
    { name: 'next', type: b.ptr(BufferShort), off: 16 },
  ]);
  const intRef = b.ref(int);
  b.fill(
    Outer,
    [
      { name: 'in', type: Inner, off: 0 },
      { name: 'ref', type: intRef, off: 16 },
      { name: 'small', type: BufferShort, off: 24 },
      { name: 'kind', type: Kind, off: 48 },
      { name: 'tail', type: int, off: 52 },
    ],
    true,
    [
      { kind: 'type', type: Inner },
      { kind: 'type', type: Kind },
      mem(0),
      mem(1),
      mem(2),
      mem(3),
      mem(4),
      method({ name: 'Outer', params: [b.ptr(Outer), intRef] }),
    ],
  );

  // class Shape { virtual ~Shape(); virtual double area() const; int x; protected: int y; }
  const Shape = b.declare('class', 'Shape', 16, lang);
  const vtblFn = b.fn(int, []);
  const vptr = b.ptr(b.ptr(vtblFn));
  const shapeThis = b.ptr(Shape);
  const shapeConstThis = b.ptr(b.const(Shape));
  b.fill(
    Shape,
    [
      { name: '_vptr.Shape', type: vptr, off: 0, access: PUBLIC },
      { name: 'x', type: int, off: 8, access: PUBLIC },
      { name: 'y', type: int, off: 12, access: PROTECTED },
    ],
    true,
    [
      method({ name: 'Shape', params: [shapeThis, b.ref(b.const(Shape))], accessibility: PUBLIC }),
      mem(0),
      method({ name: 'Shape', params: [shapeThis], accessibility: PUBLIC }),
      method({ name: '~Shape', params: [shapeThis, int], accessibility: PUBLIC, virtuality: 1 }),
      method({ name: 'area', params: [shapeConstThis], returnType: double, accessibility: PUBLIC, virtuality: 1, vtableIndex: 2 }),
      mem(1),
      mem(2),
    ],
  );
  const Circle = b.declare('class', 'Circle', 32, lang);
  const circleThis = b.ptr(Circle);
  b.fill(
    Circle,
    [
      { type: Shape, off: 0, base: true, access: PUBLIC },
      { name: 'r', type: double, off: 16 },
      { name: 'cached', type: bool, off: 24 },
    ],
    true,
    [
      mem(0),
      method({ name: 'Circle', params: [circleThis, b.add({ kind: 'pointer', pointerKind: 'rvalue_reference', target: Circle, size: 8 })], accessibility: PUBLIC }),
      method({ name: 'Circle', params: [circleThis, b.ref(b.const(Circle))], accessibility: PUBLIC }),
      method({ name: 'Circle', params: [circleThis], accessibility: PUBLIC }),
      method({ name: 'area', params: [b.ptr(b.const(Circle))], returnType: double, accessibility: PUBLIC, virtuality: 1, vtableIndex: 2 }),
      mem(1),
      mem(2),
      method({ name: '~Circle', params: [circleThis, int], accessibility: PUBLIC, virtuality: 1 }),
    ],
  );
  return { b, ids: { Derived, Access, Outer, Shape, Circle } };
}

describe('pahole C++ output (g++ DWARF 5)', () => {
  const { b, ids } = build();
  const cases: [keyof typeof ids, string][] = [
    ['Derived', 'struct Derived : Base {'],
    ['Access', 'class Access {'],
    ['Outer', 'struct Outer {'],
    ['Shape', 'class Shape {'],
    ['Circle', 'class Circle : public Shape {'],
  ];
  for (const [key, header] of cases) {
    it(`renders ${header.slice(0, -2)}`, () => {
      expect(renderType(b.t, ids[key], { pahole: '1.24' })).toBe(blockFor(golden, header));
    });
  }
});
