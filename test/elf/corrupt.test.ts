/**
 * Corruption sweep: truncate and flip bytes of real fixtures; every failure that escapes
 * openElf / readSection / symbols / notes / loadDebugSection must be a StructscopeError.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { StructscopeError } from '../../src/util/errors.js';
import { SHF, SHT, openElf, loadDebugSection, type RelocDiagnostic } from '../../src/elf/index.js';
import { fixture, tmpFile, removeTmpFiles } from './helpers.js';
import { rng } from '../helpers/rng.js';

afterAll(removeTmpFiles);

const FILES = ['layout-plain.o', 'layout-zlib.o', 'layout-zstd.o', 'layout-mips.o', 'layout-riscv64.o', 'layout-arm.o', 'layout-exe'];
const DEBUG = ['.debug_info', '.debug_abbrev', '.debug_str', '.debug_line', '.debug_line_str', '.debug_aranges', '.debug_loclists', '.debug_rnglists', '.debug_frame', '.debug_str_offsets'];


interface Outcome {
  errors: Map<string, number>;
  foreign: { what: string; error: unknown }[];
}

function attempt(out: Outcome, what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof StructscopeError) {
      out.errors.set(e.code, (out.errors.get(e.code) ?? 0) + 1);
      // every error names the file and where in it
      if (!e.file) out.foreign.push({ what: `${what} (no file)`, error: e });
      if (e.fileOffset === undefined && e.section === undefined && e.code !== 'IO') out.foreign.push({ what: `${what} (no location)`, error: e });
    } else {
      out.foreign.push({ what, error: e });
    }
  }
}

function exercise(path: string, out: Outcome): void {
  let elf: ReturnType<typeof openElf> | undefined;
  attempt(out, 'openElf', () => (elf = openElf(path)));
  if (!elf) return;
  const e = elf;
  try {
    for (const s of e.sections) attempt(out, `readSection ${s.name}`, () => e.readSection(s));
    attempt(out, 'symbols', () => e.symbols());
    attempt(out, 'buildId', () => e.buildId());
    attempt(out, 'debugLink', () => e.debugLink());
    attempt(out, 'debugAltLink', () => e.debugAltLink());
    const diags: RelocDiagnostic[] = [];
    for (const n of DEBUG) attempt(out, `loadDebugSection ${n}`, () => loadDebugSection(e, n, diags));
  } finally {
    e.close();
  }
}

/** Interesting regions of a file: ELF header, section table, compression headers, relocations, symbols. */
function regions(path: string): [number, number][] {
  const elf = openElf(path);
  try {
    const r: [number, number][] = [[0, 64]];
    const h = elf.header;
    r.push([h.shoff, h.shnum * h.shentsize]);
    for (const s of elf.sections) {
      if (s.type === SHT.NOBITS || s.size === 0) continue;
      if (s.flags & SHF.COMPRESSED) r.push([s.fileOffset, Math.min(s.size, 48)]);
      if (s.type === SHT.RELA || s.type === SHT.REL || s.type === SHT.SYMTAB || s.type === SHT.NOTE) r.push([s.fileOffset, s.size]);
      if (s.name.startsWith('.debug_')) r.push([s.fileOffset, Math.min(s.size, 32)]);
    }
    return r;
  } finally {
    elf.close();
  }
}

describe('corruption sweep', () => {
  for (const name of FILES) {
    it(`${name}: truncations and byte flips raise only StructscopeError`, () => {
      const original = fs.readFileSync(fixture(name));
      const out: Outcome = { errors: new Map(), foreign: [] };
      const random = rng(0x5eed ^ name.length ^ original.length);
      const path = tmpFile(original, 'sweep');
      const run = (bytes: Uint8Array): void => {
        fs.writeFileSync(path, bytes);
        exercise(path, out);
      };
      // truncations: every length up to 128, then evenly spaced and random ones
      const cuts = new Set<number>();
      for (let i = 0; i < 128; i++) cuts.add(i);
      for (let i = 0; i < 80; i++) cuts.add(Math.floor((original.length * i) / 80));
      for (let i = 0; i < 80; i++) cuts.add(Math.floor(random() * original.length));
      for (const cut of cuts) run(original.subarray(0, cut));
      // flips: focused on the structures, plus anywhere
      const focus = regions(fixture(name));
      const values = (b: number): number[] => [b ^ 0xff, 0, 0xff, (b + 1) & 0xff, b ^ 0x80, Math.floor(random() * 256)];
      let runs = 0;
      for (const [start, len] of focus) {
        const n = Math.min(len, 96);
        for (let k = 0; k < n; k++) {
          const at = start + (len <= 96 ? k : Math.floor(random() * len));
          if (at >= original.length) continue;
          const vs = values(original[at]!);
          const v = vs[Math.floor(random() * vs.length)]!;
          const mutated = Buffer.from(original);
          mutated[at] = v;
          run(mutated);
          runs++;
        }
      }
      for (let i = 0; i < 300; i++) {
        const mutated = Buffer.from(original);
        // 1 to 4 random bytes at once
        const count = 1 + Math.floor(random() * 4);
        for (let j = 0; j < count; j++) mutated[Math.floor(random() * original.length)] = Math.floor(random() * 256);
        run(mutated);
        runs++;
      }
      if (out.foreign.length) {
        const first = out.foreign.slice(0, 5).map((f) => `${f.what}: ${String((f.error as Error)?.stack ?? f.error)}`);
        expect.fail(`${out.foreign.length} foreign errors, e.g.\n${first.join('\n\n')}`);
      }
      if (process.env.SWEEP_DEBUG) console.log(name, runs, [...out.errors]);
      expect(runs).toBeGreaterThan(300);
      // the sweep did hit the error paths
      expect(out.errors.size).toBeGreaterThan(1);
    });
  }
});
