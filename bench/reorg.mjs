#!/usr/bin/env node
// Opt-in (not CI): `structscope reorg` on every struct of a file against `pahole --packable`.
//   npm run build && node bench/reorg.mjs [FILE]     (default: the kernel's vmlinux in bench/cache)
// Prints: structs, how many shrink, bytes saved, moves per shrinking struct, structs at their
// lower bound, and pahole's claims (how many of its sizes are below the lower bound, i.e. impossible).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const file = process.argv[2] ?? join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
if (!existsSync(file)) {
  console.error(`bench/reorg.mjs: ${file} not found (run npm run bench once to fetch the kernel debug package)`);
  process.exit(2);
}

let t0 = Date.now();
const ours = spawnSync(process.execPath, [join(root, 'dist/cli/main.cjs'), 'reorg', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (ours.status !== 0) {
  console.error(ours.stderr);
  process.exit(1);
}
const oursSecs = (Date.now() - t0) / 1000;
t0 = Date.now();
const pahole = spawnSync('pahole', ['-F', 'dwarf', '--packable', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
const paholeSecs = (Date.now() - t0) / 1000;

const types = JSON.parse(ours.stdout).files[0].types;
// first definition per name, as pahole prints
const byName = new Map();
for (const t of types) if (t.name && !byName.has(t.name)) byName.set(t.name, t);
const done = [...byName.values()].filter((t) => t.reorganized);
const shrink = done.filter((t) => t.saved > 0);
const moves = shrink.map((t) => t.moves.length).sort((a, b) => a - b);
const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const refused = [...byName.values()].filter((t) => !t.reorganized);
const reasons = new Map();
for (const t of refused) reasons.set(t.reason.replace(/:.*/, ''), (reasons.get(t.reason.replace(/:.*/, '')) ?? 0) + 1);

const packable = new Map();
for (const line of pahole.stdout.split('\n')) {
  const [name, size, newSize] = line.split('\t');
  if (name && !packable.has(name)) packable.set(name, { size: Number(size), newSize: Number(newSize) });
}
let pBytes = 0, impossible = 0, impossibleBytes = 0, oursSmaller = 0, oursLarger = [];
for (const [name, p] of packable) {
  pBytes += p.size - p.newSize;
  const t = byName.get(name);
  if (!t?.reorganized) continue;
  // impossible: below roundup(sum of sizes, alignment), or below the minimum an exhaustive search proved
  const floor = t.minimal === 'exhaustive' ? t.newSize : t.lowerBound;
  if (p.newSize < floor) {
    impossible++;
    impossibleBytes += floor - p.newSize;
  }
  if (t.newSize < p.newSize) oursSmaller++;
  if (t.newSize > p.newSize && p.newSize >= floor) oursLarger.push(`${name} ${t.newSize} > ${p.newSize}`);
}
console.log(`file: ${file}`);
console.log(`structscope reorg: ${oursSecs.toFixed(1)} s; pahole --packable: ${paholeSecs.toFixed(1)} s`);
console.log(`structs (distinct names): ${byName.size}; reorganized ${done.length}; refused ${refused.length}`);
for (const [r, n] of reasons) console.log(`  refused: ${n} × ${r}`);
console.log(`structscope: ${shrink.length} shrink, ${sum(shrink.map((t) => t.saved))} bytes saved in total`);
console.log(`  moves per shrinking struct: total ${sum(moves)}, mean ${(sum(moves) / Math.max(1, moves.length)).toFixed(2)}, median ${moves[Math.floor(moves.length / 2)] ?? 0}, max ${moves[moves.length - 1] ?? 0}`);
console.log(`  at the lower bound: ${done.filter((t) => t.minimal === 'lower-bound').length}, proven minimal by exhaustive search: ${done.filter((t) => t.minimal === 'exhaustive').length}, unproven: ${done.filter((t) => t.minimal === 'unproven').length}`);
console.log(`pahole --packable: ${packable.size} structs, ${pBytes} bytes claimed`);
console.log(`  pahole sizes below the lower bound or the proven minimum (impossible): ${impossible} structs, ${impossibleBytes} bytes`);
console.log(`  structscope smaller than pahole: ${oursSmaller}; larger where pahole's size is not provably impossible: ${oursLarger.length}`);
for (const l of oursLarger.slice(0, 20)) console.log(`    ${l}`);
