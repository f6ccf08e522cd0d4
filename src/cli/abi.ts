/**
 * `structscope diff OLD NEW --abi`: the layout diff restricted to what exported symbols reach
 * (docs/abi-surface.md). Each side is an ELF file (its exports read, its debug info loaded with
 * those names as roots, the surface walked) or the JSON of an earlier `diff --abi`, whose
 * `baseline` is that run's NEW surface.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { abiRegressions, diffAbi, type AbiSide } from '../diff/abi.js';
import { factsFromJsonFile } from '../diff/facts.js';
import type { FailOnKind } from '../diff/regressions.js';
import { buildSurface, pathsTo, type SurfaceSpelling } from '../diff/surface.js';
import { parseSuppressions, parseSymbolList, type Suppressions, type SurfaceSymbol } from '../diff/symbols.js';
import { openElf } from '../elf/index.js';
import { computedTypes } from '../layout/computed.js';
import { readExports } from '../load/exports.js';
import type { SourceOptions } from '../load/btf.js';
import { loadFile } from '../load/index.js';
import type { SymbolRoot, AggregateType } from '../model/types.js';
import { abiDiffJson, renderAbiTable, renderAbiText, type AbiBaseline, type AbiSurfaceCounts } from '../report/abi-diff.js';
import { declarationString, paramsString, typeName, type SpellContext } from '../report/ctype.js';
import { jsonFile } from '../report/json.js';
import { selectTypes } from '../report/select.js';
import { isStructscopeError } from '../util/errors.js';
import { reportDiagnostics } from './load-selected.js';
import type { Output } from './output.js';

export interface AbiArgs {
  old: string;
  new: string;
  format: 'text' | 'json' | 'table' | 'html';
  failOn: FailOnKind[];
  cachelineSize: number;
  verbose: boolean;
  /** --symbols FILE: the kABI / GKI list. */
  symbols?: string;
  /** --suppress FILE. */
  suppress?: string;
  /** -F and --btf-base: a file read from BTF takes its roots from BTF_KIND_FUNC / BTF_KIND_VAR. */
  source?: SourceOptions;
}

class InputError extends Error {}

interface LoadedSide {
  side: AbiSide;
  counts: AbiSurfaceCounts;
  baseline: AbiBaseline;
}

/** Returns the exit code: 0, 1 a --fail-on regression, 2 an input could not be read. */
export async function runAbiDiff(args: AbiArgs, out: Output): Promise<number> {
  let list: string[] | undefined;
  let suppress: Suppressions | undefined;
  const sides: LoadedSide[] = [];
  try {
    if (args.symbols !== undefined) list = parseSymbolList(readText(args.symbols, '--symbols'));
    if (args.suppress !== undefined) suppress = suppressionsOf(args.suppress);
    for (const path of [args.old, args.new]) sides.push(readSide(path, args, out, list, suppress));
  } catch (e) {
    if (e instanceof InputError || isStructscopeError(e)) {
      out.error(e.message);
      return 2;
    }
    throw e;
  }
  const [o, n] = sides as [LoadedSide, LoadedSide];
  const d = diffAbi(o.side, n.side, { ...(suppress ? { suppress } : {}), ...(list ? { symbolList: list } : {}) });
  const regs = abiRegressions(d);
  const input = { d, regressions: regs, surfaces: { old: o.counts, new: n.counts }, maxPaths: args.verbose ? Infinity : 5 };
  if (args.format === 'json') out.write(JSON.stringify(abiDiffJson(input, n.baseline), null, 1) + '\n');
  else if (args.format === 'table') out.write(renderAbiTable(input) + '\n');
  else out.write(renderAbiText(input));
  const failed = args.failOn.filter((k) => regs.has(k));
  if (failed.length) {
    out.error(`--fail-on: ${failed.map((k) => `${k} (${regs.get(k)!.length})`).join(', ')}`);
    return 1;
  }
  return 0;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${what} ${path}: ${(e as Error).message}`);
  }
}

function suppressionsOf(path: string): Suppressions {
  try {
    return parseSuppressions(readText(path, '--suppress'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--suppress ${path}: ${(e as Error).message}`);
  }
}

