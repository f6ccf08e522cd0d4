// Property-based tests (fast-check): hostile structures generated from arbitrary trees and sizes,
// shrunk to a minimal counterexample on failure. Properties: every input either loads or fails
// with one StructscopeError line naming the file; whatever loads renders as text, JSON that the
// shipped schema accepts, and ABI checks, without an untyped exception; a JSON report either
// fails the schema check with a message or is compared without an exception.
// CI runs a few thousand cases; bench/fuzz.mjs runs many more (STRUCTSCOPE_FUZZ_RUNS).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { printableTypes } from '../../src/report/pahole.js';
import { renderType } from '../../src/pahole-text.js';
import { computedTypes } from '../../src/layout/computed.js';
import { jsonDocument, jsonFile } from '../../src/report/json.js';
import { abiForElf, inferAll } from '../../src/layout/abi/index.js';
import { factsFromJsonFile } from '../../src/diff/facts.js';
import { diffLayouts } from '../../src/diff/compare.js';
import { renderDiffText } from '../../src/report/diff.js';
import { regressions } from '../../src/diff/regressions.js';
import { reportProblem } from '../../src/cli/report-schema.js';
import { escapeControls } from '../../src/util/printable.js';
import { StructscopeError } from '../../src/util/errors.js';
import type { LoadedFile } from '../../src/load/loaded.js';
import { buildDwarfElf } from '../helpers/dwarf-builder.js';
import { elfArb, mutateJson, unitArb } from '../helpers/arbitraries.js';
import { schemaValidator } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'structscope-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** CI: these many runs per property; bench/fuzz.mjs raises them. */
const RUNS = Number(process.env.STRUCTSCOPE_FUZZ_RUNS) || 0;
const runs = (ci: number): number => RUNS || ci;
const seed = process.env.STRUCTSCOPE_FUZZ_SEED ? Number(process.env.STRUCTSCOPE_FUZZ_SEED) : undefined;
const params = (ci: number): fc.Parameters<unknown> => ({ numRuns: runs(ci), ...(seed !== undefined ? { seed } : {}), endOnFailure: false });

const validateShow = schemaValidator('show');
let counter = 0;

/** Load the bytes as a file: the loaded file, or the StructscopeError (anything else fails the property). */
function load(bytes: Uint8Array): LoadedFile | StructscopeError {
  const path = join(dir, `case-${counter++ % 64}.o`);
  writeFileSync(path, bytes);
  try {
    return loadFile(path);
  } catch (e) {
    if (!(e instanceof StructscopeError)) throw e;
    expect(e.message).toContain(path);
    expect(e.message).not.toContain('\n');
    return e;
  }
}

/** Everything a loaded file is used for: text, JSON (valid per the schema), ABI inference, a self-diff. */
function useEverything(file: LoadedFile): void {
  const ids = printableTypes(file.table);
  for (const id of ids) {
    const text = renderType(file.table, id, {});
    expect(escapeControls(text)).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  }
  const jf = jsonFile(file, computedTypes(file, ids, { cachelineSize: 64 }), { cachelineSize: 64 });
  const doc = JSON.parse(JSON.stringify(jsonDocument([jf])));
  if (!validateShow(doc)) throw new Error(`JSON output fails the schema: ${JSON.stringify(validateShow.errors?.[0])}`);
  const abi = abiForElf(file.info.machine, file.info.elfClass, file.info.littleEndian, file.info.flags);
  if (abi) inferAll(file.table, abi, { dwarfVersions: file.info.dwarfVersions });
  const facts = factsFromJsonFile(jf, 'elf', 64);
  const d = diffLayouts(facts, facts);
  renderDiffText(d, { regressions: regressions(d) });
}

describe('property: generated DWARF units (arbitrary type trees, sizes, names, LEB128s)', () => {
  it('load, or one error line; whatever loads renders, validates and compares', () => {
    fc.assert(
      fc.property(unitArb, (unit) => {
        const r = load(buildDwarfElf(unit));
        if (!(r instanceof StructscopeError)) useEverything(r);
      }),
      params(600),
    );
  });
});

describe('property: generated ELF files (arbitrary section tables, sizes, offsets, compression flags)', () => {
  it('load, or one error line naming the file', () => {
    fc.assert(
      fc.property(elfArb, (bytes) => {
        const r = load(bytes);
        if (!(r instanceof StructscopeError)) useEverything(r);
      }),
      params(1000),
    );
  });
});

describe('property: JSON reports given to diff (a valid report with one field replaced or removed)', () => {
  // a real report to start from: one generated unit, loaded and exported
  const base = (() => {
    const file = load(buildDwarfElf({ dies: [
      { tag: 0x24, id: 'int', attrs: [[0x03, 0x08, 'int'], [0x0b, 0x0b, 4], [0x3e, 0x0b, 5]] },
      { tag: 0x13, attrs: [[0x03, 0x08, 's'], [0x0b, 0x0b, 12]], children: [0, 4].map((o) => ({ tag: 0x0d, attrs: [[0x03, 0x08, `m${o}`], [0x49, 0x13, { ref: 'int' }], [0x38, 0x0b, o]] as [number, number, number | string | { ref: string }][] })) },
    ] }));
    if (file instanceof StructscopeError) throw file;
    return JSON.parse(JSON.stringify(jsonDocument([jsonFile(file, computedTypes(file, printableTypes(file.table), { cachelineSize: 64 }), { cachelineSize: 64 })]))) as unknown;
  })();

  it('the report is refused with a message naming a field, or compared without an exception', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (path, value, remove) => {
        const doc = mutateJson(base, path, value, remove);
        const problem = reportProblem(doc);
        if (problem !== undefined) {
          expect(problem).toMatch(/^field \S* /);
          return;
        }
        accepted++;
        const f = (doc as { files: Parameters<typeof factsFromJsonFile>[0][] }).files;
        if (f.length !== 1) return; // diff says so itself
        const facts = factsFromJsonFile(f[0]!, 'json', 64);
        const d = diffLayouts(facts, facts);
        renderDiffText(d, { regressions: regressions(d) });
      }),
      params(2000),
    );
    expect(accepted).toBeGreaterThan(0); // some mutations keep the report valid (names, sizes): those were compared
  });
});

