import type { AggregateType } from '../model/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import { jsonDocument, jsonFile, type JsonFile } from '../report/json.js';
import { renderAllBlocks, renderSizes, renderType } from '../report/pahole.js';
import { renderPackable } from '../report/packable.js';
import { paholePackable } from '../layout/pahole-reorganize.js';
import { exactClassNames, firstDefinitionsFound, type Selection } from '../report/select.js';
import { loadSelected, reportDiagnostics } from './load-selected.js';
import { parallelDump } from './parallel.js';
import type { DumpMode } from '../report/dump.js';
import type { OverviewRow, SortField } from '../report/table.js';
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
      const opts = { cachelineSize: args.cachelineSize ?? 64, hex: args.hex, expand: args.expand };
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
    const layoutOf = (id: number) => analyzeLayout(file.table, id, { cachelineSize, addressSize: file.info.addressSize });
    if (args.holes !== undefined) ids = ids.filter((id) => !unpredictable.has(id) && layoutOf(id).summary.holes >= args.holes!);
    const predictable = ids.filter((id) => !unpredictable.has(id));
    const omitted = ids.length - predictable.length;
    if (omitted && (args.format === 'table' || args.packable || args.sizes)) {
      out.warn(`${path}: ${omitted} type(s) cannot be predicted for ${target} and are left out (the text and JSON outputs give the reasons)`);
    }

    if (args.format === 'json') {
      if (target === undefined) jsonFiles.push(jsonFile(file, ids, { cachelineSize }));
      else {
        const alignment = predictedAlignment!;
        const j = jsonFile(file, predictable, { cachelineSize, alignmentOf: (id) => alignment.get(id) });
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
      const rows: OverviewRow[] = predictable.map((id) => {
        const t = file.table.get(id) as AggregateType;
        const packed = paholePackable(file.table, id, file.info.addressSize);
        return { name: t.name ?? '', kind: t.kind, summary: layoutOf(id).summary, savings: packed ? packed.size - packed.newSize : 0 };
      });
      // loaded only here: cli-table3 and its width tables cost start-up time on every other path
      const { renderOverview } = await import('../report/table.js');
      out.write(renderOverview(rows, args.sort) + '\n');
      continue;
    }
    const opts = { cachelineSize, hex: args.hex, expand: args.expand, addressSize: file.info.addressSize };
    if (args.packable) {
      out.write(renderPackable(file.table, predictable, file.info.addressSize));
      continue;
    }
    if (args.sizes) {
      const names = new Set(predictable.map((id) => (file.table.get(id) as AggregateType).name));
      const lines = renderSizes(file.table, opts).split('\n');
      for (const line of lines) if (line && names.has(line.slice(0, line.indexOf('\t')))) out.write(line + '\n');
      continue;
    }
    if (isDefault) {
      for (const block of renderAllBlocks(file.table, opts)) {
        const why = unpredictable.get(block.id);
        out.write((why === undefined ? block.text : unpredictableNotice(file.table, block.id, target!, why)) + '\n');
      }
    } else {
      for (const id of ids) {
        const why = unpredictable.get(id);
        out.write((why === undefined ? renderType(file.table, id, opts) : unpredictableNotice(file.table, id, target!, why)) + '\n');
      }
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(jsonDocument(jsonFiles), null, 1) + '\n');
  return exit;
}
