// Hostile input, per category of issue 20: every case ends within seconds, under a memory bound,
// with the documented exit code and a one-line message, and reads no file outside the rules.
// The hostile files are generated here (test/helpers/dwarf-builder.ts), not byte flips.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Bytes, buildElf } from '../elf/helpers.js';
import { buildDwarfElf, simpleStruct, zstdRleBomb } from '../helpers/dwarf-builder.js';
import { CLI, CLI_ENV } from '../helpers/cli.js';
import { fileCrc32 } from '../../src/load/debug-files.js';
import { regexProblem } from '../../src/util/regex-check.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const installed = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasTime = installed('/usr/bin/time');
const hasStrace = installed('strace') && spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true']).status === 0;

/** Every run: at most this long, and (where /usr/bin/time exists) at most this peak RSS. */
const TIME_LIMIT_MS = 15_000;
const RSS_LIMIT_KB = 600 * 1024;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set, KB (undefined without /usr/bin/time). */
  rssKb?: number;
}

/** Run the CLI with a time limit and (through /usr/bin/time) a measured peak RSS; the JS heap capped too. */
function run(args: string[], env: Record<string, string | undefined> = {}, shell?: string): Result {
  const node = [process.execPath, '--max-old-space-size=256', CLI, ...args];
  const cmd = shell ? ['bash', '-c', shell.replace('CLI', node.map((a) => `'${a}'`).join(' '))] : node;
  const full = hasTime ? ['/usr/bin/time', '-f', 'peak-rss-kb %M', ...cmd] : cmd;
  const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', timeout: TIME_LIMIT_MS, env: { ...CLI_ENV, ...env }, maxBuffer: 64 << 20 });
  if (r.error) throw r.error; // ETIMEDOUT: a hang is a failure
  let stderr = r.stderr;
  let rssKb: number | undefined;
  const m = /peak-rss-kb (\d+)\n?$/.exec(stderr);
  if (m) {
    rssKb = Number(m[1]);
    stderr = stderr.slice(0, m.index).replace(/Command exited with non-zero status \d+\n$/, '');
  }
  if (rssKb !== undefined) expect(rssKb, `peak RSS of ${args.join(' ')}`).toBeLessThan(RSS_LIMIT_KB);
  return { code: r.status ?? -1, stdout: r.stdout, stderr, rssKb };
}

/** One line of stderr, naming the file. */
function oneLineNaming(r: Result, file: string): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  return lines[0]!;
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

const okElf = buildDwarfElf({ dies: simpleStruct('foo', 8, [{ name: 'a', offset: 0 }, { name: 'b', offset: 4 }]) });

/** A stripped binary whose only debug information is a .gnu_debuglink to `name` with `crc`. */
function strippedWithDebugLink(name: string, crc: number): Uint8Array {
  const link = new Bytes(true).str(name).align(4).u32(crc).done();
  return buildElf({ class: 64, littleEndian: true, sections: [{ name: '.text', type: 1, data: new Uint8Array(16) }, { name: '.gnu_debuglink', type: 1, data: link }] });
}

