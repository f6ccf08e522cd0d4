import type { SourceOptions } from '../load/btf.js';
import { explainViews, matchDefinitions, severalDefinitions } from '../diff/views.js';
import { isAggregate } from '../model/types.js';
import { renderViews } from '../report/views.js';
import { reportDiagnostics } from './load-selected.js';
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { reportProblem } from './report-schema.js';
import { loadFile, type FileLoadOptions } from '../load/index.js';
import { readsBtf } from '../load/btf.js';
import { jsonFile } from '../report/json.js';
import { READABLE_SCHEMA_VERSIONS, type JsonDocument, type JsonFile } from '../doc/json.js';
import { computedTypes } from '../layout/computed.js';
import { dumpInWorker, parallelDump } from './parallel.js';
import { exactClassNames, firstDefinitionsFound, parseClassPatterns, selectTypes, type Selection } from '../report/select.js';
import { factsFromJsonFile, type LayoutFacts, type TypeFacts } from '../diff/facts.js';
import { selectFacts } from '../diff/select.js';
import { diffLayouts } from '../diff/compare.js';
import { regressions, type FailOnKind } from '../diff/regressions.js';
import { diffJson, renderDiffTable, renderDiffText } from '../report/diff.js';
import { isStructscopeError } from '../util/errors.js';
import type { Output } from './output.js';
import { escapeLineBreaksInFacts } from '../model/printable-names.js';

/** Largest report read (a whole vmlinux's report is about 200 MB). */
const MAX_REPORT_BYTES = 1 << 30;
import { diffHtmlStructs } from './pictures.js';
import { renderHtml } from '../report/html.js';

