/**
 * The module rule of docs/architecture.md ("Data flows one way"): every relative import between
 * the top-level modules of src/ must be an arrow the table allows. Keep the two tables the same.
 * Known exceptions are listed with the reason; the test also fails when one of them is gone, so
 * the list stays true.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

/** module → the modules it may import (docs/architecture.md's table). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  elf: ['util'],
  dwarf: ['util', 'model'],
  btf: ['util', 'model'],
  // load hands back the converters' TypeTable and builds the type index from it
  load: ['util', 'elf', 'dwarf', 'btf', 'model'],
  model: ['util'],
  layout: ['model', 'util'],
  diff: ['model', 'layout', 'doc'],
  report: ['model', 'layout', 'diff', 'doc'],
  // the JSON report document's types (written by report, read back by diff)
  doc: ['layout'],
  cli: ['*'],
  // src/index.ts, the public library API: a curated list of exports from every module
  index: ['*'],
  // src/pahole-text.ts: the library's lay-out-then-render conveniences (renderType, renderAll)
  'pahole-text': ['model', 'layout', 'report'],
};

/** Arrows against the table that exist today, each with why. None left: keep it that way. */
const KNOWN: Record<string, string> = {};

const src = join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level module of a path under src/ ("dwarf" for src/dwarf/convert/types.ts, "index" for src/index.ts). */
function moduleOf(path: string): string {
  const parts = relative(src, path).split(/[\\/]/);
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, '') : parts[0]!;
}

/** Every arrow "from -> to" between modules, with the files that draw it. */
function arrows(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      const from = moduleOf(file);
      const to = moduleOf(resolve(dirname(file), spec));
      if (from === to) continue;
      const key = `${from} -> ${to}`;
      if (!out.has(key)) out.set(key, new Set());
      out.get(key)!.add(relative(src, file));
    }
  }
  return out;
}

describe('imports follow the module table of ARCHITECTURE.md', () => {
  const all = arrows();

  it('finds the arrows it checks (the scan reads the sources)', () => {
    expect(all.get('dwarf -> model')?.size).toBeGreaterThan(0);
    expect(all.get('cli -> load')?.size).toBeGreaterThan(0);
  });

  it('no arrow against the table, except the known ones', () => {
    const against: string[] = [];
    for (const [key, files] of all) {
      const [from, to] = key.split(' -> ') as [string, string];
      const allowed = MAY_IMPORT[from];
      expect(allowed, `${from}: a module the table does not list (${[...files].join(', ')})`).toBeDefined();
      if (allowed!.includes('*') || allowed!.includes(to)) continue;
      if (KNOWN[key]) continue;
      against.push(`${key} (${[...files].join(', ')})`);
    }
    expect(against).toEqual([]);
  });

  it('every known exception still exists (remove it from KNOWN once fixed)', () => {
    for (const key of Object.keys(KNOWN)) expect(all.has(key), key).toBe(true);
  });

  it('dwarf never imports elf, btf never imports elf or dwarf', () => {
    for (const key of ['dwarf -> elf', 'btf -> elf', 'btf -> dwarf']) expect(all.has(key), key).toBe(false);
  });
});
