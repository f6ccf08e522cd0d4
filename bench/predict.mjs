#!/usr/bin/env node
// Opt-in benchmark (not CI): `show --target T` on randomly generated structs against pahole 1.24
// on real gcc 12 cross builds, block by block, for many seeds and every target with a compiler.
//   npm run build && node bench/predict.mjs [--seeds 1-100] [--targets i386,m68k] [--count 8]
//        [--show wrong,aligned-text,over,sourced-wrong,sourced-over,pahole] [--pahole]
// Prints the table of issue 18 per target (identical / flagged unpredictable / of those, the guess
// was right (over-flagged) / wrong and not flagged) for `show --target T` and for
// `show --target T --source-dir DIR`, and the reasons for unpredictable. Compilers: apt-get install
// gcc-12-{i686,x86-64-x32,aarch64,arm,s390x,mips,m68k,riscv64,powerpc64,powerpc64le}-linux-gnu*.
// The generator and comparison live in test/random/ (TypeScript, run by tsx).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/cli/main.cjs'))) {
  console.error('bench/predict.mjs: run `npm run build` first');
  process.exit(1);
}
const args = process.argv.slice(2);
if (!args.includes('--seeds')) args.push('--seeds', '1-100');
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/random/run.ts'), ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
