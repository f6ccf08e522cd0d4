import { describe, expect, it } from 'vitest';
import { declarationString, DW_LANG_C_plus_plus, functionTypeString, typeName } from '../../src/report/ctype.js';
import { DW_ATE, TB } from './builder.js';

describe('C type spelling (pahole style)', () => {
  const b = new TB();
  const char = b.base('char', 1, DW_ATE.signed_char);
  const int = b.base('int', 4, DW_ATE.signed);
  const long = b.base('long int', 8, DW_ATE.signed);
  const s = b.struct('kitchen_sink', 8, []);
  const ctx = { table: b.t };

  it('spells qualifiers with pahole\'s trailing space and const pointers', () => {
    expect(typeName(ctx, b.ptr(b.const(char)))).toBe('const char  *');
    expect(typeName(ctx, b.ptr(b.const(b.ptr(b.const(char)))))).toBe('const char  * const *');
    expect(typeName(ctx, b.volatile(int))).toBe('volatile int ');
    expect(typeName(ctx, b.ptr(0))).toBe('void *');
    expect(typeName(ctx, b.ptr(b.ptr(0)))).toBe('void * *');
  });

  it('spells function types and pointers to them', () => {
    const fn = b.fn(0, [b.ptr(s), long]);
    expect(typeName(ctx, fn)).toBe('void ()(struct kitchen_sink *, long int)');
    expect(functionTypeString(ctx, b.t.get(fn) as never, { name: 'raw_fn', isPointer: true })).toBe(
      'void (*raw_fn)(struct kitchen_sink *, long int)',
    );
    expect(typeName(ctx, b.fn(int, [], true))).toBe('int ()(void)');
    expect(typeName(ctx, b.fn(int, [b.ptr(b.const(char))], true))).toBe('int ()(const char  *, ...)');
  });

  it('spells struct as class only for DW_LANG_C_plus_plus units', () => {
    expect(typeName({ table: b.t, language: DW_LANG_C_plus_plus }, b.ptr(s))).toBe('class kitchen_sink *');
    expect(typeName({ table: b.t, language: 0x21 }, b.ptr(s))).toBe('struct kitchen_sink *');
  });

  it('builds unpadded declarations for JSON', () => {
    expect(declarationString(ctx, b.array(int, [4, 3]), 'matrix')).toBe('int matrix[4][3]');
    expect(declarationString(ctx, b.array(char, [null]), 'data', { flexible: true })).toBe('char data[]');
    expect(declarationString(ctx, b.ptr(b.fn(long, [int])), 'fn')).toBe('long int (*fn)(int)');
    expect(declarationString(ctx, b.array(b.ptr(b.fn(long, [int])), [2]), 'fns')).toBe('long int (*fns)(int)[2]');
    expect(declarationString(ctx, b.ptr(b.const(b.ptr(b.const(char)))), 'strv')).toBe('const char  * const * strv');
    expect(declarationString(ctx, b.agg('union', undefined, 4, []), 'u')).toBe('union {...} u');
  });
});
