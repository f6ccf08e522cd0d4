import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { ABIS, inferAll, type InferResult } from '../../src/layout/abi/index.js';
import { checkDocument, checkExitCode, checkFile, checkType, renderCheckText } from '../../src/report/check.js';
import { fixturePath } from '../helpers/fixtures.js';
import { DW_ATE, TB } from '../report/builder.js';

const KO = fixturePath('virtio_net.ko');
const PLAIN = fixturePath('layout-plain.o');


const validate = schemaValidator('check');
const TOTALS = /^(\d+) types?: (\d+) natural, (\d+) explained, (\d+) unexplained, (\d+) unpredictable \(ABI (\S+)\)$/;

function totalsLine(stdout: string): RegExpMatchArray {
  const lines = stdout.trimEnd().split('\n');
  const m = lines.at(-1)!.match(TOTALS);
  expect(m, lines.at(-1)).not.toBeNull();
  return m!;
}

describe('structscope check (the built CLI)', () => {
  it.each([
    ['layout-plain.o', 'x86_64'],
    ['layout-arm.o', 'arm'],
    ['layout-ppc64.o', 'ppc64'],
    ['layout-mips.o', 'mips'],
    ['virtio_net.ko', 'x86_64'],
  ])('%s: every layout natural or explained (ABI %s), exit 0', (name, abi) => {
    const r = run('check', fixturePath(name));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = totalsLine(r.stdout);
    expect(m[4]).toBe('0');
    expect(m[6]).toBe(abi);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length - 1).toBe(Number(m[1]));
    expect(Number(m[2]) + Number(m[3]) + Number(m[4]) + Number(m[5])).toBe(Number(m[1]));
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^(struct|union|class) \S+: (natural|explained: .+|unpredictable: .+)$/);
  });

  it('names the attributes that explain a layout', () => {
    const r = run('check', PLAIN, '-C', 'kitchen_sink,packed_s,pack2,holes');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'struct kitchen_sink: explained: aligned(64) on hot',
        'struct packed_s: explained: packed',
        'struct pack2: explained: pack(2)',
        'struct holes: natural',
        '4 types: 1 natural, 3 explained, 0 unexplained, 0 unpredictable (ABI x86_64)',
        '',
      ].join('\n'),
    );
  });

  it('tail padding of several unnamed bit-fields (DWARF omits them) is explained, aligned or not', () => {
    // fixtures/src/unnamed_tail.c: the shapes of __kernel_timex, bpf_timer and bpf_dynptr.
    const r = run('check', fixturePath('unnamed-tail.o'));
    expect(r.code, r.stdout).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('3 types: 0 natural, 3 explained, 0 unexplained, 0 unpredictable (ABI x86_64)');
    expect(lines[0]).toMatch(/^struct timex_like: explained: \d+ × unnamed bit-field .* at the end$/);
    expect(lines[1]).toMatch(/^struct timer_like: explained: aligned\(8\); \d+ × unnamed bit-field .* at the end$/);
    expect(lines[2]).toMatch(/^struct dynptr_like: explained: aligned\(8\); \d+ × unnamed bit-field .* at the end$/);
  });

  it('-C selects by name and /REGEX/; a name matching nothing exits 1 unless --skip-missing', () => {
    const a = run('check', KO, '-C', 'virtnet_info');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe('struct virtnet_info: natural\n1 type: 1 natural, 0 explained, 0 unexplained, 0 unpredictable (ABI x86_64)\n');
    const b = run('check', KO, '-C', '/^virtnet_.*stats$/');
    expect(b.code).toBe(0);
    expect(b.stdout.trimEnd().split('\n').slice(0, -1).map((l) => l.split(':')[0])).toEqual(['struct virtnet_sq_stats', 'struct virtnet_rq_stats']);
    const c = run('check', KO, '-C', 'virtnet_info,no_such_struct');
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(`structscope: ${KO}: no type matches 'no_such_struct'\n`);
    expect(c.stdout).toContain('struct virtnet_info: natural\n');
    expect(run('check', KO, '-C', 'no_such_struct', '--skip-missing').code).toBe(0);
    const u = run('check', PLAIN, '--unions');
    expect(u.code).toBe(0);
    for (const line of u.stdout.trimEnd().split('\n').slice(0, -1)) expect(line).toMatch(/^union /);
  });

  it('--format json validates against schema/check.schema.json and agrees with the text', () => {
    const r = run('check', PLAIN, KO, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.command).toBe('check');
    expect(doc.files.map((f: { path: string; abi: string }) => [f.path, f.abi])).toEqual([
      [PLAIN, 'x86_64'],
      [KO, 'x86_64'],
    ]);
    const ks = doc.files[0].types.find((t: { name: string }) => t.name === 'kitchen_sink');
    expect(ks).toEqual({ name: 'kitchen_sink', kind: 'struct', status: 'explained', attributes: ['aligned(64) on hot'], differences: [] });
    const m = totalsLine(run('check', PLAIN).stdout);
    expect(doc.files[0].totals).toEqual({ natural: Number(m[2]), explained: Number(m[3]), unexplained: 0, unpredictable: Number(m[5]) });
    expect(doc.files[0].types.length).toBe(Number(m[1]));
  });

  it('several files get ==> FILE <== headers', () => {
    const r = run('check', PLAIN, fixturePath('layout-arm.o'), '-C', 'kitchen_sink');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('==> '))).toEqual([`==> ${PLAIN} <==`, `==> ${fixturePath('layout-arm.o')} <==`]);
  });

  it('unreadable files exit 2; a machine without ABI rules is a one-line error, exit 2', () => {
    const missing = run('check', '/nonexistent/file.o');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);

    const dir = mkdtempSync(join(tmpdir(), 'structscope-check-'));
    const odd = join(dir, 'odd-machine');
    const bytes = readFileSync(fixturePath('layout-exe'));
    bytes.writeUInt16LE(0x1234, 18); // e_machine: nothing the engine knows
    writeFileSync(odd, bytes);
    const r = run('check', odd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^structscope: .*odd-machine: unknown ABI: no layout rules for machine-4660 \(64-bit little-endian\)\n$/);
    // the other files are still checked
    const both = run('check', odd, PLAIN, '-C', 'kitchen_sink');
    expect(both.code).toBe(2);
    expect(both.stdout).toContain('struct kitchen_sink: explained: aligned(64) on hot\n');
  });
});

