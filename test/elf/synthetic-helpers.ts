/** Builders and checks the synthetic ELF tests share (synthetic*.test.ts). */
import { expect } from 'vitest';
import { StructscopeError } from '../../src/util/errors.js';
import { openElf } from '../../src/elf/index.js';
import { Bytes, buildElf, tmpFile, type ElfSpec } from './helpers.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export function open(spec: ElfSpec) {
  return openElf(tmpFile(buildElf(spec)));
}

export function sym64(le: boolean, name: number, info: number, shndx: number, value: number | bigint, size = 0): Uint8Array {
  return new Bytes(le).u32(name).u8(info).u8(0).u16(shndx).u64(value).u64(size).done();
}
export function sym32(le: boolean, name: number, info: number, shndx: number, value: number, size = 0): Uint8Array {
  return new Bytes(le).u32(name).u32(value).u32(size).u8(info).u8(0).u16(shndx).done();
}
export const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Expect `fn` to throw a StructscopeError with these fields. */
export function expectError(fn: () => unknown, fields: Partial<Pick<StructscopeError, 'code' | 'section' | 'fileOffset' | 'file'>>): StructscopeError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(StructscopeError);
  expect(err).toMatchObject(fields);
  return err as StructscopeError;
}
