import type { AggregateType } from '../model/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import { jsonDocument, jsonFile, type JsonFile } from '../report/json.js';
import { renderAllBlocks, renderSizes, renderType } from '../report/pahole.js';
import { renderPackable } from '../report/packable.js';
import { paholePackable } from '../layout/pahole-reorganize.js';
import { firstDefinitionsFound, type Selection } from '../report/select.js';
import { loadSelected } from './load-selected.js';
import { renderOverview, type OverviewRow, type SortField } from '../report/table.js';
import type { Output } from './output.js';

export interface ShowArgs extends Selection {
  files: string[];
  sizes: boolean;
  packable: boolean;
  holes?: number;
  expand: boolean;
  hex: boolean;
  cachelineSize: number;
  format: 'text' | 'json' | 'table';
  sort?: SortField;
  skipMissing: boolean;
  verbose: boolean;
  /** --debug-dir: extra roots for separate debug files. */
  debugDir?: string[];
}

/** `structscope [show] FILE...`: returns the exit code (0 ok, 1 a -C name matched nothing, 2 unreadable input). */
export function runShow(args: ShowArgs, out: Output): number {
  let exit = 0;
  const jsonFiles: JsonFile[] = [];
  const many = args.files.length > 1;
  for (const path of args.files) {
    // -E needs the definitions of nested types, which may come later in the file
    const stopAfterUnit = args.expand ? undefined : firstDefinitionsFound(args);
    const loaded = loadSelected(path, args, out, { stopAfterUnit });
    if (!loaded) {
      exit = 2;
      continue;
    }
    const { file } = loaded;
    let { ids } = loaded;
    exit = Math.max(exit, loaded.exit);
    const layoutOf = (id: number) => analyzeLayout(file.table, id, { cachelineSize: args.cachelineSize, addressSize: file.info.addressSize });
    if (args.holes !== undefined) ids = ids.filter((id) => layoutOf(id).summary.holes >= args.holes!);

    if (args.format === 'json') {
      jsonFiles.push(jsonFile(file, ids, { cachelineSize: args.cachelineSize }));
      continue;
    }
    if (many) out.write(`==> ${path} <==\n`);
    if (args.format === 'table') {
      const rows: OverviewRow[] = ids.map((id) => {
        const t = file.table.get(id) as AggregateType;
        const packed = paholePackable(file.table, id, file.info.addressSize);
        return { name: t.name ?? '', kind: t.kind, summary: layoutOf(id).summary, savings: packed ? packed.size - packed.newSize : 0 };
      });
      out.write(renderOverview(rows, args.sort) + '\n');
      continue;
    }
    const opts = { cachelineSize: args.cachelineSize, hex: args.hex, expand: args.expand, addressSize: file.info.addressSize };
    if (args.packable) {
      out.write(renderPackable(file.table, ids, file.info.addressSize));
      continue;
    }
    if (args.sizes) {
      const names = new Set(ids.map((id) => (file.table.get(id) as AggregateType).name));
      const lines = renderSizes(file.table, opts).split('\n');
      for (const line of lines) if (line && names.has(line.slice(0, line.indexOf('\t')))) out.write(line + '\n');
      continue;
    }
    const isDefault = !args.classes?.length && !args.structs && !args.unions && !args.exclude?.length && !args.allDefinitions;
    if (isDefault && args.holes === undefined) {
      for (const block of renderAllBlocks(file.table, opts)) out.write(block.text + '\n');
    } else {
      for (const id of ids) out.write(renderType(file.table, id, opts) + '\n');
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(jsonDocument(jsonFiles), null, 1) + '\n');
  return exit;
}
