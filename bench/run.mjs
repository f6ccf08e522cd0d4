#!/usr/bin/env node
// Opt-in benchmark (not CI): structscope against pahole 1.24 and upstream pahole 1.31 (and
// `node -e 0`, the floor of any Node program) on Debian's real kernel debug info, the rows of
// issue 13, interleaved in the same run, medians of --runs N (default 3); then the parity rows
// (byte-identical output against pahole 1.24). Downloads and extracts
// linux-image-6.1.0-47-amd64-dbg once into bench/cache (or $STRUCTSCOPE_BENCH_CACHE).
//   npm run build && npm run bench [-- --runs 3] [-- --quick]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
const CLI = join(root, 'dist/cli/main.cjs');
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

const PAHOLE_131 = process.env.STRUCTSCOPE_PAHOLE_131 ?? '/root/.cache/pahole-1.31/pahole';
const PAHOLE_124 = process.env.STRUCTSCOPE_PAHOLE_124 ?? '/usr/bin/pahole';
const have131 = existsSync(PAHOLE_131);

/**
 * Wall time (s), peak RSS (MB) and CPU time (user + system, s: steadier than wall on a shared
 * machine) of one command (stdout discarded), via GNU time.
 */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { wall: Number(last[0]), rss: Number(last[1]) / 1024, cpu: Number(last[2]) + Number(last[3]), code: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = (args) => measure(process.execPath, [CLI, ...args]);
const nodeFloor = () => measure(process.execPath, ['-e', '0']);

const fmt = (m) => (m ? `${m.wall.toFixed(2).padStart(6)} s ${m.rss.toFixed(0).padStart(5)} MB cpu ${m.cpu.toFixed(2)} s` : '     (absent)     ');
const ratio = (a, b) => (a && b && b.wall > 0 ? `×${(a.wall / b.wall).toFixed(2)}` : '×-');

/**
 * One row of the issue's table: structscope, pahole 1.24, pahole 1.31 and `node -e 0`, run
 * interleaved (one of each per round, so all see the same machine), medians of `runs` rounds.
 * `paholeArgs` undefined: a row pahole has no counterpart for (still with node -e 0).
 */
function row(label, ourArgs, paholeArgs, target = '', { p124Args = paholeArgs } = {}) {
  const xs = { ours: [], p124: [], p131: [], node: [] };
  for (let i = 0; i < runs; i++) {
    xs.ours.push(ours(ourArgs));
    if (p124Args) xs.p124.push(measure(PAHOLE_124, p124Args));
    if (paholeArgs && have131) xs.p131.push(measure(PAHOLE_131, paholeArgs));
    xs.node.push(nodeFloor());
  }
  const med = (a) => (a.length ? { wall: median(a.map((x) => x.wall)), rss: median(a.map((x) => x.rss)), cpu: median(a.map((x) => x.cpu)) } : undefined);
  const m = { ours: med(xs.ours), p124: med(xs.p124), p131: med(xs.p131), node: med(xs.node) };
  console.log(
    `${label.padEnd(44)} ${fmt(m.ours)} | 1.24 ${fmt(m.p124)} | 1.31 ${fmt(m.p131)} | node -e 0 ${fmt(m.node)}` +
      ` | vs 1.31 wall ${ratio(m.ours, m.p131)} rss ${m.p131 ? `×${(m.ours.rss / m.p131.rss).toFixed(2)}` : '×-'} | vs node wall ${ratio(m.ours, m.node)} cpu ×${(m.ours.cpu / m.node.cpu).toFixed(2)}` +
      (target ? `  (target ${target})` : '') +
      ` [load ${loadavg()[0].toFixed(1)}]`,
  );
  return m;
}

/**
 * The first unit's struct, and a struct defined by one unit only, as late in .debug_info as
 * possible (pahole reads every unit before it; the last unit itself may define nothing of its
 * own), from the type index a complete read leaves behind (names → defining unit offsets).
 */
function firstAndLastStructs() {
  const dir = join(indexDir, 'index-v1');
  const file = readdirSync(dir).find((f) => f.endsWith('.idx'));
  const text = readFileSync(join(dir, file), 'utf8');
  const index = JSON.parse(text.slice(0, text.lastIndexOf('\n', text.length - 2)));
  const entries = Object.entries(index.names);
  const min = Math.min(...entries.map(([, u]) => u[0]));
  const first = entries.find(([, u]) => u[0] === min)[0];
  let last;
  let lastUnit = -1;
  for (const [name, units] of entries) if (units.length === 1 && units[0] > lastUnit) [last, lastUnit] = [name, units[0]];
  const position = index.units.findIndex(([start]) => start === lastUnit) + 1;
  return { first, last, units: index.units.length, position };
}

ensureKernel();
if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const os = await import('node:os');
console.log(`medians of ${runs} interleaved runs on ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`pahole 1.24: ${PAHOLE_124}; pahole 1.31: ${have131 ? PAHOLE_131 : 'absent (build it with ../shared/tools/pahole-upstream/build.sh)'}; both read -F dwarf`);
console.log(`vmlinux: ${VMLINUX}`);
const VIRTIO_NET = join(MODULES, 'drivers/net/virtio_net.ko');
const EXT4 = join(MODULES, 'fs/ext4/ext4.ko');

if (!parityOnly) {
row('structscope --version', ['--version'], undefined, '≤ ×1.3 node -e 0');
row('virtio_net.ko -C virtnet_info', [VIRTIO_NET, '-C', 'virtnet_info', '--no-cache'], ['-F', 'dwarf', '-C', 'virtnet_info', VIRTIO_NET], '≤ ×2 node -e 0');
const dump = row('vmlinux full dump (pahole -j2)', [VMLINUX], ['-F', 'dwarf', '-j2', VMLINUX], 'wall ≤ ×0.33 of 1.31, rss ≤ ×0.17');
if (!quick) row('vmlinux full dump --jobs 1 (pahole -j1)', [VMLINUX, '--jobs', '1'], ['-F', 'dwarf', VMLINUX]);
if (!quick) row('vmlinux --sizes (pahole -j2)', [VMLINUX, '--sizes'], ['-F', 'dwarf', '-j2', '--sizes', VMLINUX]);
const json = row('vmlinux --format json', [VMLINUX, '--format', 'json'], undefined, '≤ ×1.3 of the text dump');
console.log(`${'  json / text dump'.padEnd(44)} ×${(json.ours.wall / dump.ours.wall).toFixed(2)}`);

// the index: built once by a complete read, as the background builder does
execFileSync(process.execPath, [join(root, 'dist/cli/build-index.js'), indexDir, VMLINUX], { env });
const { first, last, units, position } = firstAndLastStructs();
console.log(`-C structs: 'task_struct', '${first}' (first unit with structs), '${last}' (defined only by unit ${position} of ${units}, the last unit defining a struct of its own)`);
row('vmlinux -C task_struct, with index', [VMLINUX, '-C', 'task_struct'], ['-F', 'dwarf', '-C', 'task_struct', VMLINUX], '≤ ×2 node -e 0');
row('vmlinux -C task_struct, no index', [VMLINUX, '-C', 'task_struct', '--no-cache'], ['-F', 'dwarf', '-C', 'task_struct', VMLINUX], '≤ ×2 node -e 0');
row(`vmlinux -C ${last} (last unit), no index`, [VMLINUX, '-C', last, '--no-cache'], ['-F', 'dwarf', '-C', last, VMLINUX], '≤ ×0.2 of 1.31');
row(`vmlinux -C ${last} (last unit), with index`, [VMLINUX, '-C', last], ['-F', 'dwarf', '-C', last, VMLINUX]);
row('vmlinux -C tcp_sock,sk_buff, no index', [VMLINUX, '-C', 'tcp_sock,sk_buff', '--no-cache'], ['-F', 'dwarf', '-C', 'tcp_sock,sk_buff', VMLINUX]);

row('ext4.ko full dump', [EXT4], ['-F', 'dwarf', EXT4], '≤ ×1 of 1.31');
row('amdgpu.ko full dump (pahole -j2)', [AMDGPU], ['-F', 'dwarf', '-j2', AMDGPU], '≤ ×1 of 1.31 -j2');
if (!quick) row('virtio_net.ko full dump', [VIRTIO_NET], ['-F', 'dwarf', VIRTIO_NET]);
// two builds: STRUCTSCOPE_DIFF_NEW=<root of another linux-image-*-dbg's usr/lib/debug>; else the same vmlinux twice
const newRoot = process.env.STRUCTSCOPE_DIFF_NEW;
const newVmlinux = newRoot && existsSync(join(newRoot, 'boot')) ? join(newRoot, 'boot', readdirSync(join(newRoot, 'boot')).find((f) => f.startsWith('vmlinux-'))) : VMLINUX;
const diff = row(`diff vmlinux ${newVmlinux === VMLINUX ? '(same file twice)' : 'two builds'}`, ['diff', VMLINUX, newVmlinux], undefined, '≤ ×1.5 of one full dump');
console.log(`${'  diff / full dump'.padEnd(44)} ×${(diff.ours.wall / dump.ours.wall).toFixed(2)}`);
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

/**
 * STRUCTSCOPE_BASELINE_CLI=<another build's dist/cli/main.cjs>: each parity row also compares the
 * output with that build's, byte for byte (text, and JSON for every file), so a speed change can
 * show it changed nothing.
 */
const BASELINE = process.env.STRUCTSCOPE_BASELINE_CLI;

function sameAsBaseline(a, file, extra, dialect) {
  if (!BASELINE) return '';
  const base = (args) => execFileSync(process.execPath, [BASELINE, file, ...args], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  // the same dialect as `a` (the text was printed with --pahole DIALECT)
  let note = ` | baseline: ${a === base([...extra, '--pahole', dialect]) ? 'same' : 'CHANGED'}`;
  if (!extra.length) {
    const json = ['--format', 'json'];
    const ourJson = execFileSync(process.execPath, [CLI, file, ...json], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
    note += `, json ${ourJson === base(json) ? 'same' : 'CHANGED'}`;
  }
  return note;
}

function parity(label, file, extra = [], dialect = '1.24') {
  const a = execFileSync(process.execPath, [CLI, file, ...extra, '--pahole', dialect], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const b = execFileSync(dialect === '1.31' ? PAHOLE_131 : PAHOLE_124, ['-F', 'dwarf', ...extra, file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (extra.length) {
    console.log(`${label.padEnd(40)} ${a === b ? 'byte-identical' : 'DIFFERENT'} (${b.split('\n').length - 1} lines)${sameAsBaseline(a, file, extra, dialect)}`);
    return;
  }
  const ours = blocks(a);
  const same = new Set(ours);
  const ref = blocks(b);
  const identical = ref.filter((x) => same.has(x)).length;
  console.log(`${label.padEnd(40)} ${a === b ? 'byte-identical' : 'DIFFERENT'}: pahole blocks ${ref.length}, identical ${identical}, structscope blocks ${ours.length}${sameAsBaseline(a, file, extra, dialect)}`);
}

const MODS = ['drivers/net/virtio_net.ko', 'fs/ext4/ext4.ko', 'fs/btrfs/btrfs.ko', 'net/mac80211/mac80211.ko', 'net/ipv4/tcp_bbr.ko', 'drivers/block/virtio_blk.ko', 'drivers/gpu/drm/i915/i915.ko'];
for (const dialect of ['1.24', '1.31']) {
  if (dialect === '1.31' && !have131) {
    console.log(`parity with pahole 1.31: skipped, ${PAHOLE_131} not built (fixtures/tools/pahole-upstream/build.sh)`);
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
