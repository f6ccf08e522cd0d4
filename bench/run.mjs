#!/usr/bin/env node
// Opt-in benchmark (not CI): structscope against pahole 1.24 on Debian's real kernel debug info,
// side by side in the same run, medians of --runs N (default 3). Downloads and extracts
// linux-image-6.1.0-47-amd64-dbg once into bench/cache (or $STRUCTSCOPE_BENCH_CACHE).
//   npm run build && npm run bench [-- --runs 3] [-- --quick]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 3;
const quick = argv.includes('--quick');
// --parity-only: only the parity rows (byte comparison with pahole 1.24 and 1.31), no timings
const parityOnly = argv.includes('--parity-only');
const PKG = 'linux-image-6.1.0-47-amd64-dbg';
const VMLINUX = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
const MODULES = join(cache, 'usr/lib/debug/lib/modules/6.1.0-47-amd64/kernel');
const AMDGPU = join(MODULES, 'drivers/gpu/drm/amd/amdgpu/amdgpu.ko');
const CLI = join(root, 'dist/cli/main.js');
const indexDir = mkdtempSync(join(tmpdir(), 'structscope-bench-cache-'));
const env = { ...process.env, STRUCTSCOPE_CACHE_DIR: indexDir, STRUCTSCOPE_INDEX_BACKGROUND: '0' };
process.on('exit', () => rmSync(indexDir, { recursive: true, force: true }));

