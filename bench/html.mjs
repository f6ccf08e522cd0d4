#!/usr/bin/env node
// Opt-in (not CI): a whole-vmlinux `show --format html` report (Debian's 6.1 kernel, ~7,900 types):
// generation time, peak RSS and size; then the page is opened in Debian's Chromium (headless,
// playwright-core, never a downloaded browser): time to a usable index, a search, opening the
// struct found, and a screenshot.
//   npm run build && node bench/html.mjs [VMLINUX]
// VMLINUX defaults to what `npm run bench` extracts (bench/cache, or STRUCTSCOPE_BENCH_CACHE).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cli/main.cjs');
const CHROMIUM = '/usr/bin/chromium';
const cache = process.env.STRUCTSCOPE_BENCH_CACHE ?? join(root, 'bench/cache');
const vmlinux = process.argv[2] ?? join(cache, 'usr/lib/debug/boot/vmlinux-6.1.0-47-amd64');
if (!existsSync(vmlinux)) {
  console.error(`bench/html.mjs: ${vmlinux} is missing (run npm run bench first, or set STRUCTSCOPE_BENCH_CACHE)`);
  process.exit(2);
}
const out = join(root, 'bench/tmp-html');
mkdirSync(out, { recursive: true });
const report = join(out, 'vmlinux.html');

// generation: stdout straight into the file, as a user would redirect it
const fd = openSync(report, 'w');
const gen = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, 'show', vmlinux, '--format', 'html', '--no-cache'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
closeSync(fd);
const [wall, rssKb] = gen.stderr.trim().split('\n').pop().split(' ').map(Number);
if (gen.status !== 0) {
  console.error(gen.stderr);
  process.exit(1);
}
const size = statSync(report).size;
console.log(`generate: ${vmlinux}`);
console.log(`  ${wall.toFixed(1)} s wall, ${(rssKb / 1024).toFixed(0)} MB peak RSS, report ${(size / 1e6).toFixed(1)} MB (${report})`);

if (!existsSync(CHROMIUM)) {
  console.log(`browser: skipped, ${CHROMIUM} is not installed`);
  process.exit(0);
}
const { chromium } = await import('playwright-core');
const profile = mkdtempSync(join(tmpdir(), 'structscope-bench-chromium-'));
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args, viewport: { width: 1500, height: 1000 } });
try {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let t = Date.now();
  await page.goto(pathToFileURL(report).href, { timeout: 300_000 });
  await page.waitForFunction(() => document.querySelectorAll('#index li').length > 0, null, { timeout: 300_000 });
  const loaded = Date.now() - t;
  const count = await page.textContent('#count');
  console.log(`browser: index usable after ${(loaded / 1000).toFixed(1)} s: ${count}`);
  t = Date.now();
  await page.fill('#search', 'task_struct');
  const hits = await page.$$eval('#index li .n', (els) => els.map((e) => e.textContent));
  console.log(`  search 'task_struct': ${hits.length} hits in ${Date.now() - t} ms: ${hits.slice(0, 5).join(', ')}${hits.length > 5 ? ', …' : ''}`);
  t = Date.now();
  await page.click('#index li:has(.n:text-is("struct task_struct"))');
  await page.waitForSelector('#struct .grid');
  const members = await page.$$eval('#struct .member', (els) => els.length);
  console.log(`  open struct task_struct: ${members} member cell groups drawn in ${Date.now() - t} ms`);
  t = Date.now();
  await page.selectOption('#sort', 'holes');
  const top = await page.$$eval('#index li', (els) => els.slice(0, 3).map((e) => e.textContent));
  console.log(`  sort by holes (search still 'task_struct'): ${Date.now() - t} ms: ${top.join(' | ')}`);
  const shot = join(out, 'vmlinux-html.png');
  await page.screenshot({ path: shot });
  console.log(`  screenshot: ${shot}`);
  if (errors.length) {
    console.error(`page errors: ${errors.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
