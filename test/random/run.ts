/**
 * Generate, build and compare: seeds on a set of targets, per-type verdicts. The reference is
 * pahole 1.24 on the real cross build (structscope `show --pahole 1.24` of it where pahole is
 * absent); the prediction is `show x86_64.o --target T --cacheline-size 64 --pahole 1.24`.
 * Also a command line (bench/predict.mjs runs it through tsx):
 *   tsx test/random/run.ts --seeds 1-40 [--targets i386,arm] [--count 8] [--show wrong,aligned-text,unpredictable,over,pahole] [--pahole]
 * Two tables: without the sources (every attribute DWARF cannot show is a candidate) and with
 * `--source-dir` (only those the C definitions declare).
 *   tsx test/random/run.ts --seeds 4 --emit DIR     (write DIR/s4.c only)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareOutputs, compile, CROSS_TARGETS, hasCompiler, perFile, type CrossTarget, type TypeResult, type Verdict } from './compare.js';
import { generate } from './structgen.js';

const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/main.cjs');

function show(files: readonly string[], args: readonly string[], env: Record<string, string> = {}): Map<string, string> {
  const r = spawnSync(process.execPath, [CLI, ...files, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, STRUCTSCOPE_INDEX_BACKGROUND: '0', STRUCTSCOPE_CACHE_DIR: join(tmpdir(), 'structscope-random-cache'), ...env },
  });
  if (r.status !== 0) throw new Error(`structscope ${files.join(' ')} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return files.length === 1 ? new Map([[files[0]!, r.stdout]]) : perFile(r.stdout);
}

let paholeFound: boolean | undefined;
/** pahole 1.24 (Debian 12's) on PATH. */
export function hasPahole124(): boolean {
  paholeFound ??= /^v1\.24\b/.test(spawnSync('pahole', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return paholeFound;
}

export interface SeedResult {
  seed: number;
  arch: string;
  results: TypeResult[];
  /** The same with `--source-dir` (the generated C at hand). */
  sourced: TypeResult[];
  /** Blocks where structscope's show of the real build differs from pahole 1.24 (reference check). */
  paholeDiffers?: string[];
}

export interface RunOptions {
  /** Aggregates per seed (default 8). */
  count?: number;
  /** Also compare structscope's show of the real build with pahole 1.24. */
  paholeCheck?: boolean;
}

/** Seeds on the given targets (those without a compiler are the caller's to skip): one `show` per target and mode. */
export function runSeeds(seeds: readonly number[], targets: readonly CrossTarget[], options: RunOptions = {}): SeedResult[] {
  const count = options.count ?? 8;
  const dir = mkdtempSync(join(tmpdir(), 'structgen-'));
  try {
    const sources = seeds.map((seed) => generate(seed, count));
    const x86 = sources.map((src) => compile(dir, `s${src.seed}-x86_64`, src.c, 'gcc', []));
    const pahole = hasPahole124();
    const out: SeedResult[] = [];
    for (const t of targets) {
      const objs = sources.map((src) => compile(dir, `s${src.seed}-${t.arch}`, src.c, t.cc, t.flags));
      const args = ['--target', t.arch, '--cacheline-size', '64', '--pahole', '1.24'];
      const predicted = show(x86, args);
      const guessed = show(x86, args, { STRUCTSCOPE_PREDICT_GUESSES: '1' });
      const sourced = show(x86, [...args, '--source-dir', dir]);
      const shown = !pahole || options.paholeCheck ? show(objs, ['--pahole', '1.24']) : undefined;
      sources.forEach((src, k) => {
        const real = pahole ? paholeOf(objs[k]!) : shown!.get(objs[k]!)!;
        const guess = guessed.get(x86[k]!)!;
        const r: SeedResult = {
          seed: src.seed,
          arch: t.arch,
          results: compareOutputs(src.types, predicted.get(x86[k]!)!, real, guess),
          sourced: compareOutputs(src.types, sourced.get(x86[k]!)!, real, guess),
        };
        if (pahole && options.paholeCheck) {
          r.paholeDiffers = compareOutputs(src.types, shown!.get(objs[k]!)!, real)
            .filter((x) => x.verdict !== 'identical')
            .map((x) => `${x.key}\n${x.detail}`);
        }
        out.push(r);
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function paholeOf(obj: string): string {
  const p = spawnSync('pahole', [obj], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (p.status !== 0) throw new Error(`pahole ${obj}: exit ${p.status}: ${p.stderr}`);
  return p.stdout;
}

function parseRange(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a!; i <= (b ?? a!); i++) out.push(i);
  }
  return out;
}

/** One table row: identical / flagged (of which the guess was right) / wrong unflagged. */
interface Row {
  types: number;
  identical: number;
  flagged: number;
  flaggedRight: number;
  wrong: number;
  alignedText: number;
}

function tallyRow(rows: Map<string, Row>, arch: string, results: readonly TypeResult[]): void {
  const row = rows.get(arch) ?? { types: 0, identical: 0, flagged: 0, flaggedRight: 0, wrong: 0, alignedText: 0 };
  rows.set(arch, row);
  for (const t of results) {
    row.types++;
    if (t.verdict === 'identical') row.identical++;
    else if (t.verdict === 'unpredictable') {
      row.flagged++;
      if (t.guess === 'right') row.flaggedRight++;
    } else {
      row.wrong++;
      if (t.verdict === 'aligned-text') row.alignedText++;
    }
  }
}

function printTable(title: string, rows: Map<string, Row>): void {
  console.log(`\n${title}\n`);
  console.log('| target | identical | flagged unpredictable | of those, guess was right | wrong, not flagged | (of which only __aligned__ text) |');
  console.log('|---|---|---|---|---|---|');
  const sum: Row = { types: 0, identical: 0, flagged: 0, flaggedRight: 0, wrong: 0, alignedText: 0 };
  for (const [arch, r] of rows) {
    console.log(`| ${arch} | ${r.identical}/${r.types} | ${r.flagged} | ${r.flaggedRight} | ${r.wrong} | ${r.alignedText} |`);
    for (const k of Object.keys(sum) as (keyof Row)[]) sum[k] += r[k];
  }
  console.log(`| all | ${sum.identical}/${sum.types} | ${sum.flagged} | ${sum.flaggedRight} | ${sum.wrong} | ${sum.alignedText} |`);
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seeds = parseRange(arg('seeds') ?? '1-10');
  const count = Number(arg('count') ?? 8);
  if (arg('emit') !== undefined) {
    // --emit DIR: only write SEED.c files (to reproduce a case by hand)
    for (const seed of seeds) writeFileSync(join(arg('emit')!, `s${seed}.c`), generate(seed, count).c);
    return;
  }
  const wanted = arg('targets')?.split(',');
  const showKinds = new Set((arg('show') ?? '').split(',').filter(Boolean));
  const targets = CROSS_TARGETS.filter((t) => (!wanted || wanted.includes(t.arch)) && hasCompiler(t));
  const skipped = CROSS_TARGETS.filter((t) => (!wanted || wanted.includes(t.arch)) && !targets.includes(t)).map((t) => `${t.arch} (no ${t.cc})`);
  if (skipped.length) console.error(`skipped: ${skipped.join(', ')}`);
  if (!hasPahole124()) console.error('pahole 1.24 not found: the reference is structscope show of the real builds');
  const rows = new Map<string, Row>();
  const sourcedRows = new Map<string, Row>();
  const reasons = new Map<string, number>();
  let paholeDiff = 0;
  for (const r of runSeeds(seeds, targets, { count, paholeCheck: argv.includes('--pahole') })) {
    tallyRow(rows, r.arch, r.results);
    tallyRow(sourcedRows, r.arch, r.sourced);
    for (const t of r.results) {
      if (t.verdict === 'unpredictable') {
        const general = t.detail!.replace(/\b[sn]\d+_?\d*\b|\bm\d+\b|\bf\d+\b|#\d+/g, 'X');
        const k = `${r.arch}: ${general}${t.guess === 'right' ? ' [guess right]' : ''}`;
        reasons.set(k, (reasons.get(k) ?? 0) + 1);
        if (showKinds.has('over') && t.guess === 'right') console.log(`## seed ${r.seed} ${r.arch} ${t.key} over-flagged: ${t.detail}`);
      }
      if (showKinds.has(t.verdict)) console.log(`## seed ${r.seed} ${r.arch} ${t.key} ${t.verdict}\n${t.detail}`);
    }
    for (const t of r.sourced) {
      if (showKinds.has(`sourced-${t.verdict}`)) console.log(`## seed ${r.seed} ${r.arch} ${t.key} --source-dir ${t.verdict}\n${t.detail}`);
      if (showKinds.has('sourced-over') && t.guess === 'right') console.log(`## seed ${r.seed} ${r.arch} ${t.key} --source-dir over-flagged: ${t.detail}`);
    }
    paholeDiff += r.paholeDiffers?.length ?? 0;
    for (const d of r.paholeDiffers ?? []) if (showKinds.has('pahole')) console.log(`## seed ${r.seed} ${r.arch} show != pahole: ${d}`);
  }
  const what = `seeds ${arg('seeds') ?? '1-10'} × ${count} types, against ${hasPahole124() ? 'pahole 1.24' : 'show'} of the real builds`;
  printTable(`show --target T, ${what}`, rows);
  printTable(`show --target T --source-dir DIR, ${what}`, sourcedRows);
  if (argv.includes('--pahole')) console.log(`\nblocks where show of the real build differs from pahole 1.24: ${paholeDiff}`);
  if (reasons.size) {
    console.log('\nflagged unpredictable, by reason:');
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