export interface DiffArgs extends Selection {
  old: string;
  new: string;
  /** -F and --btf-base. */
  source?: SourceOptions;
  format: 'text' | 'json' | 'table' | 'html';
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
  /** Names DWARF defines inside functions or classes only (BTF has no scopes). */
  const nested = new Set<string>();
  const whole = await readWholeFiles(args, out);
  for (const [k, path] of [args.old, args.new].entries()) {
    try {
      const facts = whole[k] ? factsFromJsonFile(whole[k], 'elf', args.cachelineSize) : readSide(path, args, out, k === 0 ? 0 : 1, nested);
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
  if (args.format !== 'json') for (const s of sides) escapeLineBreaksInFacts(s.types); // names cannot start lines of their own
  let exit = 0;
  const missing = args.classes?.length ? parseClassPatterns(args.classes).filter((m) => !hit.has(m.pattern)) : [];
  if (missing.length && !args.skipMissing) {
    out.error(`no type matches ${missing.map((m) => `'${m.pattern}'`).join(', ')} in ${args.old} or ${args.new}`);
    exit = 1;
  }
  const btf = btfSide(args.source);
  const several = btf !== undefined ? severalDefinitions(oldF.types, newF.types) : new Set<string>();
  if (btf !== undefined) {
    const [o, n] = matchDefinitions(oldF.types, newF.types);
    oldF.types = o;
    newF.types = n;
  }
  const d = diffLayouts(oldF, newF);
  const regs = regressions(d);
  if (args.format === 'json') out.write(JSON.stringify(diffJson(d, regs), null, 1) + '\n');
  else if (args.format === 'table') out.write(renderDiffTable(d) + '\n');
  else if (args.format === 'html') {
    const structs = diffHtmlStructs(d, oldF, newF);
    out.write(renderHtml({ mode: 'diff', title: `structscope diff: ${args.old} -> ${args.new}`, subtitle: `${d.oldTypes} old, ${d.newTypes} new types: ${structs.length} added, removed or changed, ${d.unchanged} unchanged`, structs }));
  }
  else {
    const byKey = (ts: TypeFacts[]) => new Map(ts.map((t) => [`${t.kind} ${t.name}`, t] as const).reverse());
    const layouts = args.verbose ? { old: byKey(oldF.types), new: byKey(newF.types) } : undefined;
    // the two views of one build: the causes instead of a changelog
    if (btf !== undefined) out.write(renderViews(explainViews(d, btf, { nested, several }), btf));
    else out.write(renderDiffText(d, { regressions: regs, layouts }));
  }
  const failed = args.failOn.filter((k) => regs.has(k));
  if (failed.length) {
    out.error(`--fail-on: ${failed.map((k) => `${k} (${regs.get(k)!.length} type${regs.get(k)!.length === 1 ? '' : 's'})`).join(', ')}`);
    exit = 1;
  }
  return exit;
}

/** With `-F btf,dwarf` (or `dwarf,btf`): the side read from BTF. */
function btfSide(source: SourceOptions | undefined): 'old' | 'new' | undefined {
  const f = source?.format;
  if (f?.length !== 2 || f[0] === f[1]) return undefined;
  return f[0] === 'btf' ? 'old' : 'new';
}

/**
 * -F for one side: `-F btf,dwarf` reads OLD from BTF and NEW from DWARF (the two views of one
 * build); one format applies to both. BTF's facts only: no alignment guessed from offsets.
 */
function sideSource(source: SourceOptions | undefined, side: 0 | 1): FileLoadOptions {
  const format = source?.format;
  const opts: FileLoadOptions = { btfAlignment: false };
  if (source?.btfBase !== undefined) opts.btfBase = source.btfBase;
  if (format?.length === 2 && format[0] !== format[1]) opts.format = [format[side]!];
  else if (format) opts.format = format;
  return opts;
}

/**
 * Without a selection, both ELF inputs are read at once in worker threads (each split between
 * several where there are cores enough) as a whole-file `show --format json` is (parallel.ts: the
 * same JSON as jsonFile); undefined for a side that is a JSON report or is read in one piece
 * (readSide then reads it, reporting errors).
 */
async function readWholeFiles(args: DiffArgs, out: Output): Promise<(JsonFile | undefined)[]> {
  if (args.classes?.length || args.structs || args.unions || args.exclude?.length || args.prefix?.length || args.source?.format || args.source?.btfBase) return [];
  // two files at once: half the cores each; on two CPUs one worker each (four would fight over them)
  const jobs = Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
  const opts = { cachelineSize: args.cachelineSize, hex: false, expand: false };
  return Promise.all(
    [args.old, args.new].map(async (path) => {
      if (looksLikeJson(path) || readsBtf(path, args.source)) return undefined;
      const dump = jobs > 1 ? await parallelDump(path, 'json', opts, jobs) : await dumpInWorker(path, 'json', opts);
      if (!dump?.header) return undefined;
      reportDiagnostics(out, path, dump.diagnostics, args.verbose);
      return { ...dump.header, types: dump.items.map((i) => i.json!) };
    }),
  );
}

/** An ELF file (loaded and analysed) or a `show --format json` report, as facts. */
function readSide(path: string, args: DiffArgs, out: Output, side: 0 | 1, nested?: Set<string>): LayoutFacts {
  if (!looksLikeJson(path)) {
    let file;
    // BTF against DWARF: every definition of a name on both sides, so that like can meet like
    const views = btfSide(args.source) !== undefined;
    try {
      file = loadFile(path, { onUnit: out.progress, ...(views ? {} : { stopAfterUnit: firstDefinitionsFound(args), onlyNames: exactClassNames(args) }), ...sideSource(args.source, side) });
    } finally {
      out.progressDone();
    }
    reportDiagnostics(out, path, file.diagnostics, args.verbose);
    if (nested) for (const id of file.table.definitions) {
      const t = file.table.get(id);
      if (isAggregate(t) && t.topLevel === false && t.name !== undefined) nested.add(`${t.kind} ${t.name}`);
    }
    const { ids } = selectTypes(file.table, views ? { ...args, allDefinitions: true } : args);
    return factsFromJsonFile(jsonFile(file, computedTypes(file, ids, { cachelineSize: args.cachelineSize }), { cachelineSize: args.cachelineSize }), 'elf', args.cachelineSize);
  }
  let doc: JsonDocument;
  const st = statSync(path);
  if (st.size > MAX_REPORT_BYTES) throw new InputError(`${path}: a report of ${st.size} bytes is more than the ${MAX_REPORT_BYTES} read`);
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as JsonDocument;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  if (doc?.tool !== 'structscope' || !Array.isArray(doc.files) || !doc.files.every((f) => Array.isArray(f?.types))) {
    throw new InputError(`${path}: not a structscope show --format json report`);
  }
  if (!READABLE_SCHEMA_VERSIONS.includes(doc.schemaVersion)) {
    throw new InputError(`${path}: a show --format json report of schemaVersion ${String(doc.schemaVersion)}; this structscope reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')}`);
  }
  const problem = reportProblem(doc);
  if (problem) throw new InputError(`${path}: not a valid structscope report: ${problem}`);
  if (doc.files.length !== 1) throw new InputError(`${path}: the report holds ${doc.files.length} files; diff compares one file with one file`);
  return factsFromJsonFile(doc.files[0]!, 'json', args.cachelineSize);
}

/** JSON reports start with `{` (after white space); everything else goes to the ELF reader. */
export function looksLikeJson(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO never blocks the open
  } catch {
    return false; // the ELF loader reports the file as unreadable
  }
  try {
    if (!fstatSync(fd).isFile()) return false; // pipes, devices: the ELF loader reads or refuses them
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    const head = buf.subarray(0, n).toString('latin1').trimStart();
    return head.startsWith('{');
  } finally {
    closeSync(fd);
  }
}
