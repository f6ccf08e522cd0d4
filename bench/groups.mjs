#!/usr/bin/env node
// Opt-in (not CI): kernel cacheline groups (issue 16) on real kernels.
//   npm run build && node bench/groups.mjs [--groups FILE...] [--reorg FILE] [--max-moves N]
// (1) Group report for every struct with __cacheline_group_begin/end markers of each --groups FILE
//     (default: the running kernel's BTF /sys/kernel/btf/vmlinux, then Debian's 6.1 vmlinux from
//     bench/cache): per struct its groups, how many span more cachelines than their size needs,
//     and how many members of other groups share their cachelines. Any file structscope can read
//     works; a file it cannot read (BTF before the BTF loader exists) is named with the error.
//     Groups appeared in Linux 6.8: Debian's 6.1 has none (the script says so).
// (2) `structscope reorg --max-moves N` (default 8) over every struct of --reorg FILE (default
//     Debian's vmlinux): structs that shrink, bytes saved, how much more a larger budget would
//     save, and a check of every proposal: group markers and cacheline-aligned members keep their
//     order, and no member leaves its group.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const DEBIAN = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
const BTF = '/sys/kernel/btf/vmlinux';

const argv = process.argv.slice(2);
const values = (name) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const out = [];
  for (let k = i + 1; k < argv.length && !argv[k].startsWith('--'); k++) out.push(argv[k]);
  return out;
};
const groupFiles = values('--groups') ?? [BTF, DEBIAN];
const reorgFile = values('--reorg')?.[0] ?? DEBIAN;
const maxMoves = Number(values('--max-moves')?.[0] ?? 8);

if (!existsSync(join(root, 'dist/cli/main.cjs'))) {
  console.error('bench/groups.mjs: run `npm run build` first');
  process.exit(1);
}
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { loadFile } = await dist('load/index.js');
const { abiForElf } = await dist('layout/abi/index.js');
const { aggregateGroups, groupMarker } = await dist('layout/groups.js');
const { selectTypes } = await dist('report/select.js');

// ------------------------------------------------------------------ (1) group reports
console.log('## Cacheline groups\n');
for (const path of groupFiles) {
  if (!existsSync(path)) {
    console.log(`${path}: not found\n`);
    continue;
  }
  const t0 = Date.now();
  let file;
  try {
    file = loadFile(path);
  } catch (e) {
    console.log(`${path}: cannot be read yet: ${e.message.split('\n')[0]}\n`);
    continue;
  }
  const abi = abiForElf(file.info.machine, file.info.elfClass, file.info.littleEndian, file.info.flags);
  const line = abi?.cachelineSize ?? 64;
  const rows = [];
  for (const id of selectTypes(file.table, { structs: true }).ids) {
    const t = file.table.get(id);
    const report = aggregateGroups(t, line);
    if (!report?.groups.length) continue;
    const spread = report.groups.filter((g) => g.cachelines > g.minCachelines);
    rows.push({
      name: t.name ?? '(anonymous)',
      size: t.size,
      groups: report.groups.length,
      spread: spread.map((g) => `${g.name} (${g.cachelines} lines, needs ${g.minCachelines})`),
      sharing: report.groups.reduce((s, g) => s + g.sharing.length, 0),
      unpaired: report.unpaired,
    });
  }
  console.log(`${path}: ${rows.length} structs with cacheline groups (${line}-byte cachelines; read in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (!rows.length) console.log('  none: the markers came with Linux 6.8');
  for (const r of rows) {
    console.log(`  struct ${r.name} (${r.size} bytes): ${r.groups} groups, ${r.spread.length} spread, ${r.sharing} members of other groups in their cachelines${r.unpaired.length ? `, unpaired: ${r.unpaired.join(', ')}` : ''}`);
    for (const s of r.spread) console.log(`    spread: ${s}`);
  }
  console.log('');
}

// ------------------------------------------------------------------ (2) reorg with a budget
console.log(`## reorg --max-moves ${maxMoves}\n`);
if (!existsSync(reorgFile)) {
  console.log(`${reorgFile}: not found (run npm run bench once, or set STRUCTSCOPE_BENCH_CACHE)`);
  process.exit(0);
}
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.cjs'), 'reorg', reorgFile, '--format', 'json', '--max-moves', String(maxMoves)], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const secs = (Date.now() - t0) / 1000;
const byName = new Map();
for (const t of JSON.parse(r.stdout).files[0].types) if (t.name && !byName.has(t.name)) byName.set(t.name, t);
const done = [...byName.values()].filter((t) => t.reorganized);
const shrink = done.filter((t) => t.saved > 0);
const sum = (xs) => xs.reduce((s, x) => s + x, 0);

// every proposal: markers and kept members in their order, no member out of its group
const broken = [];
let grouped = 0;
let kept = 0;
for (const t of done) {
  if (!t.moves.length) continue;
  const original = [...t.members].sort((a, b) => a.originalIndex - b.originalIndex);
  const fixed = new Set(t.kept ?? []);
  if (fixed.size) kept++;
  if (original.some((m) => groupMarker(m.name ?? undefined))) grouped++;
  const groupOf = (list) => {
    let open = '';
    return list.map((m) => {
      const mk = groupMarker(m.name ?? undefined);
      if (mk?.kind === 'begin') open = mk.group;
      else if (mk?.kind === 'end') open = '';
      return `${m.originalIndex}:${open}`;
    });
  };
  const seq = (list) => list.filter((m) => fixed.has(m.name) || groupMarker(m.name ?? undefined)).map((m) => m.originalIndex).join(',');
  const before = new Set(groupOf(original));
  if (seq(t.members) !== seq(original) || groupOf(t.members).some((g) => !before.has(g))) broken.push(t.name);
}
const budget = done.filter((t) => t.budget);
const moves = shrink.map((t) => t.moves.length).sort((a, b) => a - b);
console.log(`${reorgFile} (${secs.toFixed(0)} s)`);
console.log(`  structs: ${byName.size}, reorganized: ${done.length}, shrink: ${shrink.length}, bytes saved: ${sum(shrink.map((t) => t.saved))}`);
console.log(`  moves per shrinking struct: median ${moves[Math.floor(moves.length / 2)] ?? 0}, max ${moves[moves.length - 1] ?? 0} (limit ${maxMoves})`);
console.log(`  a larger budget would save more on ${budget.length} structs: ${sum(budget.map((t) => t.budget.moreSaved))} bytes, with up to ${Math.max(0, ...budget.map((t) => t.budget.moves))} moves`);
console.log(`  proposals with moves in structs with group markers: ${grouped}; with kept (cacheline-aligned or marker) members: ${kept}`);
console.log(`  proposals breaking a group or moving a kept member: ${broken.length}${broken.length ? ` (${broken.slice(0, 10).join(', ')})` : ''}`);
const top = [...shrink].sort((a, b) => b.saved - a.saved).slice(0, 10);
console.log(`  largest savings: ${top.map((t) => `${t.name} ${t.oldSize}→${t.newSize} (${t.moves.length} moves)`).join('; ')}`);
process.exit(broken.length ? 1 : 0);
