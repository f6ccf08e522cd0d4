import type { SourceOptions } from '../load/btf.js';
import { readFileSync } from 'node:fs';
import type { AggregateType } from '../model/types.js';
import { abiForElf } from '../layout/abi/index.js';
import { Reorganizer, type ReorgResult } from '../layout/reorg/index.js';
import { reorgDocument, reorgJsonType, renderReorgText, type ReorgJsonType } from '../report/reorg.js';
import { reorderedView } from '../layout/reorg/reordered.js';
import { buildPatch, type PatchRequest } from '../report/patch.js';
import { readContainedText, sourceUnder } from '../load/named-files.js';
import type { Selection } from '../report/select.js';
import { loadSelected } from './load-selected.js';
import { loadFile } from '../load/index.js';
import { exactClassNames, firstDefinitionsFound } from '../report/select.js';
import type { Output } from './output.js';
import { escapeLineBreaksInNames } from '../model/printable-names.js';

/** reorg's default --max-moves: a patch someone would review. */
export const DEFAULT_MAX_MOVES = 8;

import { reorgHtmlStructs } from './pictures.js';
import { renderHtml, type HtmlStruct } from '../report/html.js';

export interface ReorgArgs extends Selection {
  files: string[];
  /** -F and --btf-base. */
  source?: SourceOptions;
  format: 'text' | 'json' | 'html';
  cachelineSize: number;
  pin: string[];
  keepCachelines: boolean;
  /** --max-moves; undefined: 8, or no limit with --hot. */
  maxMoves?: number;
  hot: string[];
  /** --hot-file: one member name per line. */
  hotFile?: string;
  steps: boolean;
  patch?: string;
  skipMissing: boolean;
  verbose: boolean;
}

/**
 * `structscope reorg FILE -C NAME`: a smaller member order per struct, validated by the layout
 * engine of the file's target; --patch writes the unified diff of the source instead.
 * Exit: 0 ok, 1 usage/-C matched nothing/no patch possible, 2 unreadable input or unknown ABI.
 */
export function runReorg(args: ReorgArgs, out: Output): number {
  let exit = 0;
  const hot = [...args.hot];
  if (args.hotFile !== undefined) {
    try {
      hot.push(...readFileSync(args.hotFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    } catch (e) {
      out.error(`${args.hotFile}: cannot read the --hot-file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return 1;
    }
  }
  const maxMoves = args.maxMoves ?? (hot.length ? undefined : DEFAULT_MAX_MOVES);
  const jsonFiles: { path: string; abi: string; types: ReorgJsonType[] }[] = [];
  const many = args.files.length > 1;
  const htmlStructs: HtmlStruct[] = [];
  for (const path of args.files) {
    const sel = { ...args, structs: true };
    // -C NAME: only the units that can define NAME, up to the first definitions
    const loaded = loadSelected(path, sel, out, { btfAlignment: false, memberDecl: args.patch !== undefined, onlyNames: exactClassNames(sel), stopAfterUnit: firstDefinitionsFound(sel) }, loadFile);
    if (!loaded) {
      exit = 2;
      continue;
    }
    if (args.format !== 'json' && args.patch === undefined) escapeLineBreaksInNames(loaded.file.table); // names cannot start lines of their own
    const { file, ids } = loaded;
    exit = Math.max(exit, loaded.exit);
    const { info } = file;
    if (args.patch !== undefined && info.debugFormat === 'btf') {
      out.error(`${path}: --patch needs DWARF (BTF records no source file and line): read a file with DWARF, or drop -F btf`);
      exit = 2;
      continue;
    }
    const abi = abiForElf(info.machine, info.elfClass, info.littleEndian, info.flags);
    if (!abi) {
      out.error(`${path}: unknown ABI: no layout rules for ${info.machineName}`);
      exit = 2;
      continue;
    }
    const reorganizer = new Reorganizer(file.table, abi, { dwarfVersions: info.dwarfVersions });
    const results: ReorgResult[] = ids.map((id) => reorganizer.reorganize(id, { cachelineSize: args.cachelineSize, pin: args.pin, keepCachelines: args.keepCachelines, maxMoves, hot }));
    for (const name of hot) {
      if (!ids.some((id) => (file.table.get(id) as AggregateType).members.some((m) => m.name === name))) out.warn(`${path}: --hot ${name}: no selected struct has a member of that name`);
    }
    for (const name of args.pin) {
      if (!ids.some((id) => (file.table.get(id) as AggregateType).members.some((m) => m.name === name))) out.warn(`${path}: --pin ${name}: no selected struct has a member of that name`);
    }

    if (args.patch !== undefined) {
      const requests: PatchRequest[] = [];
      for (const r of results) {
        if (!r.ok) {
          out.error(`${path}: ${r.agg?.name ?? '(anonymous)'}: ${r.reason}`);
          continue;
        }
        if (!r.moves.length) continue;
        const src = sourceUnder(args.patch, r.agg.decl?.file);
        if (typeof src === 'string') {
          out.error(`${path}: ${r.agg.name ?? '(anonymous)'}: ${src}; no patch for it`);
          exit = Math.max(exit, 1);
          continue;
        }
        requests.push({ agg: r.agg, order: r.order, source: src });
      }
      const patch = buildPatch(requests, readContainedText);
      for (const e of patch.errors) {
        out.error(`${path}: ${e}; no patch for it`);
        exit = Math.max(exit, 1);
      }
      out.write(patch.diff);
      continue;
    }
    if (args.format === 'html') {
      htmlStructs.push(...reorgHtmlStructs({ table: file.table, cachelineSize: args.cachelineSize, addressSize: info.addressSize }, results, many ? path : undefined));
      continue;
    }
    if (args.format === 'json') {
      jsonFiles.push({ path, abi: abi.name, types: results.map((r) => reorgJsonType(r, args.cachelineSize)) });
      continue;
    }
    if (many) out.write(`==> ${path} <==\n`);
    results.forEach((r, k) => {
      if (k) out.write('\n');
      const t = file.table.get(r.id) as AggregateType;
      const plan = reorganizer.inference.engine.plan(t);
      const layoutOf =
        r.ok && !('unpredictable' in plan) ? (order: readonly number[]) => reorganizer.layoutOrder(plan, reorganizer.inference.infer(r.id).attributes, order) : undefined;
      // lay out the proposal (and with --steps each intermediate order), then render
      const opts = { cachelineSize: args.cachelineSize, addressSize: info.addressSize };
      const views = r.ok
        ? {
            final: reorderedView(file.table, r, r.order, r.newLayout, opts),
            steps: args.steps && layoutOf ? r.steps.slice(0, -1).map((order) => reorderedView(file.table, r, order, layoutOf(order), opts)) : [],
          }
        : {};
      out.write(renderReorgText(r, views, { cachelineSize: args.cachelineSize }));
    });
  }
  if (args.format === 'json' && args.patch === undefined) out.write(JSON.stringify(reorgDocument(jsonFiles), null, 1) + '\n');
  if (args.format === 'html' && args.patch === undefined) {
    out.write(renderHtml({ mode: 'reorg', title: `structscope reorg: ${args.files.join(', ')}`, subtitle: 'current layouts beside the proposed ones (laid out by the ABI engine); moved members outlined', structs: htmlStructs }));
  }
  return exit;
}
