import type { AggregateType } from '../model/types.js';
import type { PaholeDialect } from '../layout/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import { computedTypes, fileBlocks, isPackable, packableRows, sizesRows, typeBlock } from '../layout/computed.js';
import { jsonDocument, jsonFile, type JsonFile } from '../report/json.js';
import { printableTypes, renderBlock, renderSizesRows } from '../report/pahole.js';
import { renderPackable } from '../report/packable.js';
import { exactClassNames, firstDefinitionsFound, type Selection } from '../report/select.js';
import { loadSelected, reportDiagnostics } from './load-selected.js';
import { parallelDump } from './parallel.js';
import type { DumpMode } from '../report/dump.js';
import { renderOverview, type OverviewRow, type SortField } from '../report/table.js';
import type { Output } from './output.js';
import { predictFile, unpredictableNotice } from './target.js';

export interface ShowArgs extends Selection {
  files: string[];
  sizes: boolean;
  packable: boolean;
  holes?: number;
  expand: boolean;
  hex: boolean;
  /** Undefined: the target's default (--target) or 64. */
  cachelineSize?: number;
  /** --target ARCH: predict the layouts for this ABI (a name from ABIS). */
  target?: string;
  format: 'text' | 'json' | 'table';
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
  const many = args.files.length > 1;
  const isDefault = !args.classes?.length && !args.structs && !args.unions && !args.exclude?.length && !args.allDefinitions && args.holes === undefined;
  // whole-file dumps may be split between workers; --target predicts from the whole table
  const dumpMode: DumpMode | undefined = !isDefault || args.packable || args.target !== undefined ? undefined : args.format === 'json' ? 'json' : args.format === 'table' ? undefined : args.sizes ? 'sizes' : 'text';
  for (const path of args.files) {
    if (dumpMode) {
      const opts = { cachelineSize: args.cachelineSize ?? 64, hex: args.hex, expand: args.expand, pahole: args.pahole };
      const dump = await parallelDump(path, dumpMode, opts, args.jobs, out.progress);
      out.progressDone();
      if (dump) {
        reportDiagnostics(out, path, dump.diagnostics, args.verbose);
        if (dumpMode === 'json') jsonFiles.push({ ...dump.header!, types: dump.items.map((i) => i.json!) });
        else {
          if (many) out.write(`==> ${path} <==\n`);
          for (const item of dump.items) out.write(item.text!);
        }
        continue;
      }
    }
    // -E needs the definitions of nested types, which may come later in the file
    const stopAfterUnit = args.expand ? undefined : firstDefinitionsFound(args);
    // only units that name a wanted type can define it; -E also needs the nested types' units
    const onlyNames = args.expand ? undefined : exactClassNames(args);
    const loaded = loadSelected(path, args, out, { stopAfterUnit, onlyNames, cacheDir: args.cacheDir });
    if (!loaded) {
      exit = 2;
      continue;
    }
    let { file } = loaded;
    let { ids } = loaded;
    exit = Math.max(exit, loaded.exit);
    let cachelineSize = args.cachelineSize ?? 64;
    // --target: the same analysis and rendering on the predicted table; unpredictable types are
    // left out of the layouts and reported as notices (never printed as if predicted).
    let unpredictable: ReadonlyMap<number, string> = new Map();
    let target: string | undefined;
    let predictedAlignment: ReadonlyMap<number, number> | undefined;
    if (args.target !== undefined) {
      const predicted = predictFile(file, args.target, out);
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
    const layoutOf = (id: number) => analyzeLayout(file.table, id, { cachelineSize, addressSize: file.info.addressSize, dialect: args.pahole });
    if (args.holes !== undefined) ids = ids.filter((id) => !unpredictable.has(id) && layoutOf(id).summary.holes >= args.holes!);
    // -P filters every format: only the structs pahole's reorganization shrinks
    if (args.packable && args.format !== 'text') ids = ids.filter((id) => !unpredictable.has(id) && isPackable(file.table, id, file.info.addressSize));
    const computeOpts = { cachelineSize, addressSize: file.info.addressSize, dialect: args.pahole, packable: args.packable };
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
    if (many) out.write(`==> ${path} <==\n`);
    if (args.format === 'table') {
      const rows: OverviewRow[] = computedTypes(file, predictable, { ...computeOpts, packable: true }).map((c) => {
        const t = file.table.get(c.id) as AggregateType;
        return { name: t.name ?? '', kind: t.kind, summary: c.layout.summary, savings: c.packedSize !== undefined ? t.size - c.packedSize : 0 };
      });
      out.write(renderOverview(rows, args.sort) + '\n');
      continue;
    }
    const opts = { cachelineSize, hex: args.hex, expand: args.expand, addressSize: file.info.addressSize, pahole: args.pahole };
    if (args.packable) {
      out.write(renderPackable(packableRows(file.table, predictable, file.info.addressSize)));
      continue;
    }
    if (args.sizes) {
      const names = new Set(predictable.map((id) => (file.table.get(id) as AggregateType).name));
      const lines = renderSizesRows(sizesRows(file.table, printableTypes(file.table), file.info.addressSize)).split('\n');
      for (const line of lines) if (line && names.has(line.slice(0, line.indexOf('\t')))) out.write(line + '\n');
      continue;
    }
    if (isDefault) {
      for (const block of fileBlocks(file.table, printableTypes(file.table), { ...computeOpts, expand: args.expand })) {
        const why = unpredictable.get(block.id);
        out.write((why === undefined ? renderBlock(file.table, block, opts) : unpredictableNotice(file.table, block.id, target!, why)) + '\n');
      }
    } else {
      // pahole 1.31 follows each type it prints for -C with a blank line
      const after = args.classes?.length && args.pahole === '1.31' ? '\n\n' : '\n';
      for (const id of ids) {
        const why = unpredictable.get(id);
        out.write((why === undefined ? renderBlock(file.table, typeBlock(file.table, id, { ...computeOpts, expand: args.expand }), opts) : unpredictableNotice(file.table, id, target!, why)) + after);
      }
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(jsonDocument(jsonFiles), null, 1) + '\n');
  return exit;
}
