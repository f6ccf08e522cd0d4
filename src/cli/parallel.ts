/**
 * A whole-file dump spread over worker threads: the units are split into runs of about equal
 * bytes, each worker reads only its units (plus every unit header) and renders them, and the
 * item lists are merged in unit order (report/dump.ts). Undefined means "do it in one piece":
 * the file is small, not stored plainly, or its units refer into each other.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { splitUnits } from '../dwarf/extents.js';
import { isRelocatable, readUnitExtents } from '../load/unit-extents.js';
import { mergeDumpItems, type DumpItem, type DumpMode, type DumpOptions } from '../report/dump.js';
import type { JsonFile } from '../doc/json.js';
import type { Diagnostic } from '../util/diagnostic.js';
import { envThreshold } from '../util/env-threshold.js';
import { printableName } from '../util/printable.js';
import type { WorkerMessage, WorkerTask } from './dump-worker.js';

/**
 * Below this much .debug_info, starting workers costs more than it saves;
 * STRUCTSCOPE_PARALLEL_MIN_BYTES sets another size (0: any file; the tests use it on fixtures).
 */
const MIN_PARALLEL_BYTES = 32 << 20;

const minParallelBytes = (): number => envThreshold('STRUCTSCOPE_PARALLEL_MIN_BYTES', MIN_PARALLEL_BYTES);

/**
 * ET_REL files (kernel modules) split only over this many workers or more: every worker reads and
 * filters the whole relocation section for its units' entries (143 MB in amdgpu.ko), which two
 * workers do not win back on two CPUs (amdgpu.ko: --jobs 1 3.43 s, --jobs 2 3.84-4.68 s).
 */
const MIN_RELOCATABLE_JOBS = 3;

export interface ParallelDump {
  items: DumpItem[];
  header?: JsonFile;
  diagnostics: Diagnostic[];
  /** The whole file's type index, merged from the workers' shares: unit extents, names, build-id. */
  index?: { units: [number, number][]; names: Record<string, number[]>; buildId?: string };
}

export async function parallelDump(
  path: string,
  mode: DumpMode,
  opts: DumpOptions,
  jobs: number,
  progress?: (done: number, total: number) => void,
  minBytes = minParallelBytes(),
): Promise<ParallelDump | undefined> {
  if (jobs < 2) return undefined;
  const extents = workerExtents(path, minBytes);
  if (!extents || extents.length < 2) return undefined;
  if (jobs < MIN_RELOCATABLE_JOBS && isRelocatable(path)) return undefined;
  return runWorkers(path, mode, opts, extents, splitUnits(extents, jobs), progress);
}

/**
 * The units of a file worth handing to workers: stored plainly (ET_REL too: each worker relocates
 * only its own units) with at least `minBytes` of .debug_info; undefined otherwise.
 */
function workerExtents(path: string, minBytes: number): [number, number][] | undefined {
  const extents = readUnitExtents(path, true);
  if (!extents) return undefined;
  const bytes = extents.reduce((n, [s, e]) => n + (e - s), 0);
  return bytes < minBytes ? undefined : extents;
}

/**
 * The whole file dumped by one worker thread, as parallelDump's workers dump their shares: for a
 * caller with other work meanwhile (`diff` reads its two files at once: on two CPUs one worker
 * each beats two each, which fight over the cores and read the units both halves define twice).
 * Undefined as for parallelDump: small files, and files whose units refer into each other.
 */
export async function dumpInWorker(
  path: string,
  mode: DumpMode,
  opts: DumpOptions,
  progress?: (done: number, total: number) => void,
  minBytes = minParallelBytes(),
): Promise<ParallelDump | undefined> {
  const extents = workerExtents(path, minBytes);
  if (!extents || extents.length === 0) return undefined;
  return runWorkers(path, mode, opts, extents, [extents.map(([start]) => start)], progress);
}

/** Workers reading the units of `chunks` (unit start offsets), one worker per chunk, merged in order. */
async function runWorkers(
  path: string,
  mode: DumpMode,
  opts: DumpOptions,
  extents: [number, number][],
  chunks: number[][],
  progress?: (done: number, total: number) => void,
): Promise<ParallelDump | undefined> {
  let done = 0;
  const results = await Promise.all(
    chunks.map(
      (units) =>
        new Promise<Extract<WorkerMessage, { type: 'done' }>>((resolve) => {
          const task: WorkerTask = { path, extents, units, mode, opts };
          const w = new Worker(new URL('./dump-worker.js', import.meta.url), { workerData: task });
          w.on('message', (m: WorkerMessage) => {
            if (m.type === 'progress') progress?.((done += m.units), extents.length);
            else if (m.type === 'done') resolve(m);
            else resolve({ type: 'done', independent: false, items: [], diagnostics: [] }); // read in one piece: errors get reported there
          });
          w.on('error', (e) => {
            // a worker that cannot start or crashes is a fault of the installation, not of the
            // input: say so (the file is still read, in one piece)
            writeSync(2, `structscope: warning: a worker thread failed (${printableName(String(e?.message ?? e))}); reading ${printableName(path)} in one piece\n`);
            resolve({ type: 'done', independent: false, items: [], diagnostics: [] });
          });
        }),
    ),
  );
  if (results.some((r) => !r.independent)) return undefined;
  const header = results[0]?.header;
  if (header) header.dwarfVersions = [...new Set(results.flatMap((r) => r.header?.dwarfVersions ?? []))].sort((a, b) => a - b);
  const names = new Map<string, Set<number>>();
  for (const r of results) for (const [n, units] of Object.entries(r.index?.names ?? {})) for (const u of units) (names.get(n) ?? names.set(n, new Set()).get(n)!).add(u);
  const merged: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const [n, set] of names) merged[n] = [...set].sort((a, b) => a - b);
  const index = results.every((r) => r.index) ? { units: extents, names: merged, buildId: results[0]?.index?.buildId } : undefined;
  return { items: mergeDumpItems(results.map((r) => r.items)), header, diagnostics: results.flatMap((r) => r.diagnostics), index };
}
