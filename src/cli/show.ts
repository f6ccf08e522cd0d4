import { readsBtf, type SourceOptions } from '../load/btf.js';
import { isAggregate, type AggregateType, type TypeId } from '../model/types.js';
import type { TypeTable } from '../model/table.js';
import type { PaholeDialect } from '../layout/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import { computedTypes, eachFileBlock, type ComputeOptions, isPackable, packableRows, sizesRows, typeBlock } from '../layout/computed.js';
import { jsonDocument, jsonFile } from '../report/json.js';
import type { JsonFile } from '../doc/json.js';
import { printableTypes, renderBlock, renderSizesRows, type PaholeOptions } from '../report/pahole.js';
import { exactClassNames, firstDefinitionsFound, parseClassPatterns, type Selection } from '../report/select.js';
import { loaderFor, loadSelected, reportDiagnostics } from './load-selected.js';
import type { DumpMode } from '../report/dump.js';
import type { OverviewRow, SortField } from '../report/table.js';
import type { Output } from './output.js';
import { escapeLineBreaksInNames } from '../model/printable-names.js';
import type { HtmlStruct } from '../report/html.js';
import { declInfoLines } from '../report/decl-info.js';
import { withAnonymousTypedefs, typesNamed, containersOf, filterTypes, hasTypeFilter, pointersTo, type TypeFilter } from '../report/query.js';

export interface ShowArgs extends Selection {
  files: string[];
  /** -F and --btf-base. */
  source?: SourceOptions;
  sizes: boolean;
  packable: boolean;
  holes?: number;
  /** pahole's class__filter() filters (-H, -B, -z, --padding_ge, --packed, --with_flexible_array). */
  filter?: TypeFilter;
  /** -i NAME: list the types containing a NAME member instead of printing layouts. */
  contains?: string;
  /** -f NAME: list the members that point to NAME. */
  findPointersTo?: string;
  /** -d with -i: nested containers too. */
  recursive?: boolean;
  /** -a: anonymous top-level structs/unions named by a typedef, as `typedef struct {...} NAME;`. */
  anonInclude?: boolean;
  /** --compile: C that compiles, the selected types and what they need (pahole 1.31 --compile). */
  compile?: boolean;
  /** -I: each printed type preceded by its unit and declaration (pahole's two comment lines). */
  declInfo?: boolean;
  /** -A (with -a): also the anonymous structs/unions no typedef names, as `struct {...};`. */
  nestedAnonInclude?: boolean;
  expand: boolean;
  /** -r: offsets inside inline structs/unions relative to them. */
  relOffset?: boolean;
  /** -M: data members only (no methods, nested types, statics, vtable). */
  onlyDataMembers?: boolean;
  hex: boolean;
  /** Undefined: the target's default (--target) or 64. */
  cachelineSize?: number;
  /** --target ARCH: predict the layouts for this ABI (a name from ABIS). */
  target?: string;
  /** --source-dir: where --target reads the C definitions (source-evidence.ts). */
  sourceDir?: string;
  format: 'text' | 'json' | 'table' | 'map' | 'html';
  /** --format map: terminal columns to fit, and whether to colour. */
  width?: number;
  color?: boolean;
  sort?: SortField;
  skipMissing: boolean;
  verbose: boolean;
  /** Type index cache directory; undefined with --no-cache. */
  cacheDir?: string;
  /** Worker threads for whole-file dumps (1: none). */
  jobs: number;
  /** --pahole: whose text to reproduce. */
  pahole: PaholeDialect;
  /** --debug-dir: extra roots for separate debug files. */
  debugDir?: string[];
}