function readSide(path: string, args: AbiArgs, out: Output, list: string[] | undefined, sup: Suppressions | undefined): LoadedSide {
  const head = readHead(path);
  if (head.trimStart().startsWith('{')) return readBaseline(path, args, list);
  const elf = openElf(path, {});
  let exported;
  try {
    exported = readExports(elf).exports;
  } finally {
    elf.close();
  }
  if (list) {
    const wanted = new Set(list);
    exported = exported.filter((e) => wanted.has(e.name) || wanted.has(e.version ? `${e.name}@${e.version}` : e.name));
  }
  let file;
  try {
    const src = args.source ?? {};
    file = loadFile(path, { roots: new Set(exported.map((e) => e.name)), onUnit: out.progress, btfAlignment: false, ...(src.format ? { format: src.format } : {}), ...(src.btfBase !== undefined ? { btfBase: src.btfBase } : {}) });
  } finally {
    out.progressDone();
  }
  reportDiagnostics(out, path, file.diagnostics, args.verbose);
  const roots = file.roots ?? [];
  const surface = buildSurface(file.table, roots, { ...(sup ? { types: sup.types, members: sup.members } : {}) });
  const ctx: SpellContext = { table: file.table };
  const spell: SurfaceSpelling = {
    root: (r) => tidy(rootSpelling(ctx, r, false)),
    member: (id, i) => {
      const m = (file.table.get(id) as AggregateType).members[i]!;
      return tidy(declarationString(ctx, m.type, m.name ?? '(anonymous)'));
    },
  };
  const byName = new Map(roots.map((r) => [r.name, r]));
  const symbols: SurfaceSymbol[] = exported.map((e) => {
    const s: SurfaceSymbol = { name: e.name, kind: e.kind ?? null, gplOnly: e.gplOnly };
    if (e.version) s.version = e.version;
    if (e.namespace) s.namespace = e.namespace;
    const r = byName.get(e.name);
    if (r) s.signature = tidy(rootSpelling(ctx, r, true));
    return s;
  });
  const reached = new Set(surface.named.values());
  const ids = selectTypes(file.table, {}).ids.filter((id) => reached.has(id));
  const json = jsonFile(file, computedTypes(file, ids, { cachelineSize: args.cachelineSize }), { cachelineSize: args.cachelineSize });
  const facts = factsFromJsonFile(json, 'elf', args.cachelineSize);
  const cache = new Map<string, ReturnType<typeof pathsTo>>();
  const side: AbiSide = {
    file: facts.file,
    symbols,
    types: facts.types,
    pathsTo: (key) => {
      let p = cache.get(key);
      if (!p) cache.set(key, (p = pathsTo(surface, key, spell)));
      return p;
    },
  };
  return { side, counts: { symbols: symbols.length, withDebugInfo: roots.length, types: surface.named.size }, baseline: { ...json, symbols } };
}

/**
 * A root spelled: `int api(struct pub *)` (with the return type: signatures) or `api(struct pub *)`
 * (path steps); objects as their declaration, `struct kfx_dev kfx_devices[4]`.
 */
function rootSpelling(ctx: SpellContext, r: SymbolRoot, withReturn: boolean): string {
  if (r.kind === 'object') return declarationString(ctx, r.type ?? 0, r.name);
  const params = paramsString(ctx, { returnType: r.returnType ?? 0, params: (r.params ?? []).map((p) => p.type), variadic: r.variadic ?? false });
  return `${withReturn ? `${typeName(ctx, r.returnType ?? 0).trimEnd()} ` : ''}${r.name}${params}`;
}

/** pahole's spellings made plain C: `const char  *` → `const char *`, `struct inner * in` → `struct inner *in`. */
const tidy = (s: string): string => s.replace(/ {2,}/g, ' ').replace(/\* (?=[A-Za-z_(])/g, '*');

/** A saved `diff --abi --format json` report: its `baseline` is the side. */
function readBaseline(path: string, args: AbiArgs, list: string[] | undefined): LoadedSide {
  let doc: { tool?: string; mode?: string; baseline?: AbiBaseline };
  try {
    doc = JSON.parse(readText(path, 'baseline')) as typeof doc;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  const b = doc?.baseline;
  if (doc?.tool !== 'structscope' || doc.mode !== 'abi' || !b || !Array.isArray(b.types) || !Array.isArray(b.symbols)) {
    throw new InputError(`${path}: not a structscope diff --abi --format json report (its 'baseline' is read)`);
  }
  const facts = factsFromJsonFile({ ...b, path }, 'json', args.cachelineSize);
  const wanted = list ? new Set(list) : undefined;
  const symbols = wanted ? b.symbols.filter((s) => wanted.has(s.name)) : b.symbols;
  return { side: { file: facts.file, symbols, types: facts.types }, counts: { symbols: symbols.length, withDebugInfo: symbols.filter((s) => s.signature !== undefined).length, types: b.types.length }, baseline: b };
}

/** The first bytes of a regular file ('' for anything else: the ELF reader reports it). */
function readHead(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    if (!fstatSync(fd).isFile()) return '';
    const buf = Buffer.alloc(64);
    return buf.subarray(0, readSync(fd, buf, 0, 64, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}
