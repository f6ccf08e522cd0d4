/**
 * One side of `diff --abi` (cli/abi.ts): an ELF file (its exports read, its debug info loaded with
 * those names as roots, the surface walked, the layouts of the types reached computed) or the
 * JSON of an earlier `diff --abi`, whose `baseline` is that run's NEW surface.
 */
import { readFileSync } from 'node:fs';
import type { AbiSide } from '../diff/abi.js';
import { factsFromJsonFile } from '../diff/facts.js';
import { buildSurface, spellSurface, type SpeltSurface, type SurfaceSpelling } from '../diff/surface.js';
import type { SurfaceSymbol } from '../diff/symbols.js';
import { openElf } from '../elf/index.js';
import { computedTypes } from '../layout/computed.js';
import type { SourceOptions } from '../load/btf.js';
import { readExports } from '../load/exports.js';
import { loadFile } from '../load/index.js';
import type { Diagnostic } from '../util/diagnostic.js';
import type { AggregateType, SymbolRoot } from '../model/types.js';
import type { AbiBaseline, AbiSurfaceCounts } from '../report/abi-diff.js';
import { declarationString, paramsString, typeName, type SpellContext } from '../report/ctype.js';
import { jsonFile } from '../report/json.js';
import { selectTypes } from '../report/select.js';

export class InputError extends Error {}

/** What reading an ELF side needs. */
export interface ElfSideTask {
  path: string;
  cachelineSize: number;
  /** --symbols. */
  list?: string[];
  /** --suppress: types and members the walk does not enter. */
  stops?: { types: string[]; members: string[] };
  source?: SourceOptions;
}

/**
 * A side read; `spelt` (ELF sides only) is its surface with every step spelled, from which
 * diff/surface.ts pathFinder() answers for its types (it holds no type table). Plain data: a
 * worker thread can send it (abi-worker.ts).
 */
export interface ReadSide {
  side: Omit<AbiSide, 'pathsTo'>;
  counts: AbiSurfaceCounts;
  baseline: AbiBaseline;
  diagnostics: Diagnostic[];
  spelt?: SpeltSurface;
}

export function readElfSide(task: ElfSideTask, progress?: (done: number, total: number) => void): ReadSide {
  const { path, cachelineSize } = task;
  const elf = openElf(path, {});
  let exported;
  try {
    exported = readExports(elf).exports;
  } finally {
    elf.close();
  }
  if (task.list) {
    const wanted = new Set(task.list);
    exported = exported.filter((e) => wanted.has(e.name) || wanted.has(e.version ? `${e.name}@${e.version}` : e.name));
  }
  const src = task.source ?? {};
  const file = loadFile(path, {
    roots: new Set(exported.map((e) => e.name)),
    btfAlignment: false,
    ...(progress ? { onUnit: progress } : {}),
    ...(src.format ? { format: src.format } : {}),
    ...(src.btfBase !== undefined ? { btfBase: src.btfBase } : {}),
  });
  const roots = file.roots ?? [];
  const stops = task.stops ? { types: new Set(task.stops.types), members: new Set(task.stops.members) } : {};
  const surface = buildSurface(file.table, roots, stops);
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
  const json = jsonFile(file, computedTypes(file, ids, { cachelineSize }), { cachelineSize });
  const facts = factsFromJsonFile(json, 'elf', cachelineSize);
  return {
    side: { file: facts.file, symbols, types: facts.types },
    counts: { symbols: symbols.length, withDebugInfo: roots.length, types: surface.named.size },
    baseline: { ...json, symbols },
    diagnostics: file.diagnostics,
    spelt: spellSurface(surface, spell),
  };
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

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${what} ${path}: ${(e as Error).message}`);
  }
}

/** A saved `diff --abi --format json` report: its `baseline` is the side. */
export function readBaselineSide(path: string, cachelineSize: number, list: string[] | undefined): ReadSide {
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
  const facts = factsFromJsonFile({ ...b, path }, 'json', cachelineSize);
  const wanted = list ? new Set(list) : undefined;
  const symbols = wanted ? b.symbols.filter((s) => wanted.has(s.name)) : b.symbols;
  const counts = { symbols: symbols.length, withDebugInfo: symbols.filter((s) => s.signature !== undefined).length, types: b.types.length };
  return { side: { file: facts.file, symbols, types: facts.types }, counts, baseline: b, diagnostics: [] };
}
