import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import type { AggregateType } from '../../src/model/types.js';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixtureManifest, fixturePath, fixturesDir } from '../helpers/fixtures.js';

const KO = fixturePath('virtio_net.ko');
const validate = schemaValidator('reorg');
const tmp = mkdtempSync(join(tmpdir(), 'structscope-reorg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonType {
  name: string;
  reorganized: boolean;
  reason?: string;
  oldSize: number;
  newSize: number;
  saved: number;
  moves: { member: string; index: number; block?: string[]; after: string | null; afterIndex: number | null }[];
  members: { name: string | null; originalIndex: number; offset: number; size: number; bitOffset: number; bitSize?: number }[];
}

function reorgJson(...args: string[]): JsonType[] {
  const r = run('reorg', ...args, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc.files[0].types;
}

describe('structscope reorg (the built CLI)', () => {
  it('text: the moves, the layout in pahole format, the savings', () => {
    const r = run('reorg', KO, '-C', 'virtnet_info');
    expect(r.code).toBe(0);
    const [json] = reorgJson(KO, '-C', 'virtnet_info');
    // the moves as data, and as sentences in the text
    for (const m of json!.moves) {
      const what = m.block ? `'${m.block[0]}'..'${m.block[m.block.length - 1]}'` : `'${m.member}'`;
      expect(r.stdout).toContain(m.after === null ? `move ${what} to the top\n` : `move ${what} after '${m.after}'\n`);
    }
    expect(r.stdout).toContain('struct virtnet_info {\n');
    expect(r.stdout).toContain(`/* size: ${json!.newSize}, cachelines: `);
    expect(r.stdout.trimEnd().endsWith(`};   /* saved ${json!.saved} bytes! */`)).toBe(true);
    // the members in the order of the JSON
    const names = [...r.stdout.matchAll(/^\t\S.*?(\w+)(?:\[\d+\])?;\s+\/\*/gm)].map((m) => m[1]);
    expect(names).toEqual(json!.members.map((m) => m.name));
  });

  it('--steps shows one layout per move, the last one being the proposal', () => {
    const r = run('reorg', fixturePath('reorg-x86_64.o'), '-C', 'r_nested', '--steps');
    expect(r.code).toBe(0);
    const [json] = reorgJson(fixturePath('reorg-x86_64.o'), '-C', 'r_nested');
    expect(json!.moves.length).toBeGreaterThan(1);
    expect(r.stdout.match(/^struct r_nested \{$/gm)!.length).toBe(json!.moves.length);
  });

  it('JSON: every member once, with its original index; saved = old - new', () => {
    for (const t of reorgJson(KO)) {
      if (!t.reorganized) {
        expect(t.reason).toBeTruthy();
        continue;
      }
      expect(t.saved).toBe(t.oldSize - t.newSize);
      expect(t.members.map((m) => m.originalIndex).sort((a, b) => a - b)).toEqual(t.members.map((_, i) => i));
    }
  });

  it('bad input: one line naming the file, exit 2', () => {
    const r = run('reorg', join(fixturesDir, 'src/reorg.c'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('reorg.c');
  });

  it('--patch refuses, per struct, declarations it cannot move unambiguously', () => {
    const dir = join(tmp, 'refuse');
    cpSync(join(fixturesDir, 'src'), join(dir, 'src'), { recursive: true });
    const r = run('reorg', fixturePath('reorg-x86_64.o'), '-C', 'r_oneline,r_ifdef', '--patch', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/r_oneline: members declared together on line \d+ would be separated; no patch/);
    expect(r.stderr).toMatch(/r_ifdef: preprocessor line inside the struct/);
    const missing = run('reorg', fixturePath('reorg-x86_64.o'), '-C', 'r_holes', '--patch', join(tmp, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/source file .*reorg\.c" not found/);
  });
});

/** DWARF member offsets of every named struct of an object, by struct name. */
function layouts(path: string): Map<string, { size: number; members: Map<string, [number, number | undefined]> }> {
  const { table } = loadFile(path);
  const out = new Map<string, { size: number; members: Map<string, [number, number | undefined]> }>();
  for (const id of table.definitions) {
    const t = table.get(id) as AggregateType;
    if (t.kind !== 'struct' || t.name === undefined || out.has(t.name)) continue;
    out.set(t.name, { size: t.size, members: new Map(t.members.map((m, i) => [m.name ?? `#${i}`, [m.bitOffset, m.bitSize]])) });
  }
  return out;
}

describe('reorg --patch, applied with patch -p1 and recompiled, gives the reported layouts', () => {
  const targets = fixtureManifest().filter((e) => e.variant === 'reorg');
  it('covers x86_64 and at least two other targets', () => {
    expect(targets.map((e) => e.arch)).toContain('x86_64');
    expect(targets.filter((e) => e.arch !== 'x86_64').length).toBeGreaterThanOrEqual(2);
  });
  // the compilers are Debian packages (.ci/run installs them when it can); without one, say so
  const installed = (tool: string) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
  const hasPatch = installed('patch');
  for (const e of targets) {
    it.skipIf(!hasPatch || !installed(e.compiler))(e.arch, () => {
      const dir = join(tmp, e.arch);
      cpSync(join(fixturesDir, 'src'), join(dir, 'src'), { recursive: true });
      const reported = reorgJson(e.path);
      const p = run('reorg', e.path, '--patch', dir);
      // r_oneline, r_ifdef and r_gap (its unnamed bit-field line) are refused; the rest is patched
      expect(p.code).toBe(1);
      expect(p.stdout).toMatch(/^--- a\/src\/reorg\.c\n\+\+\+ b\/src\/reorg\.c\n@@ /);
      const applied = spawnSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], { cwd: dir, input: p.stdout, encoding: 'utf8' });
      expect(applied.status, applied.stdout + applied.stderr).toBe(0);
      const out = join(dir, 'reorg.o');
      const cc = spawnSync(e.compiler, [...e.flags.split(' '), e.source[0]!, '-o', out], { cwd: dir, encoding: 'utf8' });
      expect(cc.status, cc.stderr).toBe(0);
      const got = layouts(out);
      const refused = new Set(p.stderr.split('\n').map((l) => /struct (\w+):/.exec(l)?.[1]).filter(Boolean));
      let compared = 0;
      for (const t of reported) {
        if (!t.reorganized) continue;
        const g = got.get(t.name)!;
        if (refused.has(t.name)) {
          expect(g.size, t.name).toBe(t.oldSize); // not patched: unchanged
          continue;
        }
        expect(g.size, t.name).toBe(t.newSize);
        for (const m of t.members) {
          const key = m.name ?? `#${m.originalIndex}`;
          expect(g.members.get(key), `${t.name}.${key}`).toEqual([m.bitOffset, m.bitSize]);
        }
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(6);

      // the text of each proposal is what `show` (pahole's format) prints for the recompiled struct
      const patched = reported.filter((t) => t.reorganized && !refused.has(t.name)).map((t) => t.name);
      const text = run('reorg', e.path, '-C', patched.join(','));
      const shown = run('show', out, '-C', patched.join(','));
      expect(shown.code).toBe(0);
      const blocksOf = (s: string) => new Map([...s.matchAll(/^struct (\w+) \{\n[\s\S]*?\n}[^\n]*?;/gm)].map((m) => [m[1]!, m[0]]));
      const proposed = blocksOf(text.stdout.replace(/;   \/\* saved \d+ bytes?(?: and \d+ cachelines?)?! \*\//g, ';'));
      const compiled = blocksOf(shown.stdout);
      for (const name of patched) {
        expect(compiled.get(name), name).toMatch(/^struct /);
        expect(proposed.get(name), name).toBe(compiled.get(name));
      }
      const unpatchable = ['r_oneline', 'r_ifdef', 'r_gap'];
      for (const name of refused) expect(unpatchable).toContain(name);
      for (const name of unpatchable) if (reported.find((t) => t.name === name)!.moves.length) expect(refused.has(name), name).toBe(true);
    });
  }
});
