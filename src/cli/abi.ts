/**
 * `structscope diff OLD NEW --abi`: the layout diff restricted to what exported symbols reach
 * (docs/abi-surface.md). The sides are read one after the other (abi-side.ts): an ELF file keeps
 * only its spelt surface for the paths of the changed types, so one type table is in memory at a
 * time (both at once, in worker threads, took 5.7 x a full dump's memory on vmlinux); a JSON side
 * is a saved `diff --abi` report.
 */
import { abiRegressions, diffAbi, type AbiSide } from '../diff/abi.js';
import type { FailOnKind } from '../diff/regressions.js';
import { parseSuppressions, parseSymbolList, type Suppressions } from '../diff/symbols.js';
import type { SourceOptions } from '../load/btf.js';
import { abiDiffJson, renderAbiTable, renderAbiText } from '../report/abi-diff.js';
import { isStructscopeError } from '../util/errors.js';
import { InputError, readBaselineSide, readElfSide, readText, type ReadSide } from './abi-side.js';
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
    for (const path of [args.old, args.new]) {
      sides.push(readSide(path, args, out, list, suppress));
      reportDiagnostics(out, path, sides[sides.length - 1]!.diagnostics, args.verbose);
    }
  } catch (e) {
    if (e instanceof InputError || isStructscopeError(e)) {
      out.error(e.message);
      return 2;
    }
    throw e;
  }
  const asSide = (r: ReadSide): AbiSide => ({ ...r.side, ...(r.pathsTo ? { pathsTo: r.pathsTo } : {}) });
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
  const stops = sup ? { stops: { types: [...sup.types], members: [...sup.members] } } : {};
  try {
    return readElfSide({ path, cachelineSize: args.cachelineSize, ...(list ? { list } : {}), ...stops, ...(args.source ? { source: args.source } : {}) }, out.progress);
  } finally {
    out.progressDone();
  }
}

function suppressionsOf(path: string): Suppressions {
  try {
    return parseSuppressions(readText(path, '--suppress'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--suppress ${path}: ${(e as Error).message}`);
  }
}