function ensureKernel() {
  if (existsSync(VMLINUX) && existsSync(AMDGPU)) return;
  mkdirSync(cache, { recursive: true });
  if (!readdirSync(cache).some((f) => f.endsWith('.deb'))) execFileSync('apt-get', ['download', PKG], { cwd: cache, stdio: 'inherit' });
  const deb = readdirSync(cache).find((f) => f.endsWith('.deb'));
  execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile '${deb}' | tar -x -C '${cache}'`], { cwd: cache, stdio: 'inherit' });
}

/** Wall time (s) and peak RSS (MB) of one command (stdout discarded), via GNU time. */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { wall: Number(last[0]), rss: Number(last[1]) / 1024, code: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = (args) => measure(process.execPath, [CLI, ...args]);
const theirs = (args) => measure('pahole', args);

function medianOf(fn) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(fn());
  return { wall: median(xs.map((x) => x.wall)), rss: median(xs.map((x) => x.rss)) };
}

const fmt = (m) => `${m.wall.toFixed(2).padStart(6)} s ${m.rss.toFixed(0).padStart(5)} MB`;

/** One row: structscope vs pahole (runs interleaved so both see the same machine). */
function compare(label, ourArgs, paholeArgs, targets = '') {
  const a = [], b = [];
  for (let i = 0; i < runs; i++) {
    a.push(ours(ourArgs));
    b.push(theirs(paholeArgs));
  }
  const ma = { wall: median(a.map((x) => x.wall)), rss: median(a.map((x) => x.rss)) };
  const mb = { wall: median(b.map((x) => x.wall)), rss: median(b.map((x) => x.rss)) };
  console.log(`${label.padEnd(40)} structscope ${fmt(ma)} | pahole ${fmt(mb)} | wall ×${(ma.wall / mb.wall).toFixed(2)} rss ×${(ma.rss / mb.rss).toFixed(2)}${targets ? `  (target ${targets})` : ''}`);
  return ma;
}

/** The first and last units' structs, from the type index a full run leaves behind. */
function firstAndLastStructs() {
  const dir = join(indexDir, 'index-v1');
  const file = readdirSync(dir).find((f) => f.endsWith('.idx'));
  const text = readFileSync(join(dir, file), 'utf8');
  const index = JSON.parse(text.slice(0, text.lastIndexOf('\n', text.length - 2)));
  const entries = Object.entries(index.names);
  const min = Math.min(...entries.map(([, u]) => u[0]));
  const max = Math.max(...entries.map(([, u]) => u[u.length - 1]));
  const first = entries.find(([, u]) => u[0] === min)[0];
  const last = entries.find(([, u]) => u.length === 1 && u[0] === max)[0];
  return { first, last, units: index.units.length };
}

ensureKernel();
if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
console.log(`median of ${runs} runs on ${(await import('node:os')).availableParallelism()} cores; ratios are structscope / pahole 1.24 (-F dwarf)`);
console.log(`vmlinux: ${VMLINUX}`);

if (!parityOnly) {
const dump = compare('vmlinux full dump vs pahole -j2', [VMLINUX], ['-F', 'dwarf', '-j2', VMLINUX], 'wall ≤ ×0.33, rss ≤ ×0.17');
compare('vmlinux full dump vs pahole', [VMLINUX], ['-F', 'dwarf', VMLINUX]);
compare('vmlinux full dump --jobs 1 vs pahole -j2', [VMLINUX, '--jobs', '1'], ['-F', 'dwarf', '-j2', VMLINUX]);
compare('vmlinux --sizes', [VMLINUX, '--sizes'], ['-F', 'dwarf', '--sizes', VMLINUX]);
const json = medianOf(() => ours([VMLINUX, '--format', 'json']));
console.log(`${'vmlinux --format json'.padEnd(40)} structscope ${fmt(json)} | text dump ${fmt(dump)} | json/text wall ×${(json.wall / dump.wall).toFixed(2)}  (target ≤ ×1.5)`);

// a full run wrote the type index; pick structs from the first and the last unit
const { first, last, units } = firstAndLastStructs();
console.log(`-C structs: '${first}' (first unit with structs), '${last}' (only in the last of ${units} units)`);
for (const [where, name] of [['first', first], ['last', last]]) {
  compare(`vmlinux -C ${name} cold (--no-cache)`, [VMLINUX, '-C', name, '--no-cache'], ['-F', 'dwarf', '-C', name, VMLINUX], '≤ 1 s');
  compare(`vmlinux -C ${name} with index`, [VMLINUX, '-C', name], ['-F', 'dwarf', '-C', name, VMLINUX], '≤ 0.25 s');
  void where;
}
compare('vmlinux -C task_struct with index', [VMLINUX, '-C', 'task_struct'], ['-F', 'dwarf', '-C', 'task_struct', VMLINUX]);

compare('amdgpu.ko full dump vs pahole -j2', [AMDGPU], ['-F', 'dwarf', '-j2', AMDGPU]);
compare('amdgpu.ko full dump vs pahole', [AMDGPU], ['-F', 'dwarf', AMDGPU]);
compare('virtio_net.ko full dump', [join(MODULES, 'drivers/net/virtio_net.ko')], ['-F', 'dwarf', join(MODULES, 'drivers/net/virtio_net.ko')]);
}

/** Split a pahole-format dump into its top-level blocks. */
function blocks(text) {
  const out = [];
  let cur = [];
  for (const line of text.split('\n')) {
    if (!line) {
      if (cur.length) cur.push(line);
      continue;
    }
    cur.push(line);
    if (line.startsWith('}')) {
      out.push(cur.join('\n'));
      cur = [];
    }
  }
  return out;
}

// pahole 1.31: $PAHOLE131, else what fixtures/tools/pahole-upstream/build.sh builds
const PAHOLE131 = process.env.PAHOLE131 ?? join((await import('node:os')).homedir(), '.cache/pahole-1.31/pahole');
const has131 = existsSync(PAHOLE131) && spawnSync(PAHOLE131, ['--version'], { encoding: 'utf8' }).stdout?.trim() === 'v1.31';

function parity(label, file, extra = [], dialect = '1.24') {
  const a = execFileSync(process.execPath, [CLI, file, ...extra, '--pahole', dialect], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const b = execFileSync(dialect === '1.31' ? PAHOLE131 : 'pahole', ['-F', 'dwarf', ...extra, file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (extra.length) {
    console.log(`${label.padEnd(40)} ${a === b ? 'byte-identical' : 'DIFFERENT'} (${b.split('\n').length - 1} lines)`);
    return;
  }
  const ours = blocks(a);
  const same = new Set(ours);
  const ref = blocks(b);
  const identical = ref.filter((x) => same.has(x)).length;
  console.log(`${label.padEnd(40)} ${a === b ? 'byte-identical' : 'DIFFERENT'}: pahole blocks ${ref.length}, identical ${identical}, structscope blocks ${ours.length}`);
}

const MODS = ['drivers/net/virtio_net.ko', 'fs/ext4/ext4.ko', 'fs/btrfs/btrfs.ko', 'net/mac80211/mac80211.ko', 'net/ipv4/tcp_bbr.ko', 'drivers/block/virtio_blk.ko', 'drivers/gpu/drm/i915/i915.ko'];
for (const dialect of ['1.24', '1.31']) {
  if (dialect === '1.31' && !has131) {
    console.log(`parity with pahole 1.31: skipped, ${PAHOLE131} not built (fixtures/tools/pahole-upstream/build.sh)`);
    continue;
  }
  const v = dialect === '1.31' ? ' (1.31)' : '';
  parity(`parity: vmlinux${v}`, VMLINUX, [], dialect);
  parity(`parity: vmlinux --sizes${v}`, VMLINUX, ['--sizes'], dialect);
  // pahole 1.31 --packable runs for many minutes on kernel objects
  if (!quick && dialect === '1.24') parity('parity: vmlinux --packable', VMLINUX, ['--packable'], dialect);
  parity(`parity: amdgpu.ko${v}`, AMDGPU, [], dialect);
  for (const m of MODS) {
    const p = join(MODULES, m);
    if (existsSync(p)) parity(`parity: ${m.split('/').pop()}${v}`, p, [], dialect);
  }
}

// JSON holds every member the text shows: sk_buff on vmlinux (nested anonymous members included)
{
  const text = execFileSync(process.execPath, [CLI, VMLINUX, '-C', 'sk_buff'], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const doc = JSON.parse(execFileSync(process.execPath, [CLI, VMLINUX, '-C', 'sk_buff', '--format', 'json'], { env, maxBuffer: 1 << 30, encoding: 'utf8' }));
  const lines = text.split('\n').filter((l) => /\/\*\s+\d+(?::\s*\d+)?\s+\d+ \*\/$/.test(l)).length;
  const count = (ms) => ms.reduce((n, m) => n + 1 + count(m.members ?? []) + count(m.pointeeMembers ?? []), 0);
  const t = doc.files[0].types[0];
  console.log(`${'json: vmlinux sk_buff'.padEnd(40)} member lines in the text ${lines}, JSON members ${count(t.members)} (top level ${t.members.length})`);
}
