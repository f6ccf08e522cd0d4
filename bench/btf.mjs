#!/usr/bin/env node
// Opt-in benchmark (not CI): structscope (the bundled CLI, dist/cli/main.cjs) reading the running
// kernel's BTF (/sys/kernel/btf/vmlinux, no FILE argument) against pahole 1.31, pahole 1.24
// (/usr/bin/pahole) and `node -e 0`, runs interleaved, medians of --runs N (default 5), with user+sys
// CPU beside the wall time (on a shared machine the wall includes waiting for a CPU). Also Debian's
// vmlinux .BTF section (-F btf) when the bench cache has it.
//   npm run build && npm run bench:btf [-- --runs 5]
// Targets (issue 15): the whole dump at most pahole 1.31's wall; -C task_struct at most 2 × node -e 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const CLI = join(root, 'dist/cli/main.cjs');
const BTF = '/sys/kernel/btf/vmlinux';
const P131 = process.env.PAHOLE131 ?? `${process.env.HOME}/.cache/pahole-1.31/pahole`;
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const DEBIAN = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');

if (!existsSync(BTF)) {
  console.log(`bench/btf.mjs: no ${BTF} on this machine: nothing to measure`);
  process.exit(0);
}

/** Wall time (s), user+sys CPU (s) and peak RSS (MB) of one command (stdout discarded), via GNU time. */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { wall: Number(last[0]), cpu: Number(last[1]) + Number(last[2]), rss: Number(last[3]) / 1024 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (m) => `${m.wall.toFixed(3).padStart(7)} s wall ${m.cpu.toFixed(3).padStart(7)} s cpu ${m.rss.toFixed(0).padStart(5)} MB`;

/** One row: every command once per round, rounds interleaved so all see the same machine. */
function row(label, commands) {
  const results = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach(([, cmd, args], k) => results[k].push(measure(cmd, args)));
  const meds = results.map((xs) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), rss: median(xs.map((x) => x.rss)) }));
  console.log(`${label}\n${commands.map(([name], k) => `  ${name.padEnd(26)} ${fmt(meds[k])}`).join('\n')}`);
  return meds;
}

const ours = (...args) => ['structscope', process.execPath, [CLI, ...args]];
const pahole131 = (...args) => ['pahole 1.31', P131, args];
const pahole124 = (...args) => ['pahole 1.24', '/usr/bin/pahole', args];
const node0 = ['node -e 0', process.execPath, ['-e', '0']];
const has131 = existsSync(P131);
if (!existsSync(CLI)) {
  console.log(`bench/btf.mjs: ${CLI} is missing: npm run build first`);
  process.exit(1);
}
if (!has131) console.log(`(no pahole 1.31 at ${P131}: bash fixtures/tools/pahole-upstream/build.sh builds it)`);

console.log(`structscope BTF bench: ${runs} runs, medians, interleaved (load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
const full = row(`whole dump of ${BTF} (no FILE)`, [ours(), ...(has131 ? [pahole131('-F', 'btf', BTF)] : []), pahole124('-F', 'btf', BTF), node0]);
if (has131) console.log(`  target: structscope ≤ pahole 1.31: ${full[0].wall <= full[1].wall ? 'met' : `missed (×${(full[0].wall / full[1].wall).toFixed(2)})`}`);
const one = row('-C task_struct (no FILE)', [ours('-C', 'task_struct'), ...(has131 ? [pahole131('-F', 'btf', '-C', 'task_struct', BTF)] : []), pahole124('-F', 'btf', '-C', 'task_struct', BTF), node0]);
const n0 = one[one.length - 1].wall;
console.log(`  target: structscope ≤ 2 × node -e 0: ${one[0].wall <= 2 * n0 ? 'met' : `missed (×${(one[0].wall / n0).toFixed(2)} of node -e 0)`}`);
if (existsSync(DEBIAN)) row(`Debian vmlinux-6.1.0-47 .BTF (-F btf), whole dump`, [ours('-F', 'btf', DEBIAN), ...(has131 ? [pahole131('-F', 'btf', DEBIAN)] : []), pahole124('-F', 'btf', DEBIAN)]);
