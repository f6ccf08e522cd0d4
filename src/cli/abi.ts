/**
 * `structscope diff OLD NEW --abi`: the layout diff restricted to what exported symbols reach
 * (docs/abi-surface.md). Each ELF side is read in a worker thread of its own (abi-worker.ts; the
 * two sides at once), which keeps its surface to answer for the paths of the changed types; a
 * JSON side is a saved `diff --abi` report (abi-side.ts).
 */
import { Worker } from 'node:worker_threads';
import { abiRegressions, diffAbi, type AbiSide } from '../diff/abi.js';
import type { FailOnKind } from '../diff/regressions.js';
import type { RootPath } from '../diff/surface.js';
import { parseSuppressions, parseSymbolList, type Suppressions } from '../diff/symbols.js';
import type { SourceOptions } from '../load/btf.js';
import { abiDiffJson, renderAbiTable, renderAbiText } from '../report/abi-diff.js';
import { isStructscopeError } from '../util/errors.js';
import { InputError, looksLikeJson, readBaselineSide, readText, type ElfSideTask, type ReadSide } from './abi-side.js';
import type { AbiWorkerMessage, AbiWorkerRequest } from './abi-worker.js';
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

/** A side being read: the side, and (ELF) the worker that answers for its paths. */
interface Pending {
  read: Promise<ReadSide>;
  paths?: (keys: string[]) => Promise<Map<string, RootPath[]>>;
  stop?: () => void;
}

/** Returns the exit code: 0, 1 a --fail-on regression, 2 an input could not be read. */
export async function runAbiDiff(args: AbiArgs, out: Output): Promise<number> {
  let list: string[] | undefined;
  let suppress: Suppressions | undefined;
  const pending: Pending[] = [];
  let sides: ReadSide[];
  try {
    if (args.symbols !== undefined) list = parseSymbolList(readText(args.symbols, '--symbols'));
    if (args.suppress !== undefined) suppress = suppressionsOf(args.suppress);
    for (const path of [args.old, args.new]) {
      if (looksLikeJson(path)) pending.push({ read: Promise.resolve(readBaselineSide(path, args.cachelineSize, list)) });
      else pending.push(elfSide({ path, cachelineSize: args.cachelineSize, ...(list ? { list } : {}), ...(suppress ? { stops: { types: [...suppress.types], members: [...suppress.members] } } : {}), ...(args.source ? { source: args.source } : {}) }));
    }
    sides = await Promise.all(pending.map((p) => p.read));
  } catch (e) {
    for (const p of pending) p.stop?.();
    if (e instanceof InputError || isStructscopeError(e)) {
      out.error(e.message);
      return 2;
    }
    throw e;
  }
  for (const [i, s] of sides.entries()) reportDiagnostics(out, [args.old, args.new][i]!, s.diagnostics, args.verbose);
  const opts = { ...(suppress ? { suppress } : {}), ...(list ? { symbolList: list } : {}) };
  const asSide = (r: ReadSide, paths?: Map<string, RootPath[]>): AbiSide => ({ ...r.side, ...(paths ? { pathsTo: (k: string) => paths.get(k) ?? [] } : {}) });
  // the changed types first, then their paths from the workers that keep the surfaces
  const keys = diffAbi(asSide(sides[0]!), asSide(sides[1]!), opts).types.map((t) => `${t.kind} ${t.name}`);
  const paths = await Promise.all(pending.map((p) => p.paths?.(keys)));
  for (const p of pending) p.stop?.();
  const d = diffAbi(asSide(sides[0]!, paths[0]), asSide(sides[1]!, paths[1]), opts);
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

/** Read an ELF side in a worker thread; the worker stays to answer for paths until stopped. */
function elfSide(task: ElfSideTask): Pending {
  const w = new Worker(new URL('./abi-worker.js', import.meta.url), { workerData: task });
  let answer: ((m: Map<string, RootPath[]>) => void) | undefined;
  const read = new Promise<ReadSide>((resolve, reject) => {
    w.on('message', (m: AbiWorkerMessage) => {
      if (m.type === 'side') resolve(m.side);
      else if (m.type === 'error') reject(new InputError(m.message));
      else answer?.(new Map(m.paths));
    });
    w.on('error', reject);
  });
  return {
    read,
    paths: (keys) =>
      new Promise((resolve) => {
        answer = resolve;
        w.postMessage({ type: 'paths', keys } satisfies AbiWorkerRequest);
      }),
    stop: () => void w.terminate(),
  };
}

function suppressionsOf(path: string): Suppressions {
  try {
    return parseSuppressions(readText(path, '--suppress'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--suppress ${path}: ${(e as Error).message}`);
  }
}
