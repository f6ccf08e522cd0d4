#!/usr/bin/env node
// Opt-in benchmark (not CI): `structscope exports` on Debian's real kernel debug build.
//   npm run build && npm run bench:exports
// Per file: exports read from __ksymtab/__ksymtab_gpl (ours), GPL-only, with a namespace, kinds,
// against two outside counts: the `__ksymtab_NAME` symbols `readelf -s -W` lists in those sections
// (names compared as sets), and for vmlinux the `__ksymtab_NAME` lines of System.map and the
// entry count implied by its __start___ksymtab / __stop___ksymtab(_gpl) symbols (12-byte entries).
// The kernel package is the one bench/run.mjs downloads (STRUCTSCOPE_BENCH_CACHE or bench/cache).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const VMLINUX = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
const SYSTEM_MAP = join(cache, 'usr/lib/debug/boot/System.map-6.1.0-47-amd64');
const MODULES = join(cache, 'usr/lib/debug/lib/modules/6.1.0-47-amd64/kernel');
const FILES = [
  VMLINUX,
  ...['fs/ext4/ext4.ko', 'fs/btrfs/btrfs.ko', 'net/mac80211/mac80211.ko', 'drivers/nvme/host/nvme-core.ko', 'drivers/usb/storage/usb-storage.ko', 'drivers/net/virtio_net.ko'].map((m) => join(MODULES, m)),
];

const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
if (!existsSync(join(root, 'dist/cli/main.cjs'))) {
  console.error('bench/exports.mjs: run `npm run build` first');
  process.exit(1);
}
const missing = FILES.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`bench/exports.mjs: missing ${missing.join(', ')} (run npm run bench once, or set STRUCTSCOPE_BENCH_CACHE)`);
  process.exit(1);
}
const { openElf } = await dist('elf/index.js');
const { readExports } = await dist('load/exports.js');

/** Names of `__ksymtab_NAME` symbols in __ksymtab / __ksymtab_gpl, from readelf. */
function readelfKsymtabNames(path) {
  const sections = new Map();
  for (const line of execFileSync('readelf', ['-S', '-W', path], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
    const m = /^\s*\[\s*(\d+)\]\s(\S+)/.exec(line);
    if (m) sections.set(m[1], m[2]);
  }
  const names = [];
  for (const line of execFileSync('readelf', ['-s', '-W', path], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n')) {
    const m = /^\s*\d+: [0-9a-f]+\s+\d+\s+(\S+)\s+\S+\s+\S+\s+(\d+)\s+__ksymtab_(\S+)$/.exec(line);
    if (!m || m[1] === 'SECTION') continue;
    const sec = sections.get(m[2]);
    if (sec === '__ksymtab' || sec === '__ksymtab_gpl') names.push(m[3]);
  }
  return names;
}

const rows = [];
for (const path of FILES) {
  const name = path === VMLINUX ? 'vmlinux' : path.split('/').pop();
  const t0 = process.hrtime.bigint();
  const elf = openElf(path);
  const r = readExports(elf);
  elf.close();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const theirs = readelfKsymtabNames(path);
  const ours = new Set(r.exports.map((e) => e.name));
  const same = theirs.length === ours.size && theirs.every((n) => ours.has(n));
  rows.push({
    file: name,
    exports: r.exports.length,
    gpl: r.exports.filter((e) => e.gplOnly).length,
    namespaced: r.exports.filter((e) => e.namespace).length,
    functions: r.exports.filter((e) => e.kind === 'function').length,
    objects: r.exports.filter((e) => e.kind === 'object').length,
    'readelf __ksymtab_*': theirs.length,
    'same names': same,
    diagnostics: r.diagnostics.length,
    ms: Math.round(ms),
  });
}
console.table(rows);

if (existsSync(SYSTEM_MAP)) {
  const map = readFileSync(SYSTEM_MAP, 'utf8').split('\n');
  const ksymtab = map.filter((l) => / __ksymtab_\S+$/.test(l)).length;
  const addr = (s) => BigInt('0x' + map.find((l) => l.endsWith(` ${s}`)).split(' ')[0]);
  const entries = Number(addr('__stop___ksymtab') - addr('__start___ksymtab') + addr('__stop___ksymtab_gpl') - addr('__start___ksymtab_gpl')) / 12;
  console.log(`System.map: ${ksymtab} __ksymtab_NAME symbols; __start/__stop___ksymtab(_gpl) span ${entries} entries of 12 bytes`);
}

// --all-modules: every module of the package, ours against the module's own __ksymtab_NAME
// symbols (read by structscope's ELF reader: readelf on 4 000 files would dominate the run).
if (process.argv.includes('--all-modules')) {
  const list = execFileSync('find', [MODULES, '-name', '*.ko'], { encoding: 'utf8' }).trim().split('\n');
  let withExports = 0, total = 0, mismatched = [], diagnostics = 0;
  const t0 = Date.now();
  for (const path of list) {
    const elf = openElf(path);
    const r = readExports(elf);
    elf.close();
    if (r.exports.length) withExports++;
    total += r.exports.length;
    diagnostics += r.diagnostics.length;
    const ours = new Set(r.exports.map((e) => e.name));
    const theirs = r.ksymtabSymbols ?? [];
    if (theirs.length !== ours.size || !theirs.every((n) => ours.has(n))) mismatched.push(path);
  }
  console.log(`${list.length} modules, ${withExports} with exports, ${total} exports, ${diagnostics} diagnostics, ${mismatched.length} differing from their __ksymtab_NAME symbols${mismatched.length ? ': ' + mismatched.slice(0, 5).join(' ') : ''} (${Date.now() - t0} ms)`);
}
