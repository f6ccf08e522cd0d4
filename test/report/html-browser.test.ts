/// <reference lib="dom" />
/**
 * `--format html` opened in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (never a downloaded browser). The DOM the page builds is checked against outside references:
 * pahole 1.24's text (member offsets and sizes, the cacheline its boundary markers put each member
 * in, `XXX N bytes hole` lines) and llvm-dwarfdump's member offsets (fixtures/expected); the diff
 * page against what `diff --format json` reports; the reorg page against `reorg --format json`.
 * Screenshots go to test-artifacts/ (gitignored). Skipped, saying why, without /usr/bin/chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { run } from '../helpers/cli.js';
import { fixturePath, readExpected, repoRoot } from '../helpers/fixtures.js';
import { paholeBlocks } from '../helpers/pahole-text.js';
import type { DiffJsonDocument } from '../../src/report/diff.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(repoRoot, 'test-artifacts');
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed (apt-get install chromium)` : undefined;
if (skip) console.warn(`skipped: browser tests: ${skip}`);

/** The flags every headless run here uses: no network side-channels, no profile reuse. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(skip !== undefined)('HTML report in Chromium', () => {
  let browser: BrowserContext;
  let dir: string;
  let profile: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = mkdtempSync(join(tmpdir(), 'structscope-html-'));
    profile = mkdtempSync(join(tmpdir(), 'structscope-chromium-'));
    // a fresh profile directory (the --user-data-dir of this run)
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1500, height: 1000 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  /** Write the CLI's HTML to a file and open it (from file://, as a user would). */
  async function open(name: string, args: string[], hash = ''): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const r = run(...args, '--format', 'html');
    expect(r.stderr).toBe('');
    const file = join(dir, `${name}.html`);
    writeFileSync(file, r.stdout);
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(file).href + hash);
    return { page, errors, requests };
  }

  it('show: virtnet_info has one cell group per member at pahole\'s offsets and cachelines, and its holes', async () => {
    const { page, errors, requests } = await open('show', ['show', fixturePath('virtio_net.ko'), '-C', 'virtnet_info']);
    await page.waitForSelector('#struct .grid');
    const dom = await page.$$eval('#struct .member', (els) =>
      els.map((e) => ({ name: (e as HTMLElement).dataset.name!, offset: Number((e as HTMLElement).dataset.offset), size: Number((e as HTMLElement).dataset.size), cachelines: (e as HTMLElement).dataset.cachelines!, type: (e as HTMLElement).dataset.type! })),
    );
    const pahole = paholeBlocks(readExpected('virtio_net.ko', 'pahole.txt')!).find((b) => b.name === 'virtnet_info')!;
    expect(dom.length).toBe(pahole.members.length);
    dom.forEach((m, k) => {
      const p = pahole.members[k]!;
      expect([m.name, m.offset, m.size]).toEqual([p.name, p.offset, p.size]);
      // pahole's boundary markers put a member in the cacheline where it starts
      expect(Number(m.cachelines.split('-')[0])).toBe(p.cacheline);
      const lastLine = Math.floor((p.offset + p.size - 1) / 64);
      expect(m.cachelines).toBe(lastLine === p.cacheline ? String(p.cacheline) : `${p.cacheline}-${lastLine}`);
    });
    // llvm-dwarfdump's member offsets for the same struct
    const facts = (JSON.parse(readExpected('virtio_net.ko', 'facts.json')!) as { name: string | null; members: { name: string; byteOffset: number }[] }[]).find((t) => t.name === 'virtnet_info')!;
    expect(dom.map((m) => [m.name, m.offset])).toEqual(facts.members.map((m) => [m.name, m.byteOffset]));
    // the types are show --format json's
    const json = JSON.parse(run('show', fixturePath('virtio_net.ko'), '-C', 'virtnet_info', '--format', 'json').stdout);
    expect(dom.map((m) => m.type)).toEqual(json.files[0].types[0].members.map((m: { type: string }) => m.type));
    // holes exactly where pahole reports them: right after the member it names, of its size
    const holes = await page.$$eval('#struct .hole', (els) => els.map((e) => [Number((e as HTMLElement).dataset.offset), Number((e as HTMLElement).dataset.size)]));
    expect(holes).toEqual(pahole.holes.map((h) => [pahole.members[h.afterMember]!.offset + pahole.members[h.afterMember]!.size, h.size]));
    // each piece sits in its cacheline's row and its byte's column of the grid
    const placed = await page.$$eval('#struct .member > .piece', (els) => els.map((e) => [(e.parentElement as HTMLElement).dataset.name!, getComputedStyle(e).gridRowStart, getComputedStyle(e).gridColumnStart]));
    for (const [name, row, col] of placed) {
      const p = pahole.members.find((m) => m.name === name)!;
      const starts = Array.from({ length: Math.floor((p.offset + p.size - 1) / 64) - Math.floor(p.offset / 64) + 1 }, (_, i) => Math.max(p.offset, (Math.floor(p.offset / 64) + i) * 64));
      expect(starts.map((s) => `${Math.floor(s / 64) + 1}/${(s % 64) + 2}`)).toContain(`${row}/${col}`);
    }
    // hover details: type, offset, size, cacheline
    await page.hover('#struct .member[data-name="refill"] > .piece');
    const tip = await page.textContent('#tip');
    expect(await page.isVisible('#tip')).toBe(true);
    expect(tip).toContain('type: struct delayed_work');
    expect(tip).toContain('offset: 80');
    expect(tip).toContain('size: 88 bytes');
    expect(tip).toContain('cacheline: 1-2');
    // the pahole text beside the grid is pahole 1.24's block
    const text = await page.textContent('#struct pre.pahole');
    const golden = readExpected('virtio_net.ko', 'pahole.txt')!;
    const block = golden.slice(golden.indexOf('struct virtnet_info {'));
    expect(text).toBe(block.slice(0, block.indexOf('\n};') + 3));
    await page.screenshot({ path: join(ARTIFACTS, 'html-show-virtnet_info.png') });
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  }, 60_000);

  it('bit-fields sit inside their storage unit and union members in lanes, at pahole\'s offsets', async () => {
    const { page, errors } = await open('bits', ['show', fixturePath('virtio_net.ko'), '-C', 'dev_pm_info,fpregs_state']);
    const blocks = paholeBlocks(readExpected('virtio_net.ko', 'pahole.txt')!);
    for (const [k, name] of [[0, 'dev_pm_info'], [1, 'fpregs_state']] as const) {
      await page.evaluate((i) => (location.hash = `#s${i}`), k);
      await page.waitForFunction((n) => document.querySelector('#view h2')?.textContent?.includes(n), name);
      const p = blocks.find((b) => b.name === name)!;
      const dom = await page.$$eval('#struct .member', (els) =>
        els.map((e) => {
          const d = (e as HTMLElement).dataset;
          return { name: d.name, offset: Number(d.offset), size: Number(d.size), bits: d.bitSize === undefined ? undefined : Number(d.bitSize), parent: e.parentElement!.className };
        }),
      );
      expect(dom.map((m) => [m.name, m.offset, m.size, m.bits])).toEqual(p.members.map((m) => [m.name, m.offset, m.size, m.bitWidth]));
      for (const m of dom) {
        if (m.bits !== undefined) expect(m.parent, `${m.name}`).toBe('piece unit');
        if (p.kind === 'union') expect(m.parent).toBe('piece union');
      }
      const holes = await page.$$eval('#struct .hole', (els) => els.map((e) => [Number((e as HTMLElement).dataset.offset), Number((e as HTMLElement).dataset.size)]));
      expect(holes).toEqual(p.holes.map((h) => [p.members[h.afterMember]!.offset + p.members[h.afterMember]!.size, h.size]));
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('diff: exactly the members diff --format json reports are highlighted, old beside new', async () => {
    const args = ['diff', fixturePath('diff-v1.o'), fixturePath('diff-v2.o')];
    const json = JSON.parse(run(...args, '--format', 'json').stdout) as DiffJsonDocument;
    const { page, errors } = await open('diff', args);
    const listed = await page.$$eval('#index li .n', (els) => els.map((e) => e.textContent));
    expect(listed).toEqual(json.types.map((t) => `${t.kind} ${t.name}`));
    let highlighted = 0;
    for (let i = 0; i < json.types.length; i++) {
      const t = json.types[i]!;
      await page.evaluate((k) => (location.hash = `#s${k}`), i);
      await page.waitForFunction((name) => document.querySelector('#view h2')?.textContent?.includes(name), `${t.kind} ${t.name}`);
      const sides = await page.$$eval('#struct > .side', (els) => els.map((e) => e.className));
      expect(sides).toEqual(t.change === 'added' ? ['side right'] : t.change === 'removed' ? ['side left'] : ['side left', 'side right']);
      const marked = await page.$$eval('#struct .member[data-change]', (els) =>
        els.map((e) => `${e.closest('.side')!.classList.contains('left') ? 'old' : 'new'} ${(e as HTMLElement).dataset.name} ${(e as HTMLElement).dataset.change} ${(e as HTMLElement).dataset.offset}`).sort(),
      );
      const expected = t.members
        .flatMap((m) => {
          const out: string[] = [];
          if (m.old) out.push(`old ${m.old.name ?? '(anonymous)'} ${m.change} ${m.old.offset}`);
          if (m.new) out.push(`new ${m.new.name ?? '(anonymous)'} ${m.change} ${m.new.offset}`);
          return out;
        })
        .sort();
      expect(marked, `${t.name}`).toEqual(expected);
      highlighted += marked.length;
      if (t.name === 'crossing') await page.screenshot({ path: join(ARTIFACTS, 'html-diff-crossing.png') });
    }
    expect(highlighted).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('reorg: current beside proposed, the moved members outlined on both sides at reorg --format json offsets', async () => {
    const args = ['reorg', fixturePath('virtio_net.ko'), '-C', 'virtnet_info'];
    const json = JSON.parse(run(...args, '--format', 'json').stdout);
    const t = json.files[0].types[0];
    const { page, errors } = await open('reorg', args);
    await page.waitForSelector('#struct .side.right .grid');
    // the page lists the moves as the text does; the JSON has them as data ({member, after, block})
    type Move = { member: string; after: string | null; block?: string[] };
    const sentence = (m: Move) => {
      const what = m.block && m.block.length > 1 ? `'${m.block[0]}'..'${m.block[m.block.length - 1]}'` : `'${m.member}'`;
      return m.after === null ? `move ${what} to the top` : `move ${what} after '${m.after}'`;
    };
    expect(await page.$$eval('#view .changes li', (els) => els.map((e) => e.textContent))).toEqual(t.moves.map(sentence));
    const proposed = await page.$$eval('#struct .side.right .member', (els) => els.map((e) => [(e as HTMLElement).dataset.name, Number((e as HTMLElement).dataset.offset), Number((e as HTMLElement).dataset.size)]));
    expect(proposed).toEqual(t.members.map((m: { name: string; offset: number; size: number }) => [m.name, m.offset, m.size]));
    const moved = t.moves.map((m: Move) => m.member).sort();
    expect((await page.$$eval('#struct .side.right .member[data-change=moved]', (els) => els.map((e) => (e as HTMLElement).dataset.name))).sort()).toEqual(moved);
    expect((await page.$$eval('#struct .side.left .member[data-change=moved]', (els) => els.map((e) => (e as HTMLElement).dataset.name))).sort()).toEqual(moved);
    await page.screenshot({ path: join(ARTIFACTS, 'html-reorg-virtnet_info.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('index of a whole file: search and sort; names from the binary stay text', async () => {
    const { page, errors } = await open('all', ['show', fixturePath('virtio_net.ko')]);
    const json = JSON.parse(run('show', fixturePath('virtio_net.ko'), '--format', 'json').stdout);
    const names: string[] = json.files[0].types.map((t: { kind: string; name: string }) => `${t.kind} ${t.name}`);
    expect(await page.$$eval('#index li', (els) => els.length)).toBe(names.length);
    expect(await page.$$eval('#struct', (els) => els.length)).toBe(0); // nothing drawn until opened
    await page.fill('#search', 'virtnet');
    const hits = await page.$$eval('#index li .n', (els) => els.map((e) => e.textContent));
    expect(hits).toEqual(names.filter((n) => n.toLowerCase().split(' ')[1]!.includes('virtnet')));
    await page.fill('#search', '');
    await page.selectOption('#sort', 'holes');
    const byHoles = await page.$$eval('#index li .n', (els) => els.slice(0, 5).map((e) => e.textContent));
    const most = [...json.files[0].types].sort((a, b) => b.summary.holes - a.summary.holes)[0];
    const first = json.files[0].types.find((t: { kind: string; name: string }) => `${t.kind} ${t.name}` === byHoles[0]);
    expect(first.summary.holes).toBe(most.summary.holes);
    await page.click('#index li:first-child');
    await page.waitForSelector('#struct .grid');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('escapes names: markup and script endings in the data stay text', async () => {
    const { renderHtml } = await import('../../src/report/html.js');
    const { byteMap } = await import('../../src/layout/bytemap.js');
    const evil = '</script><img src=x onerror="window.pwned=1">\u2028"\'\x01';
    const members = [{ name: evil, type: `${evil} *`, offset: 0, size: 8 }];
    const html = renderHtml({
      mode: 'show',
      title: evil,
      subtitle: evil,
      structs: [{ kind: 'struct', name: evil, left: { title: evil, size: 8, cachelineSize: 64, members, map: byteMap({ kind: 'struct', size: 8, members }, 64), counters: { size: 8, cachelines: 1, holes: 0, sumHoles: 0, padding: 0 }, pahole: evil } }],
    });
    const file = join(dir, 'evil.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#struct .grid');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(await page.getAttribute('#struct .member', 'data-name')).toBe(evil);
    expect(await page.title()).toContain('</script><img');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
