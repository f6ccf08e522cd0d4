/**
 * `show --target T` on randomly generated structs (test/random/structgen.ts, fixed seeds): each
 * source is compiled with gcc for x86_64 and with the cross compiler of T, and every predicted
 * block is compared with pahole 1.24 on the real T build (structscope `show --pahole 1.24` of it
 * where pahole is absent). Every block must be identical or flagged unpredictable with a reason:
 * the default output is never silently wrong. Many more seeds and targets: bench/predict.mjs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CI_TARGETS, CROSS_TARGETS, hasCompiler } from '../random/compare.js';
import { runSeeds } from '../random/run.js';
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

describe('show --target on random structs: identical to the real cross build or flagged', () => {
  for (const arch of CI_TARGETS) {
    const target = CROSS_TARGETS.find((t) => t.arch === arch)!;
    const present = hasGcc && hasCompiler(target);
    it.skipIf(!present)(`${arch}${present ? '' : ` (skipped: ${target.cc} not installed)`}`, () => {
      const rows = { plain: { target: arch, mode: 'plain', types: 0, identical: 0, flagged: 0, 'flagged, guess right': 0 } };
      const sourced = { ...rows.plain, mode: '--source-dir' };
      const problems: string[] = [];
      for (const r of runSeeds(SEEDS, [target])) {
        for (const [row, results, mode] of [[rows.plain, r.results, ''], [sourced, r.sourced, ' (--source-dir)']] as const) {
          for (const res of results) {
            row.types++;
            if (res.verdict === 'identical') row.identical++;
            else if (res.verdict === 'unpredictable') {
              row.flagged++;
              if (res.guess === 'right') row['flagged, guess right']++;
              expect(res.detail!.length, res.key).toBeGreaterThan(10);
            } else problems.push(`seed ${r.seed} ${res.key}${mode}: ${res.verdict}\n${res.detail}`);
          }
        }
      }
      table.push(rows.plain, sourced);
      // Never silently wrong, with or without the sources.
      expect(problems).toEqual([]);
      // The sources rule out what they do not declare: fewer flags, none wrong.
      expect(sourced.flagged).toBeLessThanOrEqual(rows.plain.flagged);
      expect(sourced.identical).toBeGreaterThan(sourced.types / 3);
    }, 120_000);
  }
});
