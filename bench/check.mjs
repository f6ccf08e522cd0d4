#!/usr/bin/env node
// Opt-in benchmark (not CI): the theoretical layout engine on Debian's real kernel debug info.
//   npm run build && npm run bench:check [-- --targets i386,arm] [-- --no-predict]
// (1) `check` counts per file: natural / explained / unexplained / unpredictable.
// (2) `show --target T` counts per file and target: predicted / unpredictable (whether a
//     prediction is right can only be measured where a build for T exists: the fixture tests).
// The kernel package is the one bench/run.mjs downloads (STRUCTSCOPE_BENCH_CACHE or bench/cache).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const VMLINUX = join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
const MODULES = join(cache, 'usr/lib/debug/lib/modules/6.1.0-47-amd64/kernel');
const FILES = [
  VMLINUX,
  ...['drivers/net/virtio_net.ko', 'fs/ext4/ext4.ko', 'fs/btrfs/btrfs.ko', 'fs/xfs/xfs.ko', 'net/mac80211/mac80211.ko', 'drivers/nvme/host/nvme-core.ko'].map((m) =>
    join(MODULES, m),
  ),
];

const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
if (!existsSync(join(root, 'dist/cli/main.cjs'))) {
  console.error('bench/check.mjs: run `npm run build` first');
  process.exit(1);
}
const missing = FILES.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`bench/check.mjs: missing ${missing.join(', ')} (run npm run bench once, or set STRUCTSCOPE_BENCH_CACHE)`);
  process.exit(1);
}
const { loadFile } = await dist('load/index.js');
const { ABIS, abiForElf, AttributeInference, predictTable } = await dist('layout/abi/index.js');
const { selectTypes } = await dist('report/select.js');
const { renderAllBlocks } = await dist('pahole-text.js');

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const predict = !process.argv.includes('--no-predict');
const TARGETS = (arg('--targets')?.split(',') ?? ['x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64', 'riscv32', 'ppc64', 'ppc64le', 'ppc32', 's390x', 'mips', 'mipsel', 'mips64', 'mips64el', 'mipsn32', 'm68k', 'sparc64']);

const checkRows = [];
const predictRows = [];
const reasons = new Map();
for (const path of FILES) {
  const name = path === VMLINUX ? 'vmlinux' : path.split('/').pop();
  const t0 = Date.now();
  const file = loadFile(path);
  const abi = abiForElf(file.info.machine, file.info.elfClass, file.info.littleEndian, file.info.flags);
  const opts = { dwarfVersions: file.info.dwarfVersions };
  const inference = new AttributeInference(file.table, abi, opts);
  const counts = { natural: 0, explained: 0, unexplained: 0, unpredictable: 0 };
  const unexplained = [];
  // The types `structscope check FILE` reports (named, first definitions).
  const ids = selectTypes(file.table, {}).ids;
  for (const id of ids) {
    const t = file.table.get(id);
    const r = inference.infer(id);
    counts[r.status]++;
    if (r.status === 'unexplained') unexplained.push(`${t.kind} ${t.name ?? '(anonymous)'}`);
  }
  const checked = counts.natural + counts.explained + counts.unexplained + counts.unpredictable;
  checkRows.push({ file: name, abi: abi.name, checked, ...counts, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  if (unexplained.length) console.log(`${name}: unexplained: ${unexplained.slice(0, 20).join(', ')}${unexplained.length > 20 ? ' …' : ''}`);
  if (!predict) continue;
  for (const target of TARGETS) {
    const p = predictTable(file.table, abi, ABIS[target], { ...opts, inference });
    const unpredictable = ids.filter((id) => p.unpredictable.has(id)).length;
    const row = { file: name, target, types: checked, predicted: checked - unpredictable, unpredictable };
    // Identity: predicting a file for its own ABI must reproduce pahole-format output block by block.
    if (target === abi.name) {
      const real = new Map(renderAllBlocks(file.table, { addressSize: file.info.addressSize }).map((b) => [b.id, b.text]));
      const mine = renderAllBlocks(p.table, { addressSize: ABIS[target].ptrSize });
      row.identical = mine.filter((b) => !p.unpredictable.has(b.id) && real.get(b.id) === b.text).length + ` of ${mine.length} blocks`;
    }
    predictRows.push(row);
    for (const id of ids) {
      const why = p.unpredictable.get(id);
      if (why === undefined) continue;
      // group reasons by their kind (member paths and type names vary)
      const key = why.includes('unnamed bit-field')
        ? 'an unnamed bit-field whose declaration DWARF omits changes the layout'
        : (why.match(/(\S+ does not exist)/)?.[1] ?? (why.includes('vector') ? 'vector type' : why.replace(/^.*: /, '')));
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
}

console.log('structscope check: DWARF layouts against the ABI engine');
console.table(checkRows);
if (predict) {
  console.log('structscope show --target: predicted / unpredictable types per target');
  console.table(predictRows);
  console.log('most common reasons a type is unpredictable (all files and targets)');
  console.table([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([reason, count]) => ({ reason: reason.slice(0, 110), count })));
}
