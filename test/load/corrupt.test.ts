import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { StructscopeError } from '../../src/util/errors.js';
import { fixturePath } from '../helpers/fixtures.js';
import { rng } from '../helpers/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'structscope-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** Load a mutated copy: it may succeed (possibly with diagnostics) or throw a StructscopeError that names the file. */
function expectOnlyTypedErrors(bytes: Uint8Array, label: string): 'ok' | 'error' {
  const path = join(dir, label);
  writeFileSync(path, bytes);
  try {
    loadFile(path);
    return 'ok';
  } catch (e) {
    if (!(e instanceof StructscopeError)) throw new Error(`${label}: untyped ${String((e as Error)?.stack ?? e)}`);
    expect(e.message).toContain(path);
    expect(e.message.includes('\n')).toBe(false);
    return 'error';
  }
}

const SUBJECTS = ['layout-plain.o', 'layout-dwarf2.o', 'layout-ppc64.o', 'layout-zlib.o', 'layout-zstd.o', 'inherit-cxx.o', 'layout-clang-dwarf5.o', 'layout-mips.o'];

describe('malformed input', () => {
  for (const name of SUBJECTS) {
    const original = new Uint8Array(readFileSync(fixturePath(name)));
    it(`${name}: truncated at 80 points`, () => {
      const outcomes = new Set<string>();
      for (let k = 0; k < 80; k++) {
        const cut = Math.floor((original.length * k) / 80);
        outcomes.add(expectOnlyTypedErrors(original.subarray(0, cut), `${name}.cut${cut}`));
      }
      expect(outcomes.has('error')).toBe(true);
    });
    it(`${name}: random byte flips (200 files)`, () => {
      const random = rng(name.length * 7919);
      for (let k = 0; k < 200; k++) {
        const copy = original.slice();
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
        expectOnlyTypedErrors(copy, `${name}.flip${k}`);
      }
    });
  }
});
