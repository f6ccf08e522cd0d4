#!/usr/bin/env node
// Opt-in benchmark (not CI): structscope against pahole 1.24 on Debian's real kernel debug info,
// side by side in the same run. Downloads linux-image-6.1.0-47-amd64-dbg once into bench/cache.
//   npm run build && npm run bench [-- --runs 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const PKG = 'linux-image-6.1.0-47-amd64-dbg';
const VMLINUX = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
const MODULES = join(cache, 'usr/lib/debug/lib/modules/6.1.0-47-amd64/kernel');

function ensureKernel() {
  if (existsSync(VMLINUX)) return;
  mkdirSync(cache, { recursive: true });
  if (!readdirSync(cache).some((f) => f.endsWith('.deb'))) execFileSync('apt-get', ['download', PKG], { cwd: cache, stdio: 'inherit' });
  const deb = readdirSync(cache).find((f) => f.endsWith('.deb'));
  execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile '${deb}' | tar -x -C '${cache}'`], { cwd: cache, stdio: 'inherit' });
}

/** Wall time (s) and peak RSS (MB) of one command, via GNU time. */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { wall: Number(last[0]), rss: Number(last[1]) / 1024, code: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function compare(label, ours, theirs) {
  const a = [], b = [];
  for (let i = 0; i < runs; i++) {
    a.push(measure(process.execPath, [join(root, 'dist/cli/main.js'), ...ours]));
    b.push(measure('pahole', theirs));
  }
  const wa = median(a.map((x) => x.wall)), wb = median(b.map((x) => x.wall));
  const ra = median(a.map((x) => x.rss)), rb = median(b.map((x) => x.rss));
  console.log(`${label.padEnd(34)} structscope ${wa.toFixed(2)} s ${ra.toFixed(0).padStart(5)} MB | pahole ${wb.toFixed(2)} s ${rb.toFixed(0).padStart(5)} MB | wall ×${(wa / wb).toFixed(2)} rss ×${(ra / rb).toFixed(2)}`);
}

ensureKernel();
if (!existsSync(join(root, 'dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
console.log(`median of ${runs} runs; ratios are structscope / pahole`);
compare('vmlinux --sizes', [VMLINUX, '--sizes'], ['-F', 'dwarf', '--sizes', VMLINUX]);
compare('vmlinux full dump', [VMLINUX], ['-F', 'dwarf', VMLINUX]);
compare('vmlinux full dump (pahole -j2)', [VMLINUX], ['-F', 'dwarf', '-j2', VMLINUX]);
compare('vmlinux -C task_struct', [VMLINUX, '-C', 'task_struct'], ['-F', 'dwarf', '-C', 'task_struct', VMLINUX]);
compare('virtio_net.ko full dump', [join(MODULES, 'drivers/net/virtio_net.ko')], ['-F', 'dwarf', join(MODULES, 'drivers/net/virtio_net.ko')]);

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

function parity(label, file) {
  const ours = execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const theirs = execFileSync('pahole', ['-F', 'dwarf', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const a = new Set(blocks(ours));
  const b = blocks(theirs);
  const same = b.filter((x) => a.has(x)).length;
  console.log(`${label.padEnd(34)} pahole blocks ${b.length}, identical ${same}, structscope blocks ${a.size}`);
}

parity('parity: vmlinux', VMLINUX);
for (const m of ['drivers/net/virtio_net.ko', 'fs/ext4/ext4.ko', 'net/ipv4/tcp_bbr.ko', 'drivers/block/virtio_blk.ko']) {
  const p = join(MODULES, m);
  if (existsSync(p)) parity(`parity: ${m}`, p);
}
