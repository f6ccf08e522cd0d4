/**
 * Worker thread of a parallel dump (parallel.ts): converts its share of the units of one file
 * and renders the items of that share. Reports `independent: false` when a DIE referred into a
 * unit it did not read, so the caller falls back to reading the file in one piece.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFile } from '../load/index.js';
import type { Diagnostic } from '../util/diagnostic.js';
import { dumpItems, jsonHeader, type DumpMode, type DumpOptions } from '../report/dump.js';
import { isStructscopeError } from '../util/errors.js';
import { buildTypeIndex } from '../load/type-index.js';

export interface WorkerTask {
  path: string;
  extents: [number, number][];
  units: number[];
  mode: DumpMode;
  opts: DumpOptions;
}

export type WorkerMessage =
  | { type: 'progress'; units: number }
  | {
      type: 'done';
      independent: boolean;
      items: ReturnType<typeof dumpItems>;
      header?: ReturnType<typeof jsonHeader>;
      diagnostics: Diagnostic[];
      /** The type index entries of this worker's units (type name → defining units) and the file's build-id. */
      index?: { names: Record<string, number[]>; buildId?: string };
    }
  | { type: 'error'; message: string };

const task = workerData as WorkerTask;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  let converted = 0;
  const file = loadFile(task.path, {
    unitPlan: { extents: task.extents, only: new Set(task.units) },
    onUnit: () => {
      if (++converted % 32 === 0) post({ type: 'progress', units: 32 });
    },
  });
  if (file.crossUnitRefs) post({ type: 'done', independent: false, items: [], diagnostics: [] });
  else {
    post({
      type: 'done',
      independent: true,
      items: dumpItems(file, task.mode, task.opts),
      header: task.mode === 'json' ? jsonHeader(file, task.opts) : undefined,
      diagnostics: file.diagnostics,
      index: { names: buildTypeIndex({ buildId: '', size: 0, mtimeMs: 0 }, file.table, []).names, buildId: file.info.buildId },
    });
  }
} catch (e) {
  post({ type: 'error', message: isStructscopeError(e) ? e.message : String((e as Error)?.message ?? e) });
}
