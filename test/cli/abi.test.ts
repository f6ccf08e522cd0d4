/**
 * `structscope diff --abi` (the built CLI) on the fixture pairs of fixtures/build-abi.sh: the set
 * of changed types equals abidiff's (abigail-tools; --leaf-changes-only lists each changed type
 * once), the type reached only from static and hidden functions is left out, the paths follow
 * the source, and a saved JSON report works as the old side.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, CLI_ENV, run, schemaValidator } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const validate = schemaValidator('abi-diff');
const PAIRS = ['libabi', 'abi-rel', 'abi-abs'].map((p) => {
  const ext = p === 'libabi' ? '.so' : '.o';
  return { name: p, old: fixturePath(`abi/${p}-v1${ext}`), new: fixturePath(`abi/${p}-v2${ext}`) };
});
const abidiff = spawnSync('abidiff', ['--version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'structscope-abi-'));

interface Doc {
  types: { kind: string; name: string; change: string; reachedFrom: { symbol: string; path: string[] }[] }[];
  symbols: { symbol: string; change: string; changes: string[] }[];
  regressions: Record<string, string[]>;
}

function abiJson(...args: string[]): Doc {
  const r = run('diff', '--abi', '--format', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
}

/** abidiff's changed types: the `'struct inner at abi_inner.c:11:1' changed:` lines of --leaf-changes-only. */
function abidiffTypes(oldPath: string, newPath: string): string[] {
  const r = spawnSync('abidiff', ['--leaf-changes-only', '--impacted-interfaces', oldPath, newPath], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/^'(\w+ \w+) at [^']*' changed:$/gm)].map((m) => m[1]!).sort();
}