/** One generated BTF type: any kind (20 is unknown), hostile sizes, references and counts included. */
interface BtfTypeSpec {
  kind: number;
  name: number;
  kflag: boolean;
  sizeOrType: number;
  extra: number;
  members: { name: number; type: number; value: number }[];
}

const btfTypeArb: fc.Arbitrary<BtfTypeSpec> = fc.record({
  kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 9, 10, 16, 19) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 20 }) }),
  name: fc.nat(12),
  kflag: fc.boolean(),
  sizeOrType: fc.oneof(fc.nat(12), fc.constantFrom(0, 1, 4, 8, 64, 0x7fffffff, 0xffffffff)),
  extra: fc.oneof(fc.nat(64), fc.constant(0xffffffff), fc.nat()),
  members: fc.array(fc.record({ name: fc.nat(12), type: fc.nat(12), value: fc.oneof(fc.nat(256), fc.nat(), fc.constant(0xffffffff)) }), { maxLength: 6 }),
});

/** A raw BTF blob (either byte order) from generated types and names; `cut` truncates the type section. */
function buildBtf(types: BtfTypeSpec[], names: string[], little: boolean, cut: number): Uint8Array {
  const strs: number[] = [0];
  const nameOff = [0];
  for (const n of names) {
    nameOff.push(strs.length);
    strs.push(...Buffer.from(n, 'utf8'), 0);
  }
  const words: number[] = [];
  const off = (i: number) => (i < nameOff.length ? nameOff[i]! : i * 7919); // out of range past the table
  for (const t of types) {
    const vlen = [4, 5, 6, 13, 15, 19].includes(t.kind) ? t.members.length : 0;
    words.push(off(t.name), ((t.kflag ? 1 : 0) << 31) | ((t.kind & 0x1f) << 24) | vlen, t.sizeOrType);
    if (t.kind === 1 || t.kind === 14 || t.kind === 17) words.push(t.extra);
    if (t.kind === 3) words.push(t.sizeOrType, 1, t.extra);
    for (const m of t.members.slice(0, vlen)) {
      if (t.kind === 4 || t.kind === 5) words.push(off(m.name), m.type, m.value);
      else if (t.kind === 6) words.push(off(m.name), m.value);
      else if (t.kind === 13) words.push(off(m.name), m.type);
      else if (t.kind === 15) words.push(m.type, m.value, m.name);
      else if (t.kind === 19) words.push(off(m.name), m.value, m.type);
    }
  }
  const typeLen = Math.max(0, words.length * 4 - cut);
  const buf = Buffer.alloc(24 + words.length * 4 + strs.length);
  const u16 = (v: number, at: number) => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? buf.writeUInt32LE(v >>> 0, at) : buf.writeUInt32BE(v >>> 0, at));
  u16(0xeb9f, 0);
  buf[2] = 1;
  buf[3] = 0;
  u32(24, 4);
  u32(0, 8);
  u32(typeLen, 12);
  u32(words.length * 4, 16);
  u32(strs.length, 20);
  words.forEach((w, i) => u32(w, 24 + i * 4));
  Buffer.from(strs).copy(buf, 24 + words.length * 4);
  return new Uint8Array(buf);
}

describe('property: generated BTF blobs (every kind and unknown ones, hostile sizes, references, counts, byte orders)', () => {
  it('load, or one error line naming the file; whatever loads renders, validates and compares', () => {
    let loaded = 0;
    const nameArb = fc.array(fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.string({ maxLength: 6 })), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(btfTypeArb, { maxLength: 16 }), nameArb, fc.boolean(), fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(40) }), (types, names, little, cut) => {
        const path = join(dir, `btf-${counter++ % 64}.btf`);
        writeFileSync(path, buildBtf(types, names, little, cut));
        let file: LoadedFile;
        try {
          file = loadFile(path);
        } catch (e) {
          if (!(e instanceof StructscopeError)) throw e;
          expect(e.message).toContain(path);
          expect(e.message).not.toContain('\n');
          return;
        }
        loaded++;
        useEverything(file);
      }),
      params(1500),
    );
    expect(loaded).toBeGreaterThan(0); // many blobs are valid enough to load: those were rendered, exported and compared
  });
});

describe('found by the BTF property: a function type that returns and takes itself', () => {
  it('is spelled in bounded time and size, with the loop said (it took every byte of memory before)', () => {
    // 1: FUNC_PROTO returning 1 with params (1, 1, 1); 2: struct s { fn_t m; } with the member of type 1
    const types: BtfTypeSpec[] = [
      { kind: 13, name: 0, kflag: false, sizeOrType: 1, extra: 0, members: [1, 1, 1].map((type) => ({ name: 0, type, value: 0 })) },
      { kind: 4, name: 1, kflag: false, sizeOrType: 8, extra: 0, members: [{ name: 2, type: 1, value: 0 }] },
    ];
    const path = join(dir, 'self-fn.btf');
    writeFileSync(path, buildBtf(types, ['s', 'm'], true, 0));
    const file = loadFile(path);
    const [id] = printableTypes(file.table);
    const text = renderType(file.table, id!, {});
    expect(text).toContain('<ERROR: type loop>');
    expect(text.length).toBeLessThan(1 << 20);
  });
});
