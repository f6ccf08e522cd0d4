/**
 * `structscope diff OLD NEW --abi`: the layout diff restricted to what exported symbols reach
 * (docs/abi-surface.md). An ELF side keeps only its spelt surface for the paths of the changed
 * types (abi-side.ts). Two large ELF files are read at once, OLD in a worker thread and NEW here,
 * so that two type tables are in memory together but one read's time is saved (both in workers
 * took 5.7 x a full dump's memory on vmlinux); smaller ones one after the other. A JSON side is a
 * saved `diff --abi` report.
 */
import { abiRegressions, diffAbi, type AbiSide } from '../diff/abi.js';
import type { FailOnKind } from '../diff/regressions.js';
import { parseSuppressions, parseSymbolList, type Suppressions } from '../diff/symbols.js';
import type { SourceOptions } from '../load/btf.js';
import { abiDiffJson, renderAbiTable, renderAbiText } from '../report/abi-diff.js';
import { envThreshold } from '../util/env-threshold.js';
import { isStructscopeError } from '../util/errors.js';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { pathFinder } from '../diff/surface.js';
import { InputError, readBaselineSide, readElfSide, readText, type ElfSideTask, type ReadSide } from './abi-side.js';
import type { AbiWorkerMessage } from './abi-worker.js';
import { looksLikeJson } from './diff.js';
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

/** Returns the exit code: 0, 1 a --fail-on regression, 2 an input could not be read. */
export async function runAbiDiff(args: AbiArgs, out: Output): Promise<number> {
  let list: string[] | undefined;
  let suppress: Suppressions | undefined;
  const sides: ReadSide[] = [];
  try {
    if (args.symbols !== undefined) list = parseSymbolList(readText(args.symbols, '--symbols'));
    if (args.suppress !== undefined) suppress = suppressionsOf(args.suppress);
    const old = concurrent(args) ? readInWorker(elfTask(args.old, args, list, suppress)) : undefined;
    if (!old) sides.push(readSide(args.old, args, out, list, suppress));
    let newSide: ReadSide;
    try {
      newSide = readSide(args.new, args, out, list, suppress);
    } catch (e) {
      void old?.stop();
      throw e;
    }
    if (old) sides.push(await old.side);
    sides.push(newSide);
    for (const [k, path] of [args.old, args.new].entries()) reportDiagnostics(out, path, sides[k]!.diagnostics, args.verbose);
  } catch (e) {
    if (e instanceof InputError || isStructscopeError(e)) {
      out.error(e.message);
      return 2;
    }
    throw e;
  }
  const asSide = (r: ReadSide): AbiSide => ({ ...r.side, ...(r.spelt ? { pathsTo: pathFinder(r.spelt) } : {}) });
  const d = diffAbi(asSide(sides[0]!), asSide(sides[1]!), { ...(suppress ? { suppress } : {}), ...(list ? { symbolList: list } : {}) });
  const regs = abiRegressions(d);
  const input = { d, regressions: regs, surfaces: { old: sides[0]!.counts, new: sides[1]!.counts }, maxPaths: args.verbose ? Infinity : 5 };
  if (args.format === 'json') out.write(JSON.stringify(abiDiffJson(input, sides[1]!.baseline), null, 1) + '\n');
  else if (args.format === 'table') out.write(renderAbiTable(input) + '\n');
  else out.write(renderAbiText(input));
  const failed = args.failOn.filter((k) => regs.has(k));
  if (failed.length) {
    out.error(`--fail-on: ${failed.map((k) => `${k} (${regs.get(k)!.length})`).join(', ')}`);
    return 1;
  }
  return 0;
}

function readSide(path: string, args: AbiArgs, out: Output, list: string[] | undefined, sup: Suppressions | undefined): ReadSide {
  if (looksLikeJson(path)) return readBaselineSide(path, args.cachelineSize, list);
  try {
    return readElfSide(elfTask(path, args, list, sup), out.progress);
  } finally {
    out.progressDone();
  }
}

function elfTask(path: string, args: AbiArgs, list: string[] | undefined, sup: Suppressions | undefined): ElfSideTask {
  const stops = sup ? { stops: { types: [...sup.types], members: [...sup.members] } } : {};
  return { path, cachelineSize: args.cachelineSize, ...(list ? { list } : {}), ...stops, ...(args.source ? { source: args.source } : {}) };
}

/**
 * Files from this size on are read at once (two of Debian's vmlinux: 11.4 s one after the
 * other); STRUCTSCOPE_ABI_CONCURRENT_BYTES sets another size (0: always).
 */
const CONCURRENT_BYTES = 64 << 20;

/** Both sides are ELF files, the smaller one at least CONCURRENT_BYTES long. */
function concurrent(args: AbiArgs): boolean {
  if (looksLikeJson(args.old) || looksLikeJson(args.new)) return false;
  const min = envThreshold('STRUCTSCOPE_ABI_CONCURRENT_BYTES', CONCURRENT_BYTES);
  try {
    return Math.min(statSync(args.old).size, statSync(args.new).size) >= min;
  } catch {
    return false; // the reader reports it
  }
}

/** One ELF side read by a worker thread (its errors come back as they would be thrown here), and a way to stop it. */
function readInWorker(task: ElfSideTask): { side: Promise<ReadSide>; stop: () => Promise<number> } {
  const w = new Worker(new URL('./abi-worker.js', import.meta.url), { workerData: task });
  const side = new Promise<ReadSide>((resolve, reject) => {
    w.once('message', (m: AbiWorkerMessage) => (m.ok ? resolve(m.side) : reject(m.input ? new InputError(m.message) : new Error(m.message))));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`the diff --abi worker stopped (exit code ${code})`)));
  });
  side.catch(() => undefined); // awaited only when the main thread's side was read
  return { side, stop: () => w.terminate() };
}

function suppressionsOf(path: string): Suppressions {
  try {
    return parseSuppressions(readText(path, '--suppress'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--suppress ${path}: ${(e as Error).message}`);
  }
}
