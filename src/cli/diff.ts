import { reportDiagnostics } from './load-selected.js';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { loadFile } from '../load/index.js';
import { availableParallelism } from 'node:os';
import { jsonFile, type JsonDocument, type JsonFile } from '../report/json.js';
import { parallelDump } from './parallel.js';
import { exactClassNames, firstDefinitionsFound, parseClassPatterns, selectTypes, type Selection } from '../report/select.js';
import { factsFromJsonFile, type LayoutFacts, type TypeFacts } from '../diff/facts.js';
import { selectFacts } from '../diff/select.js';
import { diffLayouts } from '../diff/compare.js';
import { regressions, type FailOnKind } from '../diff/regressions.js';
import { diffJson, renderDiffTable, renderDiffText } from '../report/diff.js';
import { isStructscopeError } from '../util/errors.js';
import type { Output } from './output.js';

export interface DiffArgs extends Selection {
  old: string;
  new: string;
  format: 'text' | 'json' | 'table';
  failOn: FailOnKind[];
  cachelineSize: number;
  skipMissing: boolean;
  verbose: boolean;
}

class InputError extends Error {}

/**
 * `structscope diff OLD NEW`: returns the exit code: 0 no --fail-on regression, 1 a --fail-on
 * regression (or a -C name matching in neither input), 2 an input could not be read.
 */
export async function runDiff(args: DiffArgs, out: Output): Promise<number> {
  const sides: LayoutFacts[] = [];
  const hit = new Set<string>();
  const whole = await readWholeFiles(args, out);
  for (const [k, path] of [args.old, args.new].entries()) {
    try {
      const facts = whole[k] ? factsFromJsonFile(whole[k], 'elf', args.cachelineSize) : readSide(path, args, out);
      const sel = selectFacts(facts.types, args);
      for (const h of sel.hit) hit.add(h);
      sides.push({ file: facts.file, types: sel.types });
    } catch (e) {
      if (e instanceof InputError) out.error(e.message);
      else if (isStructscopeError(e)) out.error(e.message);
      else throw e;
      return 2;
    }
  }
  const [oldF, newF] = sides as [LayoutFacts, LayoutFacts];
  let exit = 0;
  const missing = args.classes?.length ? parseClassPatterns(args.classes).filter((m) => !hit.has(m.pattern)) : [];
  if (missing.length && !args.skipMissing) {
    out.error(`no type matches ${missing.map((m) => `'${m.pattern}'`).join(', ')} in ${args.old} or ${args.new}`);
    exit = 1;
  }
  const d = diffLayouts(oldF, newF);
  const regs = regressions(d);
  if (args.format === 'json') out.write(JSON.stringify(diffJson(d, regs), null, 1) + '\n');
  else if (args.format === 'table') out.write(renderDiffTable(d) + '\n');
  else {
    const byKey = (ts: TypeFacts[]) => new Map(ts.map((t) => [`${t.kind} ${t.name}`, t] as const).reverse());
    const layouts = args.verbose ? { old: byKey(oldF.types), new: byKey(newF.types) } : undefined;
    out.write(renderDiffText(d, { regressions: regs, layouts }));
  }
  const failed = args.failOn.filter((k) => regs.has(k));
  if (failed.length) {
    out.error(`--fail-on: ${failed.map((k) => `${k} (${regs.get(k)!.length} type${regs.get(k)!.length === 1 ? '' : 's'})`).join(', ')}`);
    exit = 1;
  }
  return exit;
}

/**
 * Without a selection, both ELF inputs are read at once, each split between worker threads as
 * a whole-file `show --format json` is (parallel.ts: the same JSON as jsonFile); undefined for a
 * side that is a JSON report or is read in one piece (readSide then reads it, reporting errors).
 */
async function readWholeFiles(args: DiffArgs, out: Output): Promise<(JsonFile | undefined)[]> {
  if (args.classes?.length || args.structs || args.unions || args.exclude?.length) return [];
  // two files at once: half the cores each, at least two workers (fewer means no split at all)
  const jobs = Math.min(4, Math.max(2, Math.floor(availableParallelism() / 2)));
  return Promise.all(
    [args.old, args.new].map(async (path) => {
      if (looksLikeJson(path)) return undefined;
      const dump = await parallelDump(path, 'json', { cachelineSize: args.cachelineSize, hex: false, expand: false }, jobs);
      if (!dump?.header) return undefined;
      reportDiagnostics(out, path, dump.diagnostics, args.verbose);
      return { ...dump.header, types: dump.items.map((i) => i.json!) };
    }),
  );
}

/** An ELF file (loaded and analysed) or a `show --format json` report, as facts. */
function readSide(path: string, args: DiffArgs, out: Output): LayoutFacts {
  if (!looksLikeJson(path)) {
    let file;
    try {
      file = loadFile(path, { onUnit: out.progress, stopAfterUnit: firstDefinitionsFound(args), onlyNames: exactClassNames(args) });
    } finally {
      out.progressDone();
    }
    reportDiagnostics(out, path, file.diagnostics, args.verbose);
    const { ids } = selectTypes(file.table, args);
    return factsFromJsonFile(jsonFile(file, ids, { cachelineSize: args.cachelineSize }), 'elf', args.cachelineSize);
  }
  let doc: JsonDocument;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as JsonDocument;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  if (doc?.tool !== 'structscope' || doc.schemaVersion !== 1 || !Array.isArray(doc.files) || !doc.files.every((f) => Array.isArray(f?.types))) {
    throw new InputError(`${path}: not a structscope show --format json report (schemaVersion 1)`);
  }
  if (doc.files.length !== 1) throw new InputError(`${path}: the report holds ${doc.files.length} files; diff compares one file with one file`);
  return factsFromJsonFile(doc.files[0]!, 'json', args.cachelineSize);
}

/** JSON reports start with `{` (after white space); everything else goes to the ELF reader. */
function looksLikeJson(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // the ELF loader reports the file as unreadable
  }
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    const head = buf.subarray(0, n).toString('latin1').trimStart();
    return head.startsWith('{');
  } finally {
    closeSync(fd);
  }
}
