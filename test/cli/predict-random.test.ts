/**
 * `show --target T` on randomly generated structs (test/random/structgen.ts, fixed seeds): each
 * source is compiled with gcc for x86_64 and with the cross compiler of T, and every predicted
 * block is compared with `show` of the real T build. With --strict every block must be identical
 * or flagged unpredictable with a reason; without it, every block that is not identical must be
 * one --strict flags (an attribute that leaves no trace in x86_64's DWARF). Many more seeds and
 * targets: bench/predict.mjs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CI_TARGETS, CROSS_TARGETS, hasCompiler } from '../random/compare.js';
import { runSeed } from '../random/run.js';
import { generate } from '../random/structgen.js';

const SEEDS = [1, 2, 3, 4, 5];
const hasGcc = hasCompiler({ arch: 'x86_64', cc: 'gcc', flags: [] });
const table: Record<string, string | number>[] = [];
afterAll(() => {
  if (table.length) console.table(table);
});

describe('the random struct generator', () => {
  it('is deterministic and covers the constructs', () => {
    expect(generate(7).c).toBe(generate(7).c);
    expect(generate(7).c).not.toBe(generate(8).c);
    const all = SEEDS.map((s) => generate(s).c).join('\n');
    for (const construct of [':0;', 'union {', 'struct {', 'long double', 'i128', 'void *', 'enum e_', 'aligned(', '__attribute__((packed', 'tail[];']) {
      expect(all, construct).toContain(construct);
    }
  });
});

describe('show --target on random structs matches the real cross builds', () => {
  for (const arch of CI_TARGETS) {
    const target = CROSS_TARGETS.find((t) => t.arch === arch)!;
    const present = hasGcc && hasCompiler(target);
    it.skipIf(!present)(`${arch}${present ? '' : ` (skipped: ${target.cc} not installed)`}`, () => {
      const row = { target: arch, types: 0, identical: 0, unpredictable: 0, 'identical (--strict)': 0, 'unpredictable (--strict)': 0 };
      const problems: string[] = [];
      for (const seed of SEEDS) {
        const [r] = runSeed(seed, [target]);
        r!.results.forEach((res, k) => {
          const strict = r!.strict[k]!;
          row.types++;
          if (res.verdict === 'identical') row.identical++;
          if (res.verdict === 'unpredictable') {
            row.unpredictable++;
            expect(res.detail!.length, res.key).toBeGreaterThan(10);
          }
          if (strict.verdict === 'identical') row['identical (--strict)']++;
          if (strict.verdict === 'unpredictable') row['unpredictable (--strict)']++;
          if (strict.verdict !== 'identical' && strict.verdict !== 'unpredictable') problems.push(`seed ${seed} ${res.key} (--strict): ${strict.verdict}\n${strict.detail}`);
          if (res.verdict !== 'identical' && res.verdict !== 'unpredictable' && strict.verdict !== 'unpredictable') {
            problems.push(`seed ${seed} ${res.key}: ${res.verdict} and not flagged by --strict\n${res.detail}`);
          }
        });
      }
      table.push(row);
      expect(problems).toEqual([]);
      // The prediction is useful: most blocks are predicted, and exactly.
      expect(row.identical).toBeGreaterThan(row.types / 2);
    }, 120_000);
  }
});
