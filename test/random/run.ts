/**
 * Generate, build and compare: one seed on a set of targets. Returns per-type verdicts.
 * Also a command line (bench/predict.mjs runs it through tsx):
 *   tsx test/random/run.ts --seeds 1-40 [--targets i386,arm] [--count 8] [--show wrong,aligned-text,pahole] [--pahole]
 *   tsx test/random/run.ts --seeds 4 --emit DIR     (write DIR/s4.c only)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareOutputs, compile, CROSS_TARGETS, hasCompiler, type CrossTarget, type TypeResult, type Verdict } from './compare.js';
import { generate } from './structgen.js';

const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/main.js');

function show(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, STRUCTSCOPE_INDEX_BACKGROUND: '0', STRUCTSCOPE_CACHE_DIR: join(tmpdir(), 'structscope-random-cache') },
  });
  if (r.status !== 0) throw new Error(`structscope ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export interface SeedResult {
  seed: number;
  arch: string;
  results: TypeResult[];
  /** The same with `--strict` (attributes DWARF cannot show flagged). */
  strict: TypeResult[];
  /** Blocks where structscope's show of the real build differs from pahole 1.24 (reference check). */
  paholeDiffers?: string[];
}

/** One seed on the given targets (those without a compiler are skipped by the caller). */
export function runSeed(seed: number, targets: readonly CrossTarget[], count = 8, pahole = false): SeedResult[] {
  const src = generate(seed, count);
  const dir = mkdtempSync(join(tmpdir(), `structgen-${seed}-`));
  try {
    const x86 = compile(dir, 'x86_64', src.c, 'gcc', []);
    return targets.map((t) => {
      const obj = compile(dir, t.arch, src.c, t.cc, t.flags);
      const predicted = show(x86, '--target', t.arch, '--cacheline-size', '64');
      const real = show(obj);
      const strict = show(x86, '--target', t.arch, '--cacheline-size', '64', '--strict');
      const out: SeedResult = { seed, arch: t.arch, results: compareOutputs(src.types, predicted, real), strict: compareOutputs(src.types, strict, real) };
      if (pahole) {
        const p = spawnSync('pahole', [obj], { encoding: 'utf8', maxBuffer: 64 << 20 });
        if (p.status === 0) {
          out.paholeDiffers = compareOutputs(src.types, real, p.stdout)
            .filter((r) => r.verdict !== 'identical')
            .map((r) => `${r.key}\n${r.detail}`);
        }
      }
      return out;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseRange(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a!; i <= (b ?? a!); i++) out.push(i);
  }
  return out;
}

function main(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seeds = parseRange(arg('seeds') ?? '1-10');
  if (arg('emit') !== undefined) {
    // --emit DIR: only write SEED.c files (to reproduce a case by hand)
    for (const seed of seeds) writeFileSync(join(arg('emit')!, `s${seed}.c`), generate(seed, Number(arg('count') ?? 8)).c);
    return;
  }
  const wanted = arg('targets')?.split(',');
  const count = Number(arg('count') ?? 8);
  const showKinds = new Set((arg('show') ?? '').split(',').filter(Boolean));
  const targets = CROSS_TARGETS.filter((t) => (!wanted || wanted.includes(t.arch)) && hasCompiler(t));
  const skipped = CROSS_TARGETS.filter((t) => (!wanted || wanted.includes(t.arch)) && !targets.includes(t)).map((t) => `${t.arch} (no ${t.cc})`);
  if (skipped.length) console.error(`skipped: ${skipped.join(', ')}`);
  const tally = new Map<string, Record<Verdict, number>>();
  const strictTally = new Map<string, Record<Verdict, number>>();
  const reasons = new Map<string, number>();
  let paholeDiff = 0;
  for (const seed of seeds) {
    for (const r of runSeed(seed, targets, count, argv.includes('--pahole'))) {
      const row = tally.get(r.arch) ?? { identical: 0, 'aligned-text': 0, wrong: 0, unpredictable: 0 };
      tally.set(r.arch, row);
      const srow = strictTally.get(r.arch) ?? { identical: 0, 'aligned-text': 0, wrong: 0, unpredictable: 0 };
      strictTally.set(r.arch, srow);
      for (const t of r.strict) {
        srow[t.verdict]++;
        if (showKinds.has(`strict-${t.verdict}`)) console.log(`## seed ${seed} ${r.arch} ${t.key} strict ${t.verdict}\n${t.detail}`);
      }
      for (const t of r.results) {
        row[t.verdict]++;
        if (t.verdict === 'unpredictable') {
          const general = t.detail!.replace(/^[^:]*: /, '').replace(/\b[sn]\d+_?\d*\b|\bm\d+\b|f\d+/g, 'X');
          reasons.set(`${r.arch}: ${general}`, (reasons.get(`${r.arch}: ${general}`) ?? 0) + 1);
        }
        if (showKinds.has(t.verdict)) console.log(`## seed ${seed} ${r.arch} ${t.key} ${t.verdict}\n${t.detail}`);
      }
      paholeDiff += r.paholeDiffers?.length ?? 0;
      for (const d of r.paholeDiffers ?? []) if (showKinds.has('pahole')) console.log(`## seed ${seed} ${r.arch} show != pahole: ${d}`);
    }
  }
  for (const [title, t] of [['show --target T', tally], ['show --target T --strict', strictTally]] as const) {
    console.log(`\n${title}, ${seeds.length} seeds × ${count} types\n`);
    console.log('| target | identical | same offsets, different __aligned__ text | wrong layout | flagged unpredictable |');
    console.log('|---|---|---|---|---|');
    for (const [arch, row] of t) {
      const total = row.identical + row['aligned-text'] + row.wrong + row.unpredictable;
      console.log(`| ${arch} | ${row.identical}/${total} | ${row['aligned-text']} | ${row.wrong} | ${row.unpredictable} |`);
    }
  }
  if (argv.includes('--pahole')) console.log(`\nblocks where show of the real build differs from pahole 1.24: ${paholeDiff}`);
  if (reasons.size) {
    console.log('\nunpredictable, by reason:');
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