describe.each(PAIRS)('diff --abi $name', (pair) => {
  const doc = abiJson(pair.old, pair.new);
  const names = doc.types.map((t) => `${t.kind} ${t.name}`).sort();

  it('reports the changed types exported symbols reach, not struct hidden (static and hidden functions only)', () => {
    expect(names).toEqual(['struct cfg', 'struct inner']);
    // plain diff sees struct hidden change too
    const plain = JSON.parse(run('diff', '--format', 'json', pair.old, pair.new).stdout) as Doc;
    expect(plain.types.map((t) => `${t.kind} ${t.name}`)).toContain('struct hidden');
  });

  it.skipIf(!abidiff)('the same changed types as abidiff (abigail-tools)', () => {
    expect(names).toEqual(abidiffTypes(pair.old, pair.new));
  });

  it('gives every symbol reaching a type with a shortest path (a declaration followed into its definition)', () => {
    const inner = doc.types.find((t) => t.name === 'inner')!;
    expect(inner.reachedFrom.map((p) => p.path.join(' → '))).toEqual([
      'inner_sum(const struct inner *, int) → struct inner',
      'api(struct pub *) → struct pub → struct inner *in → struct inner',
    ]);
    const cfg = doc.types.find((t) => t.name === 'cfg')!;
    expect(cfg.reachedFrom).toEqual([{ symbol: 'api_config', path: ['cfg_t api_config[2]', 'cfg_t', 'struct cfg'] }]);
  });

  it('reports symbols added, removed and changed in signature; --fail-on gates on them', () => {
    const gpl = pair.name === 'libabi' ? [] : ['changed api_same gpl'];
    expect(doc.symbols.map((s) => `${s.change} ${s.symbol} ${s.changes.join(',')}`).sort()).toEqual(['added api_added ', ...gpl, 'changed api_sig signature', 'removed api_removed '].sort());
    expect(doc.regressions['symbol-removed']).toEqual(['api_removed']);
    expect(doc.regressions.signature!.sort()).toEqual(['api_sig', ...(gpl.length ? ['api_same'] : [])].sort());
    const r = run('diff', '--abi', '--fail-on', 'signature', pair.old, pair.new);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--fail-on: signature (${1 + gpl.length})`);
  });

  it('--symbols restricts the roots; --suppress leaves out types and members', () => {
    const list = join(tmp, `${pair.name}.symbols`);
    writeFileSync(list, '# kABI list\ninner_sum\n\napi_sig  # signature changes\nnot_exported\n');
    const d = abiJson('--symbols', list, pair.old, pair.new);
    expect(d.types.map((t) => t.name)).toEqual(['inner']);
    expect(d.types[0]!.reachedFrom.map((p) => p.symbol)).toEqual(['inner_sum']);
    expect(d.symbols.map((s) => s.symbol)).toEqual(['api_sig']);
    const sup = join(tmp, `${pair.name}.suppress`);
    writeFileSync(sup, '# known\ntype struct inner\nmember struct cfg::flags\n');
    expect(abiJson('--suppress', sup, pair.old, pair.new).types.map((t) => t.name)).toEqual(['cfg']);
    writeFileSync(sup, 'types struct inner\n');
    const bad = run('diff', '--abi', '--suppress', sup, pair.old, pair.new);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 1');
  });

  it('a saved JSON report is a baseline: diff --abi BASELINE.json NEW gives the same changes', () => {
    const base = join(tmp, `${pair.name}-v1.json`);
    writeFileSync(base, run('diff', '--abi', '--format', 'json', pair.old, pair.old).stdout);
    const d = abiJson(base, pair.new);
    expect(d.types.map((t) => `${t.kind} ${t.name}`).sort()).toEqual(names);
    expect(d.types.find((t) => t.name === 'inner')!.reachedFrom).toEqual(doc.types.find((t) => t.name === 'inner')!.reachedFrom);
    expect(d.symbols).toEqual(doc.symbols);
  });
});

describe('diff --abi text', () => {
  it('prints the symbols, then each changed type with its paths', () => {
    const r = run('diff', '--abi', PAIRS[0]!.old, PAIRS[0]!.new);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  ~ api_sig: signature int api_sig(int) -> long int api_sig(int)');
    const k = run('diff', '--abi', PAIRS[1]!.old, PAIRS[1]!.new);
    expect(k.stdout).toContain('  ~ api_same: EXPORT_SYMBOL -> EXPORT_SYMBOL_GPL');
    expect(r.stdout).toContain('    api(struct pub *) → struct pub → struct inner *in → struct inner');
    expect(r.stdout).not.toContain('hidden');
  });
});

describe('diff --abi -F btf', () => {
  it('takes the roots from BTF_KIND_FUNC: the same functions, types and paths as from DWARF (pahole -J encodes no variables but per-CPU ones)', () => {
    const [o, n] = [1, 2].map((v) => fixturePath(`abi/abi-rel-btf-v${v}.o`)) as [string, string];
    const btf = abiJson('-F', 'btf', o, n);
    const dwarf = abiJson(o, n);
    expect(btf.types.map((t) => t.name)).toEqual(['inner']);
    expect(btf.types[0]!.reachedFrom).toEqual(dwarf.types.find((t) => t.name === 'inner')!.reachedFrom);
    // the same changes; variables have no signature from BTF
    const brief = (d: Doc) => d.symbols.map((s) => [s.symbol, s.change, s.changes]);
    expect(brief(btf)).toEqual(brief(dwarf));
  });
});

describe('diff --abi on bad input', () => {
  it('one line naming the file, exit 2: a missing file, not an ELF file, a JSON report that is no --abi report', () => {
    const good = PAIRS[0]!.new;
    const notAbi = join(tmp, 'show.json');
    writeFileSync(notAbi, run('show', '--format', 'json', good).stdout);
    for (const [bad, says] of [[join(tmp, 'missing.so'), 'missing.so: cannot open'], [fixturePath('../src/abi.c'), 'not an ELF file'], [notAbi, 'not a structscope diff --abi --format json report']] as const) {
      const r = run('diff', '--abi', bad, good);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(says);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('two large files are read at once (OLD in a worker thread)', () => {
  // STRUCTSCOPE_ABI_CONCURRENT_BYTES=0 takes that path for the small fixtures too
  const both = (...args: string[]) => {
    const serial = spawnSync(process.execPath, [CLI, 'diff', '--abi', ...args], { encoding: 'utf8', env: CLI_ENV });
    const concurrent = spawnSync(process.execPath, [CLI, 'diff', '--abi', ...args], { encoding: 'utf8', env: { ...CLI_ENV, STRUCTSCOPE_ABI_CONCURRENT_BYTES: '0' } });
    return { serial, concurrent };
  };

  it('the same report, text and JSON, exit code and messages', () => {
    for (const p of PAIRS) {
      for (const format of ['text', 'json']) {
        const { serial, concurrent } = both('--format', format, '-v', p.old, p.new);
        expect(concurrent.stdout, `${p.name} ${format}`).toBe(serial.stdout);
        expect(concurrent.stderr).toBe(serial.stderr);
        expect(concurrent.status).toBe(serial.status);
      }
    }
  });

  it('an unreadable side is the same one-line error, from the worker or from the main thread', () => {
    const missing = join(tmp, 'missing.o');
    for (const args of [[missing, PAIRS[0]!.new], [PAIRS[0]!.old, missing]]) {
      const { serial, concurrent } = both(...args);
      expect(serial.status).toBe(2);
      expect(concurrent.status).toBe(2);
      expect(concurrent.stderr).toBe(serial.stderr);
    }
  });
});
