#!/usr/bin/env node
// Opt-in fuzzing (not CI): the property-based tests of test/load/property.test.ts with many more
// cases. Generated DWARF units, ELF files and JSON reports; a failure is shrunk by fast-check to a
// minimal counterexample, printed with its seed and path so it can be replayed.
//   npm run fuzz [-- RUNS [SEED]]      (RUNS per property, default 20000)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 20000);
const seed = process.argv[3] ?? String(Date.now() % 2 ** 31);
if (!(runs > 0)) {
  console.error('bench/fuzz.mjs: RUNS must be a positive number');
  process.exit(1);
}
console.log(`fuzz: ${runs} runs per property (3 properties), seed ${seed}`);
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/load/property.test.ts', '--testTimeout', '0'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, STRUCTSCOPE_FUZZ_RUNS: String(runs), STRUCTSCOPE_FUZZ_SEED: seed },
  maxBuffer: 256 << 20,
});
const out = `${r.stdout}${r.stderr}`;
const seconds = ((Date.now() - t0) / 1000).toFixed(0);
const findings = [...out.matchAll(/Property failed after (\d+) tests?\s*\{ seed: (-?\d+), path: "([^"]*)"/g)];
console.log(`fuzz: ${3 * runs} cases in ${seconds} s, ${findings.length} finding(s)`);
for (const f of findings) console.log(`  failed after ${f[1]} cases: seed ${f[2]}, path ${f[3]}`);
if (r.status !== 0) {
  console.log(out.split('\n').filter((l) => /Counterexample|Property failed|Error|expected/.test(l)).slice(0, 40).join('\n'));
}
process.exit(r.status ?? 1);
