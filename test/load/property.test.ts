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
import type { LoadedFile } from '../../src/model/table.js';
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