describe('check report (pure)', () => {
  it('an unexplained layout lists its differences member by member and makes the exit code 1', () => {
    // struct odd { int a; int b; } with b at offset 3 overlapping a: no attribute reproduces it
    const b = new TB();
    const int = b.base('int', 4, DW_ATE.signed);
    const id = b.struct('odd', 8, [
      { name: 'a', type: int, off: 0 },
      { name: 'b', type: int, off: 3 },
    ]);
    const result = inferAll(b.t, ABIS.x86_64).get(id)!;
    expect(result.status).toBe('unexplained');
    const t = checkType('odd', 'struct', result);
    expect(t.differences.find((d) => d.member === 'b')).toMatchObject({ dwarfOffset: 3, dwarfSize: 4, abiSize: 4 });
    const file = checkFile('odd.o', 'x86_64', [t]);
    expect(file.totals).toEqual({ natural: 0, explained: 0, unexplained: 1, unpredictable: 0 });
    expect(checkExitCode([file])).toBe(1);
    const text = renderCheckText(file).split('\n');
    expect(text[0]).toMatch(/^struct odd: unexplained/);
    expect(text).toContain(`    b: offset DWARF 3 vs ABI ${t.differences.find((d) => d.member === 'b')!.abiOffset}, size 4`);
    expect(text.at(-2)).toBe('1 type: 0 natural, 0 explained, 1 unexplained, 0 unpredictable (ABI x86_64)');
    expect(validate(checkDocument([file])), JSON.stringify(validate.errors)).toBe(true);
  });

  it('renders a hand-made result of each status', () => {
    const base = { id: 1, attributes: {}, explanations: [] as string[], differences: [] };
    const results: [string, InferResult][] = [
      ['n', { ...base, status: 'natural' }],
      ['e', { ...base, status: 'explained', attributes: { packed: true }, explanations: ['packed'] }],
      ['p', { ...base, status: 'unpredictable', unpredictable: 'member x has no size' }],
      [
        'u',
        {
          ...base,
          status: 'unexplained',
          differences: [
            { member: 'x', index: 0, dwarfOffset: 8, abiOffset: 4, dwarfBitOffset: 64, abiBitOffset: 32, dwarfSize: 4, abiSize: 4 },
            { member: '(size)', index: -1, dwarfOffset: 0, abiOffset: 0, dwarfBitOffset: 0, abiBitOffset: 0, dwarfSize: 16, abiSize: 8 },
          ],
        },
      ],
    ];
    const file = checkFile('f.o', 'arm', results.map(([name, r]) => checkType(name, name === 'n' ? 'union' : 'struct', r)));
    expect(renderCheckText(file)).toBe(
      [
        'union n: natural',
        'struct e: explained: packed',
        'struct p: unpredictable: member x has no size',
        'struct u: unexplained',
        '    x: offset DWARF 8 vs ABI 4, size 4',
        '    (size): DWARF 16 vs ABI 8',
        '4 types: 1 natural, 1 explained, 1 unexplained, 1 unpredictable (ABI arm)',
        '',
      ].join('\n'),
    );
    expect(checkExitCode([file])).toBe(1);
    expect(checkExitCode([checkFile('g.o', 'arm', [checkType('n', 'struct', results[0]![1])])])).toBe(0);
    const doc = checkDocument([file]);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.files[0]!.types[2]).toEqual({ name: 'p', kind: 'struct', status: 'unpredictable', attributes: [], differences: [], reason: 'member x has no size' });
  });
});
