#!/usr/bin/env node
// Opt-in (not CI): `structscope diff` between two Debian 6.1 kernel debug builds: a few modules
// and vmlinux, with run time, peak RSS and a summary of what changed; vmlinux is also diffed from
// a saved `show --format json` baseline, which must give the same diff as ELF against ELF.
//   npm run build && npm run bench:diff [-- OLD_ROOT NEW_ROOT]
// A root is an extracted linux-image-6.1.0-NN-amd64-dbg's usr/lib/debug (env STRUCTSCOPE_DIFF_OLD,
// STRUCTSCOPE_DIFF_NEW). Get one with
//   apt-get download linux-image-6.1.0-57-amd64-dbg
//   dpkg-deb --fsys-tarfile linux-image-6.1.0-57-*.deb | tar -x -C DIR --wildcards './usr/lib/debug/boot/vmlinux-*' \
//     './usr/lib/debug/lib/modules/*/kernel/drivers/net/virtio_net.ko' ...
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cli/main.cjs');
// default old: what `npm run bench` extracts (6.1.0-47), here or in the main checkout
const firstExisting = (...ps) => ps.find((p) => existsSync(p)) ?? ps[0];
const oldRoot = process.argv[2] ?? process.env.STRUCTSCOPE_DIFF_OLD ?? firstExisting(join(root, 'bench/cache/usr/lib/debug'), '/work/main/bench/cache/usr/lib/debug');
const newRoot = process.argv[3] ?? process.env.STRUCTSCOPE_DIFF_NEW ?? '/work/cache/kernels/6.1.0-57/usr/lib/debug';
const MODULES = ['drivers/net/virtio_net.ko', 'drivers/net/ethernet/intel/e1000e/e1000e.ko', 'fs/ext4/ext4.ko', 'fs/xfs/xfs.ko'];

function release(r) {
  const boot = join(r, 'boot');
  const v = existsSync(boot) && readdirSync(boot).find((f) => f.startsWith('vmlinux-'));
  if (!v) {
    console.error(`bench/diff.mjs: ${r}: no boot/vmlinux-* (give the roots as arguments or STRUCTSCOPE_DIFF_OLD/NEW)`);
    process.exit(2);
  }
  return v.slice('vmlinux-'.length);
}

/** Run the CLI under GNU time: stdout, exit code, wall seconds, peak RSS in MB. */
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { stdout: r.stdout, code: r.status, wall: Number(last[0]), rss: Number(last[1]) / 1024, stderr: r.stderr };
}

const body = (d) => JSON.stringify({ ...d, old: { ...d.old, path: '', format: '' }, new: { ...d.new, path: '', format: '' } });

function summarize(label, doc, t) {
  const s = doc.summary;
  console.log(`\n== ${label}: ${t.wall.toFixed(2)} s, ${t.rss.toFixed(0)} MB`);
  console.log(`   types ${s.oldTypes} -> ${s.newTypes}: ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged`);
  const regs = Object.entries(doc.regressions).filter(([k]) => k !== 'any');
  console.log(`   regressions: ${regs.length ? regs.map(([k, v]) => `${k} ${v.length}`).join(', ') : 'none'}`);
  const changed = doc.types.filter((t) => t.change === 'changed');
  const sized = changed.filter((t) => t.old.size !== t.new.size).sort((a, b) => Math.abs(b.new.size - b.old.size) - Math.abs(a.new.size - a.old.size));
  for (const t of sized.slice(0, 8)) {
    const d = t.new.size - t.old.size;
    const cl = t.old.cachelines !== t.new.cachelines ? `, cachelines ${t.old.cachelines} -> ${t.new.cachelines}` : '';
    const holes = t.old.holes !== t.new.holes ? `, holes ${t.old.holes} -> ${t.new.holes}` : '';
    const ms = t.members.filter((m) => m.change === 'added' || m.change === 'removed' || m.change === 'retyped' || m.change === 'resized' || m.change === 'renamed');
    const what = ms.slice(0, 4).map((m) => `${m.change} ${m.name ?? '(anonymous)'}`).join(', ');
    console.log(`   ${t.kind} ${t.name}: size ${t.old.size} -> ${t.new.size} (${d > 0 ? '+' : ''}${d})${cl}${holes}${what ? `; ${what}${ms.length > 4 ? ', …' : ''}` : ''}`);
  }
  const same = changed.filter((t) => t.old.size === t.new.size);
  if (same.length) console.log(`   ${same.length} more changed types keep their size (${same.slice(0, 6).map((t) => t.name).join(', ')}${same.length > 6 ? ', …' : ''})`);
  for (const t of doc.types.filter((t) => t.change !== 'changed').slice(0, 10)) console.log(`   ${t.change} ${t.kind} ${t.name}`);
}

if (!existsSync(CLI)) throw new Error('build first: npm run build');
const oldRel = release(oldRoot);
const newRel = release(newRoot);
console.log(`structscope diff ${oldRel} -> ${newRel}`);
for (const m of MODULES) {
  const a = join(oldRoot, 'lib/modules', oldRel, 'kernel', m);
  const b = join(newRoot, 'lib/modules', newRel, 'kernel', m);
  if (!existsSync(a) || !existsSync(b)) {
    console.log(`\n== ${m}: skipped (not extracted in both roots)`);
    continue;
  }
  const t = timed(['diff', a, b, '--format', 'json']);
  if (t.code !== 0) throw new Error(`${m}: exit ${t.code}: ${t.stderr}`);
  summarize(m, JSON.parse(t.stdout), t);
}
const va = join(oldRoot, 'boot', `vmlinux-${oldRel}`);
const vb = join(newRoot, 'boot', `vmlinux-${newRel}`);
const t = timed(['diff', va, vb, '--format', 'json']);
if (t.code !== 0) throw new Error(`vmlinux: exit ${t.code}: ${t.stderr}`);
const elfDoc = JSON.parse(t.stdout);
summarize('vmlinux', elfDoc, t);

// the same diff from a JSON baseline of the old vmlinux
const dir = mkdtempSync(join(tmpdir(), 'structscope-bench-diff-'));
try {
  const baseline = join(dir, 'old.json');
  const s = spawnSync('sh', ['-c', `'${process.execPath}' '${CLI}' show '${va}' --format json > '${baseline}'`]);
  if (s.status !== 0) throw new Error(`show --format json ${va}: exit ${s.status}`);
  const tj = timed(['diff', baseline, vb, '--format', 'json']);
  const same = body(JSON.parse(tj.stdout)) === body(elfDoc);
  console.log(`\n== vmlinux from a JSON baseline (${(readFileSync(baseline).length / 1e6).toFixed(1)} MB): ${tj.wall.toFixed(2)} s, ${tj.rss.toFixed(0)} MB; same diff as ELF vs ELF: ${same ? 'yes' : 'NO'}`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
