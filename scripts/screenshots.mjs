#!/usr/bin/env node
// Regenerates the README's pictures in docs/img/ with Debian's Chromium (headless, playwright-core,
// never a downloaded browser), from the fixtures:
//   html-report.png   show --format html, struct virtnet_info of fixtures/bin/virtio_net.ko
//   html-diff.png     diff --format html of fixtures/bin/diff-v1.o and diff-v2.o, struct crossing
//   terminal-map.png  show --format map in colour (FORCE_COLOR=1), its ANSI colours drawn as HTML
//   npm run build && node scripts/screenshots.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cli/main.cjs');
const img = join(root, 'docs/img');
mkdirSync(img, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'structscope-shots-'));

function cli(args, env = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '', ...env }, cwd: root });
  if (r.status !== 0) throw new Error(`structscope ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const FG = { 30: '#000', 31: '#d00', 97: '#fff' };
const BG = { 41: '#c62828', 42: '#81c784', 43: '#ffca28', 44: '#1e60c8', 45: '#ba68c8', 46: '#4dd0e1', 47: '#ccc' };
const esc = (s) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SGR codes structscope's map uses, as styled spans. */
function ansiToHtml(text) {
  let out = '';
  let style = '';
  let open = false;
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    const m = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!m) {
      out += esc(part);
      continue;
    }
    if (open) out += '</span>';
    open = false;
    style = '';
    for (const code of m[1].split(';').map(Number)) {
      if (code === 1) style += 'font-weight:bold;';
      else if (code === 2) style += 'opacity:.6;';
      else if (FG[code]) style += `color:${FG[code]};`;
      else if (BG[code]) style += `background:${BG[code]};`;
    }
    if (style) {
      out += `<span style="${style}">`;
      open = true;
    }
  }
  return out + (open ? '</span>' : '');
}

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ctx = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args, viewport: { width: 1400, height: 860 } });
try {
  const page = await ctx.newPage();

  writeFileSync(join(work, 'show.html'), cli(['show', 'fixtures/bin/virtio_net.ko', '-C', 'virtnet_info', '--format', 'html']));
  await page.goto(pathToFileURL(join(work, 'show.html')).href);
  await page.waitForSelector('#struct .grid');
  await page.hover('#struct .member[data-name="refill"] > .piece');
  await page.screenshot({ path: join(img, 'html-report.png') });

  writeFileSync(join(work, 'diff.html'), cli(['diff', 'fixtures/bin/diff-v1.o', 'fixtures/bin/diff-v2.o', '--format', 'html']));
  await page.goto(pathToFileURL(join(work, 'diff.html')).href);
  await page.click('#index li:has(.n:text-is("struct crossing"))');
  await page.waitForSelector('#struct .grid');
  await page.setViewportSize({ width: 1400, height: 420 });
  await page.screenshot({ path: join(img, 'html-diff.png') });

  const map = cli(['show', 'fixtures/bin/virtio_net.ko', '-C', 'virtnet_info', '--format', 'map', '--width', '100'], { FORCE_COLOR: '1', NO_COLOR: '' });
  const term = `<!DOCTYPE html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e"><pre id="t" style="display:inline-block;margin:0;padding:12px;color:#ddd;font:13px/1.25 'DejaVu Sans Mono',monospace">${ansiToHtml('$ structscope fixtures/bin/virtio_net.ko -C virtnet_info --format map\n' + map)}</pre>`;
  writeFileSync(join(work, 'term.html'), term);
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.goto(pathToFileURL(join(work, 'term.html')).href);
  await (await page.$('#t')).screenshot({ path: join(img, 'terminal-map.png') });
  console.log(`written: ${['html-report.png', 'html-diff.png', 'terminal-map.png'].map((f) => join('docs/img', f)).join(', ')}`);
} finally {
  await ctx.close();
  rmSync(work, { recursive: true, force: true });
}