/** `structscope [show] FILE...`: returns the exit code (0 ok, 1 a -C name matched nothing, 2 unreadable input). */
export async function runShow(args: ShowArgs, out: Output): Promise<number> {
  let exit = 0;
  const jsonFiles: JsonFile[] = [];
  const htmlStructs: HtmlStruct[] = [];
  const picture = args.format === 'map' || args.format === 'html';
  const many = args.files.length > 1;
  const filter: TypeFilter = { ...(args.filter ?? { holes: args.holes }), justUnions: args.unions };
  const query = args.contains ?? args.findPointersTo;
  const isDefault =
    !args.classes?.length && !args.structs && !args.unions && !args.exclude?.length && !args.prefix?.length && !args.allDefinitions && !hasTypeFilter(filter) && query === undefined && args.sort === undefined;
  // whole-file dumps may be split between workers; --target predicts from the whole table
  const dumpMode: DumpMode | undefined = !isDefault || picture || args.anonInclude || args.declInfo || args.compile || args.relOffset || args.onlyDataMembers || args.packable || args.target !== undefined ? undefined : args.format === 'json' ? 'json' : args.format === 'table' ? undefined : args.sizes ? 'sizes' : 'text';
  // pahole: -A adds to what -a lists; alone it changes nothing
  if (args.nestedAnonInclude && !args.anonInclude) out.warn('--nested_anon_include (-A) only adds to --anon_include (-a); without -a it changes nothing (as in pahole)');
  let btfDeclWarned = false;
  for (const path of args.files) {
    if (dumpMode && !readsBtf(path, args.source)) {
      const opts = { cachelineSize: args.cachelineSize ?? 64, hex: args.hex, expand: args.expand, pahole: args.pahole };
      const { parallelDump } = await import('./parallel.js');
      const dump = await parallelDump(path, dumpMode, opts, args.jobs, out.progress);
      out.progressDone();
      if (dump) {
        reportDiagnostics(out, path, dump.diagnostics, args.verbose);
        // a complete read leaves the type index, whether one thread read the file or several
        if (args.cacheDir !== undefined && dump.index) {
          const { keepIndex } = await import('../load/index-cache.js');
          const state = keepIndex(args.cacheDir, path, dump.index);
          if (args.verbose) out.info(`${path}: type index ${state}`);
        }
        if (dumpMode === 'json') jsonFiles.push({ ...dump.header!, types: dump.items.map((i) => i.json!) });
        else {
          if (many) out.write(`==> ${path} <==\n`);
          for (const item of dump.items) out.write(item.text!);
        }
        continue;
      }
    }
    // -E needs the definitions of nested types, which may come later in the file; --compile also
    // those of the types behind pointers (a function pointer's parameter enums and typedefs)
    const whole = args.expand || args.compile;
    const stopAfterUnit = whole ? undefined : firstDefinitionsFound(args);
    // only units that name a wanted type can define it; -E also needs the nested types' units
    const onlyNames = whole ? undefined : exactClassNames(args);
    // BTF: pahole's alignment guesses for printing; --target infers attributes itself, from the facts
    // -C TYPEDEF prints the typedef as pahole does in text; the other outputs take the struct it names
    const typedefs = args.format === 'text' && !args.sizes && !args.packable && !args.compile && !hasTypeFilter(filter) && args.sort === undefined && args.target === undefined && query === undefined;
    // a whole BTF dump prints structs and unions: the types only functions use are not converted
    const onlyAggregates = (dumpMode === 'text' && !args.expand) || dumpMode === 'sizes';
    const loaded = loadSelected(path, { ...args, typedefs }, out, { stopAfterUnit, onlyNames, ...(onlyAggregates ? { onlyAggregates } : {}), cacheDir: args.cacheDir, btfAlignment: args.target !== undefined ? false : { cachelineSize: args.cachelineSize ?? 64, pahole: args.pahole } }, await loaderFor(path, args.source));
    if (!loaded) {
      exit = 2;
      continue;
    }
    let { file } = loaded;
    if (args.declInfo && args.format === 'text' && !btfDeclWarned && readsBtf(path, args.source)) {
      out.warn(`${path}: BTF records no declaration files or lines; --show_decl_info (-I) prints none`);
      btfDeclWarned = true;
    }
    let { ids } = loaded;
    if (args.format !== 'json') escapeLineBreaksInNames(file.table); // names cannot start lines of their own
    exit = Math.max(exit, loaded.exit);
    let cachelineSize = args.cachelineSize ?? 64;
    // --target: the same analysis and rendering on the predicted table; unpredictable types are
    // left out of the layouts and reported as notices (never printed as if predicted).
    let unpredictable: ReadonlyMap<number, string> = new Map();
    let target: string | undefined;
    let predictedAlignment: ReadonlyMap<number, number> | undefined;
    let notice: ((table: TypeTable, id: TypeId, target: string, why: string) => string) | undefined;
    if (args.target !== undefined) {
      const { predictFile, unpredictableNotice } = await import('./target.js');
      notice = unpredictableNotice;
      const predicted = predictFile(file, args.target, out, args.sourceDir);
      if (!predicted) {
        exit = 2;
        continue;
      }
      file = predicted.file;
      unpredictable = predicted.prediction.unpredictable;
      target = predicted.prediction.target.name;
      predictedAlignment = predicted.prediction.alignment;
      cachelineSize = args.cachelineSize ?? predicted.prediction.target.cachelineSize;
    }
    if (hasTypeFilter(filter)) ids = filterTypes(file.table, ids.filter((id) => !unpredictable.has(id)), filter, file.info.addressSize);
    // -P filters every format: only the structs pahole's reorganization shrinks
    if (args.packable && args.format !== 'text') ids = ids.filter((id) => !unpredictable.has(id) && isPackable(file.table, id, file.info.addressSize));
    const computeOpts = { cachelineSize, addressSize: file.info.addressSize, dialect: args.pahole, packable: args.packable, relOffset: args.relOffset };
    if (query !== undefined) {
      if (many) out.write(`==> ${path} <==\n`);
      if (typesNamed(file.table, query).size === 0) {
        out.error(`${path}: no type named '${query}'`);
        exit = Math.max(exit, 1);
        continue;
      }
      const lines = args.contains !== undefined ? containersOf(file.table, ids, args.contains, { recursive: args.recursive, verbose: args.verbose }) : pointersTo(file.table, ids, query);
      for (const line of lines) out.write(line + '\n');
      continue;
    }
    // pahole --sort: the text layouts ordered by name
    if (args.sort === 'name' && args.format === 'text') ids = [...ids].sort((x, y) => byName(file.table.get(x) as AggregateType, file.table.get(y) as AggregateType));
    const predictable = ids.filter((id) => !unpredictable.has(id));
    const omitted = ids.length - predictable.length;
    if (omitted && (args.format === 'table' || args.packable || args.sizes)) {
      out.warn(`${path}: ${omitted} type(s) cannot be predicted for ${target} and are left out (the text and JSON outputs give the reasons)`);
    }

    if (args.format === 'json') {
      if (target === undefined) jsonFiles.push(jsonFile(file, computedTypes(file, ids, { ...computeOpts, expand: args.expand }), { cachelineSize, pahole: args.pahole }));
      else {
        const alignment = predictedAlignment!;
        const j = jsonFile(file, computedTypes(file, predictable, { ...computeOpts, expand: args.expand, alignmentOf: (id) => alignment.get(id) }), { cachelineSize, pahole: args.pahole });
        j.target = target;
        j.unpredictable = ids.filter((id) => unpredictable.has(id)).map((id) => {
          const t = file.table.get(id) as AggregateType;
          return { kind: t.kind, name: t.name ?? '', reason: unpredictable.get(id)! };
        });
        jsonFiles.push(j);
      }
      continue;
    }
    if (args.format === 'html') {
      const { showHtmlStructs } = await import('./pictures.js');
      htmlStructs.push(...showHtmlStructs({ table: file.table, cachelineSize, addressSize: file.info.addressSize }, predictable, many ? path : undefined));
      continue;
    }
    if (many) out.write(`==> ${path} <==\n`);
    if (args.format === 'map') {
      const { mapOfType } = await import('./pictures.js');
      for (const id of ids) {
        const why = unpredictable.get(id);
        out.writeColoured((why === undefined ? mapOfType({ table: file.table, cachelineSize, addressSize: file.info.addressSize }, id, args.width ?? 80, args.color ?? false) : notice!(file.table, id, target!, why) + '\n') + '\n');
      }
      continue;
    }
    if (args.format === 'table') {
      const rows: OverviewRow[] = computedTypes(file, predictable, { ...computeOpts, packable: true }).map((c) => {
        const t = file.table.get(c.id) as AggregateType;
        return { name: t.name ?? '', kind: t.kind, summary: c.layout.summary, savings: c.packedSize !== undefined ? t.size - c.packedSize : 0, groups: c.layout.groups };
      });
      // loaded only here: cli-table3 and its width tables cost start-up time on every other path
      const { renderOverview } = await import('../report/table.js');
      out.write(renderOverview(rows, args.sort) + '\n');
      continue;
    }
    const opts = { cachelineSize, hex: args.hex, expand: args.expand, relOffset: args.relOffset, onlyDataMembers: args.onlyDataMembers, addressSize: file.info.addressSize, pahole: args.pahole, declInfo: args.declInfo };
    if (args.packable) {
      const { renderPackable } = await import('../report/packable.js');
      out.write(renderPackable(packableRows(file.table, predictable, file.info.addressSize)));
      continue;
    }
    // pahole -z lists the names (its class_name_formatter; pahole prints layouts only when -V comes before -z)
    if (filter.holeSizeGe && !args.sizes) {
      for (const id of predictable) out.write(`${(file.table.get(id) as AggregateType).name}\n`);
      continue;
    }
    if (args.sizes) {
      const names = new Set(predictable.map((id) => (file.table.get(id) as AggregateType).name));
      const lines = renderSizesRows(sizesRows(file.table, printableTypes(file.table), file.info.addressSize)).split('\n');
      for (const line of lines) if (line && names.has(line.slice(0, line.indexOf('\t')))) out.write(line + '\n');
      continue;
    }
    const declOf = new Map<TypeId, TypeId>();
    const decl = (id: TypeId): string => (args.declInfo ? (declInfoLines(file.table, declOf.get(id) ?? id) ?? '') : '');
    if (args.anonInclude) {
      // pahole's -C, -x and -y see an anonymous type by its typedef's name
      const classes = args.classes?.length ? parseClassPatterns(args.classes) : undefined;
      const keep = (kind: string, name: string | undefined) =>
        !(classes && (name === undefined || !classes.some((m) => m.test(name)))) &&
        !(args.structs && kind === 'union') &&
        !(args.unions && kind !== 'union') &&
        (name === undefined || (!args.exclude?.some((p) => name.startsWith(p)) && (!args.prefix?.length || args.prefix.some((p) => name.startsWith(p)))));
      const before = new Set(ids);
      // typedefs -C named come first (withAnonymousTypedefs keeps only the structs and unions it is given)
      const named = ids.filter((id) => file.table.get(id).kind === 'typedef');
      ids = [...named, ...withAnonymousTypedefs(file.table, ids, keep, args.nestedAnonInclude).filter((id) => !before.has(id) || !named.includes(id))];
      // pahole prints in -C order: rank each by the first pattern its name (or its typedef's) matches
      if (classes) {
        const rank = (id: TypeId) => {
          const name = (file.table.get(id) as { name?: string }).name;
          const k = name === undefined ? -1 : classes.findIndex((m) => m.test(name));
          return k < 0 ? classes.length : k;
        };
        ids = ids.map((id, k) => ({ id, k, r: rank(id) })).sort((a, b) => a.r - b.r || a.k - b.k).map((x) => x.id);
      }
      // pahole prints an anonymous struct through its typedef, with the struct's own declaration
      for (const id of ids) {
        const t = file.table.get(id);
        if (!before.has(id) && t.kind === 'typedef') declOf.set(id, t.target);
      }
    }
    if (args.compile) {
      const roots = isDefault ? printableTypes(file.table) : ids.filter((id) => isAggregate(file.table.get(id)));
      out.write(await compiledC(file.table, roots, { ...computeOpts, expand: false }, opts, args.classes?.length ? '\n\n' : '\n'));
      continue;
    }
    if (isDefault && args.sort === undefined && !args.anonInclude) {
      for (const block of eachFileBlock(file.table, printableTypes(file.table), { ...computeOpts, expand: args.expand })) {
        const why = unpredictable.get(block.id);
        out.write((why === undefined ? decl(block.id) + renderBlock(file.table, block, opts) : notice!(file.table, block.id, target!, why)) + '\n');
      }
    } else {
      // pahole 1.31 follows each type it prints for -C with a blank line
      const after = args.classes?.length && args.pahole === '1.31' ? '\n\n' : '\n';
      for (const id of ids) {
        const why = unpredictable.get(id);
        const block = typeBlock(file.table, id, { ...computeOpts, expand: args.expand });
        out.write((why === undefined ? decl(id) + renderBlock(file.table, block, declOf.has(id) ? { ...opts, anonTypedef: true } : opts) : notice!(file.table, id, target!, why)) + after);
      }
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(jsonDocument(jsonFiles), null, 1) + '\n');
  if (args.format === 'map') out.writeColoured((await import('../report/map.js')).renderMapLegend({ width: args.width ?? 80, color: args.color ?? false }));
  if (args.format === 'html') {
    const title = `structscope: ${args.files.join(', ')}`;
    const { renderHtml } = await import('../report/html.js');
    out.write(renderHtml({ mode: 'show', title, subtitle: `${htmlStructs.length} types; generated by structscope show --format html`, structs: htmlStructs }));
  }
  return exit;
}

/** --compile's text: what the roots need, then the roots, each laid out afresh as pahole -C does. */
async function compiledC(table: TypeTable, roots: readonly TypeId[], computeOpts: ComputeOptions, opts: PaholeOptions, after: string): Promise<string> {
  const { compileStepTypes, planCompile, renderCompile } = await import('../report/compile.js');
  const steps = planCompile(table, roots, after);
  const blocks = new Map(compileStepTypes(steps).map((id) => [id, typeBlock(table, id, computeOpts)] as const));
  return renderCompile(table, steps, blocks, opts);
}

/** pahole's --sort order: strcmp of the names (bytes, not locale). */
function byName(a: AggregateType, b: AggregateType): number {
  const x = a.name ?? '';
  const y = b.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