describe('lookups: a name from the binary never leaves the rules', () => {
  // tmp/secret/x.debug is a valid debug file outside the binary's directory (tmp/bin)
  const bin = join(tmp, 'bin');
  const secret = join(tmp, 'secret');
  mkdirSync(bin, { recursive: true });
  mkdirSync(secret, { recursive: true });
  const secretFile = join(secret, 'x.debug');
  writeFileSync(secretFile, okElf);
  const crc = fileCrc32(secretFile)!;

  it("a .gnu_debuglink with '..' is not followed out of the binary's directory", () => {
    const b = join(bin, 'climb');
    writeFileSync(b, strippedWithDebugLink('../secret/x.debug', crc));
    const r = run([b]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const line = oneLineNaming(r, b);
    expect(line).toContain('no DWARF debug info');
    expect(line).toContain('its .gnu_debuglink name "../secret/x.debug" leads out of every directory a debug file may be in');
    expect(line).not.toContain(secret);
  });

  it('a debuglink target of the wrong CRC is rejected without printing its CRC', () => {
    const b = join(bin, 'wrongcrc');
    writeFileSync(join(bin, 'wrongcrc.debug'), okElf);
    writeFileSync(b, strippedWithDebugLink('wrongcrc.debug', (crc ^ 1) >>> 0));
    const r = run([b]);
    expect(r.code).toBe(2);
    const line = oneLineNaming(r, b);
    expect(line).toContain('its CRC32 does not match');
    const own = fileCrc32(join(bin, 'wrongcrc.debug'))!.toString(16).padStart(8, '0');
    expect(line).not.toContain(own);
  });

  it('a debuglink to a FIFO, a symlink into /proc, or a directory is refused by type, without a hang', () => {
    const b = join(bin, 'special');
    spawnSync('mkfifo', [join(bin, 'fifo.debug')]);
    symlinkSync('/proc/self/pagemap', join(bin, 'pagemap.debug'));
    mkdirSync(join(bin, 'dir.debug'));
    for (const name of ['fifo.debug', 'pagemap.debug', 'dir.debug']) {
      writeFileSync(b, strippedWithDebugLink(name, crc));
      const r = run([b]);
      expect(r.code).toBe(2);
      expect(oneLineNaming(r, b)).toContain('no DWARF debug info');
    }
  });

  it('the debug file found through a symlink that leaves the directory is not read', () => {
    const b = join(bin, 'linked');
    symlinkSync(secretFile, join(bin, 'linked.debug'));
    writeFileSync(b, strippedWithDebugLink('linked.debug', crc));
    const r = run([b]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('the same debug file inside the directory is found (the rule does not break the normal case)', () => {
    const b = join(bin, 'normal');
    writeFileSync(join(bin, 'normal.debug'), okElf);
    writeFileSync(b, strippedWithDebugLink('normal.debug', crc));
    const r = run([b]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('struct foo {');
  });

  it.skipIf(!hasStrace)('strace: no file outside the rules is opened (skipped without strace)', () => {
    const b = join(bin, 'climb');
    const trace = join(tmp, 'trace');
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=open,openat,openat2,stat,statx,newfstatat', '-o', trace, process.execPath, CLI, b], { encoding: 'utf8', timeout: TIME_LIMIT_MS, env: CLI_ENV });
    expect(r.status).toBe(2);
    const opened = readFileSync(trace, 'utf8');
    expect(opened).toContain(b);
    expect(opened).not.toContain('secret');
  });
});

describe('special files given as FILE', () => {
  it('a FIFO nobody writes to is an error at once, not a hang', () => {
    const fifo = join(tmp, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const r = run([fifo]);
    expect(r.code).toBe(2);
    expect(oneLineNaming(r, fifo)).toContain('the pipe or FIFO gave no data');
  });

  it('a device is refused by its type', () => {
    const r = run(['/dev/zero']);
    expect(r.code).toBe(2);
    expect(oneLineNaming(r, '/dev/zero')).toContain('not a regular file (character device)');
  });

  it('a valid ELF file on a pipe is read', () => {
    const f = write('piped.o', okElf);
    const r = run([], {}, `CLI <(cat '${f}')`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('struct foo {');
  });
});

describe('decompression bombs (generated here)', () => {
  it('a 100 KB zstd .debug_info honestly declaring 3 GiB is refused before decompression (--max-section-size)', () => {
    const f = write('bomb-3g.o', buildDwarfElf({ dies: simpleStruct('foo', 8), compressInfo: { type: 'raw', chType: 2, declared: 3 * 2 ** 30, data: zstdRleBomb(3 * 2 ** 30) } }));
    for (const args of [[f], ['-C', 'foo', f]]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(oneLineNaming(r, f)).toMatch(/\.debug_info: offset 0x[0-9a-f]+: declared uncompressed size 3221225472 is more than the 2147483648 bytes allowed \(--max-section-size\)/);
    }
  });

  it('a 512 MiB zstd bomb is refused by the ratio (--max-compression-ratio), which an option raises', () => {
    const f = write('bomb-512m.o', buildDwarfElf({ dies: simpleStruct('foo', 8), compressInfo: { type: 'raw', chType: 2, declared: 512 * 2 ** 20, data: zstdRleBomb(512 * 2 ** 20) } }));
    const r = run([f]);
    expect(r.code).toBe(2);
    expect(oneLineNaming(r, f)).toMatch(/times the \d+ compressed bytes, more than the 200:1 allowed \(--max-compression-ratio\)/);
  });

  it('a zlib .debug_info of 64 MiB compressed 1000:1 is refused; --max-compression-ratio 2000 lets it through to the DWARF reader', () => {
    const { info } = { info: new Uint8Array(64 * 2 ** 20) };
    const z = deflateSync(info);
    const f = write('bomb-zlib.o', buildDwarfElf({ dies: simpleStruct('foo', 8), compressInfo: { type: 'raw', chType: 1, declared: info.length, data: z } }));
    const r = run([f]);
    expect(r.code).toBe(2);
    expect(oneLineNaming(r, f)).toContain('(--max-compression-ratio)');
    const raised = run([f, '--max-compression-ratio', '2000']);
    expect(raised.stderr).not.toContain('--max-compression-ratio');
  });

  it('a limit option that is not a size is a usage error', () => {
    const r = run(['--max-section-size', 'lots', write('ok.o', okElf)]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--max-section-size lots: not a size');
  });
});

describe('absurd sizes and LEB128s', () => {
  const big = write('big.o', buildDwarfElf({ dies: simpleStruct('foo', 0xffffffff) }));
  const big64 = write('big64.o', buildDwarfElf({ dies: simpleStruct('foo', 0xffffffffffffffffn) }));
  const commands: [string[], number][] = [[[], 0], [['--format', 'json'], 0], [['check'], 1], [['reorg'], 0], [['--target', 'i386'], 0]];
  for (const f of [big, big64]) {
    for (const [args, code] of commands) {
      it(`${f.endsWith('big.o') ? 'DW_AT_byte_size 0xffffffff' : 'DW_AT_byte_size 2^64-1'}: ${args.join(' ') || 'show'} ends quickly in bounded memory`, () => {
        const r = run([...(args[0] === 'check' || args[0] === 'reorg' ? [args[0]] : []), f, ...(args[0] === 'check' || args[0] === 'reorg' ? [] : args)]);
        expect(r.code, r.stderr).toBe(code);
        if (args[0] === '--format') expect(JSON.parse(r.stdout).files[0].types[0].name).toBe('foo');
      });
    }
    it(`${f.endsWith('big.o') ? '0xffffffff' : '2^64-1'}: diff against a normal file`, () => {
      const r = run(['diff', write('ok.o', okElf), f]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('1 changed');
    });
  }

  it('a 100-byte ULEB128 size is an error at its offset (listed with -v), not size 8.2e+208', () => {
    const leb = new Uint8Array(100).fill(0xff);
    leb[99] = 0x7f;
    const f = write('leb.o', buildDwarfElf({ dies: simpleStruct('foo', leb) }));
    for (const args of [[f, '-v'], ['--format', 'json', f, '-v'], ['check', f, '-v']]) {
      const r = run(args);
      expect(r.stdout).not.toContain('e+');
      expect(r.stderr).toMatch(/\.debug_info: offset 0x[0-9a-f]+: LEB128 value longer than 10 bytes \(more than 64 bits\)/);
      expect(r.stderr).not.toContain('internal error');
    }
  });
});

describe('string bounds', () => {
  it('a struct name out of .debug_str, or unterminated, is a diagnostic listed with -v', () => {
    const oob = write('str-oob.o', buildDwarfElf({ dies: simpleStruct(new Uint8Array([0xff, 0, 0, 0]), 8), str: Uint8Array.from([0x61, 0]) }));
    const unterminated = write('str-unterminated.o', buildDwarfElf({ dies: simpleStruct(new Uint8Array([0, 0, 0, 0]), 8), str: Uint8Array.from([0x61, 0x62]) }));
    for (const [f, off] of [[oob, '0xff'], [unterminated, '0x0']] as const) {
      const quiet = run([f]);
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toContain('1 problem(s) in the debug info were skipped');
      const r = run([f, '-v']);
      expect(r.stderr).toContain(`DW_AT_name .debug_str offset ${off} is out of bounds or unterminated`);
    }
  });
});

describe('regular expressions and empty selections', () => {
  it('nested quantifiers are refused up front (usage error, exit 64), where they used to hang', () => {
    for (const re of ['/(a+)+$/', '/(.*)*x/', '/(a|aa)+$/', '/(x)\\1/']) {
      const r = run(['-C', re, write('ok.o', okElf)]);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain(`-C ${re}: refused`);
    }
  });

  it('-C "" and -C ",,,," are usage errors', () => {
    for (const c of ['', ',,,,']) {
      const r = run(['-C', c, write('ok.o', okElf)]);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain('no type name or /REGEX/ given');
    }
  });

  it('the complexity check accepts what type filters need and refuses the exponential shapes', () => {
    for (const ok of ['^foo_', '_ops$', '^(task|mm)_struct$', '[a-z]+_t', 'a{2,3}b', '(ab)+', '^(?:x|y)z$', '[(+]+']) expect(regexProblem(ok), ok).toBeUndefined();
    for (const bad of ['(a+)+', '(a*)*', '(a|b)*c', '((ab)+)+', '(a{1,})+', '(?:a+){2,}', '(a|a){30}', '(a)\\1']) expect(regexProblem(bad), bad).toBeDefined();
    // and the refused ones do hang JavaScript's engine: a check that cannot fail is no check
    const t0 = Date.now();
    /(a+)+$/.test('a'.repeat(20) + '!');
    expect(Date.now() - t0).toBeGreaterThan(20);
  });
});

describe('names with escape sequences', () => {
  const f = write('esc.o', buildDwarfElf({ dies: simpleStruct('ev\x1b[31mil\u202ex', 8, [{ name: 'm\x07', offset: 0 }]) }));
  it('text and table output escape control characters', () => {
    for (const args of [[f], ['--format', 'table', f], ['--sizes', f]]) {
      const r = run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
      expect(r.stdout).toContain('ev\\u001b[31mil\\u202ex');
    }
  });
  it('diff output escapes them too', () => {
    const r = run(['diff', write('ok.o', okElf), f]);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(r.stdout).toContain('\\u001b');
  });
  it('a line feed or tab in a name cannot start a line of its own (show, check, reorg, diff text)', () => {
    const nl = write('newline.o', buildDwarfElf({ dies: simpleStruct('fake\nstruct pwned {', 8, [{ name: 'm\tx', offset: 0 }]) }));
    for (const args of [[nl], ['check', nl], ['reorg', nl], ['diff', write('ok.o', okElf), nl]]) {
      const r = run(args);
      expect(r.stdout).toContain('fake\\nstruct pwned {');
      expect(r.stdout.split('\n').some((l) => l.startsWith('struct pwned'))).toBe(false);
    }
    expect(run([nl]).stdout).toContain('m\\tx;');
    expect(JSON.parse(run(['--format', 'json', nl]).stdout).files[0].types[0].name).toBe('fake\nstruct pwned {');
  });

  it('JSON keeps the raw name', () => {
    const r = run(['--format', 'json', f]);
    expect(JSON.parse(r.stdout).files[0].types[0].name).toBe('ev\x1b[31mil\u202ex');
  });
});

describe('the type index cache is untrusted', () => {
  const f = write('cached.o', okElf);
  const cacheDir = join(tmp, 'cache');
  const env = { STRUCTSCOPE_CACHE_DIR: cacheDir };
  const indexFile = (): string => {
    const dir = join(cacheDir, 'index-v1');
    const idx = readdirSync(dir).find((n) => n.endsWith('.idx'));
    return join(dir, idx!);
  };

  it('a forged index (checksum recomputed) that says the name is absent is caught and discarded', async () => {
    expect(run([f], env).code).toBe(0); // writes the index
    const file = indexFile();
    const text = readFileSync(file, 'utf8');
    const body = JSON.parse(text.slice(0, text.lastIndexOf('\n', text.length - 2)));
    body.names = {};
    const forged = JSON.stringify(body);
    const { createHash } = await import('node:crypto');
    writeFileSync(file, `${forged}\n${createHash('sha256').update(forged).digest('hex')}\n`);
    const r = run(['-C', 'foo', f, '-v'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('struct foo {');
    expect(r.stderr).toContain('type index rejected');
    expect(readdirSync(join(cacheDir, 'index-v1')).some((n) => n.endsWith('.idx'))).toBe(false);
  });

  it('an index entry that is a FIFO or a symlink to /dev/zero is not read', () => {
    expect(run([f], env).code).toBe(0);
    const file = indexFile();
    rmSync(file);
    spawnSync('mkfifo', [file]);
    let r = run(['-C', 'foo', f], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('struct foo {');
    rmSync(file);
    symlinkSync('/dev/zero', file);
    r = run(['-C', 'foo', f], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('struct foo {');
  });

  it('a cache directory that cannot be made (under /proc) is one warning, and the command answers', () => {
    const r = run([f], { STRUCTSCOPE_CACHE_DIR: '/proc/self/no/such/dir' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('struct foo {');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot be written; continuing without it');
  });
});

describe('a report given to diff is validated against schema/show.schema.json', () => {
  it('"members": null names the report and the field (exit 2), not an internal error', () => {
    const f = write('ok.o', okElf);
    const good = run(['--format', 'json', f]);
    const doc = JSON.parse(good.stdout);
    doc.files[0].types[0].members = null;
    const report = join(tmp, 'bad.json');
    writeFileSync(report, JSON.stringify(doc));
    const r = run(['diff', report, f]);
    expect(r.code).toBe(2);
    expect(oneLineNaming(r, report)).toContain('field /files/0/types/0/members must be array');
  });

  it('a name with control characters in a report is escaped in diff text', () => {
    const f = write('ok.o', okElf);
    const doc = JSON.parse(run(['--format', 'json', f]).stdout);
    doc.files[0].types[0].name = 'x\x1b]0;pwned\x07';
    const report = join(tmp, 'esc.json');
    writeFileSync(report, JSON.stringify(doc));
    const r = run(['diff', report, f]);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(r.stdout).toContain('x\\u001b]0;pwned\\u0007');
  });
});
