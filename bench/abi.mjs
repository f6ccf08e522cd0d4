#!/usr/bin/env node
// Opt-in (not CI): `structscope diff --abi` between two Debian 6.1 kernel debug builds (vmlinux and
// a few modules) against plain `diff` (types changed) and abidiff (abigail-tools; changed types
// from --leaf-changes-only, run time, peak RSS; given up after 10 minutes), and the time and peak
// RSS of diff --abi against a full dump of the new file (`show --format json`: the target is
// at most 1.5 x).
//   npm run build && npm run bench:abi [-- OLD_ROOT NEW_ROOT]    (roots: extracted usr/lib/debug)
// Env STRUCTSCOPE_ABI_ONLY=virtio_net,vmlinux limits the files; STRUCTSCOPE_ABI_NO_ABIDIFF=1 skips abidiff.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cli/main.cjs');
const oldRoot = process.argv[2] ?? process.env.STRUCTSCOPE_DIFF_OLD ?? '/work/kcache/usr/lib/debug';
const newRoot = process.argv[3] ?? process.env.STRUCTSCOPE_DIFF_NEW ?? '/work/kcache57/usr/lib/debug';
// virtio_net, e1000e and ext4 export nothing (their surface is empty; what they use is vmlinux's);
// jbd2, nf_conntrack, usbcore and drm export 60 to 482 symbols
const MODULES = ['drivers/net/virtio_net.ko', 'drivers/net/ethernet/intel/e1000e/e1000e.ko', 'fs/ext4/ext4.ko', 'fs/jbd2/jbd2.ko', 'net/netfilter/nf_conntrack.ko', 'drivers/usb/core/usbcore.ko', 'drivers/gpu/drm/drm.ko'];
const only = process.env.STRUCTSCOPE_ABI_ONLY?.split(',');
const TIMEOUT = 600;

function release(r) {
  const v = readdirSync(join(r, 'boot')).find((f) => f.startsWith('vmlinux-'));
  if (!v) throw new Error(`${r}: no boot/vmlinux-*`);
  return v.slice('vmlinux-'.length);
}

/** A command under GNU time (and timeout): stdout, exit code, wall seconds, peak RSS in MB. */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'timeout', String(TIMEOUT), cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { stdout: r.stdout, code: r.status, wall: Number(last[0]), rss: Number(last[1]) / 1024, stderr: r.stderr };
}
const cli = (...args) => timed(process.execPath, [CLI, ...args]);
const changedNames = (doc) => doc.types.map((t) => `${t.kind} ${t.name}`);

const rows = [];
const files = MODULES.map((m) => ({ name: m.split('/').pop(), rel: `lib/modules/%R/kernel/${m}` })).concat([{ name: 'vmlinux', rel: 'boot/vmlinux-%R' }]);
const [oldRel, newRel] = [release(oldRoot), release(newRoot)];
for (const f of files) {
  if (only && !only.some((o) => f.name.startsWith(o))) continue;
  const a = join(oldRoot, f.rel.replace('%R', oldRel));
  const b = join(newRoot, f.rel.replace('%R', newRel));
  if (!existsSync(a) || !existsSync(b)) continue;
  const dump = cli('show', '--format', 'json', b);
  const plain = cli('diff', '--format', 'json', a, b);
  const abi = cli('diff', '--abi', '--format', 'json', a, b);
  if (abi.code !== 0 || plain.code !== 0) throw new Error(`${f.name}: ${abi.stderr} ${plain.stderr}`);
  const p = JSON.parse(plain.stdout);
  const d = JSON.parse(abi.stdout);
  const ours = new Set(changedNames(d).filter((_, i) => d.types[i].change === 'changed'));
  const row = {
    file: f.name,
    dump: `${dump.wall.toFixed(1)} s ${dump.rss.toFixed(0)} MB`,
    plain: `${p.summary.changed} changed (${p.summary.added}+ ${p.summary.removed}-) ${plain.wall.toFixed(1)} s`,
    abi: `${d.summary.changed} changed (${d.summary.added}+ ${d.summary.removed}-), symbols ${d.summary.symbols.added}+ ${d.summary.symbols.removed}- ${d.summary.symbols.changed}~; ${abi.wall.toFixed(1)} s ${abi.rss.toFixed(0)} MB`,
    ratio: `${(abi.wall / dump.wall).toFixed(2)}x time, ${(abi.rss / dump.rss).toFixed(2)}x RSS`,
  };
  if (!process.env.STRUCTSCOPE_ABI_NO_ABIDIFF) {
    const ad = timed('abidiff', ['--leaf-changes-only', '--impacted-interfaces', a, b]);
    if (ad.code === 124) row.abidiff = `gave up after ${TIMEOUT} s (${ad.rss.toFixed(0)} MB)`;
    else {
      const theirs = new Set([...ad.stdout.matchAll(/^'(\w+ [\w$]+) at [^']*' changed:$/gm)].map((m) => m[1]));
      const both = [...ours].filter((n) => theirs.has(n)).length;
      row.abidiff = `${theirs.size} changed types, ${both} also ours (ours ${ours.size}); ${ad.wall.toFixed(1)} s ${ad.rss.toFixed(0)} MB (exit ${ad.code})`;
      row.onlyAbidiff = [...theirs].filter((n) => !ours.has(n)).slice(0, 8).join(', ');
      row.onlyOurs = [...ours].filter((n) => !theirs.has(n)).slice(0, 8).join(', ');
    }
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log('\n| file | full dump (show --format json) | diff (plain) | diff --abi | --abi / dump | abidiff |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.file} | ${r.dump} | ${r.plain} | ${r.abi} | ${r.ratio} | ${r.abidiff ?? 'skipped'} |`);
