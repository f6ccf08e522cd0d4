/** Shared helpers for the elf tests: fixture discovery and a tiny ELF byte builder. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturePath } from '../helpers/fixtures.js';

export { fixtureManifest as manifest, type FixtureEntry as ManifestEntry } from '../helpers/fixtures.js';

/** Absolute path of fixtures/bin/<name>; throws (fails the test) when the file is missing. */
export function fixture(name: string): string {
  const p = fixturePath(name);
  if (!fs.existsSync(p)) throw new Error(`missing fixture ${p}: build the fixtures (fixtures/build.sh)`);
  return p;
}

let tmpDir: string | undefined;
/** Write bytes to a fresh temporary file and return its path. */
export function tmpFile(bytes: Uint8Array, name = 'elf'): string {
  tmpDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'structscope-elf-'));
  const p = path.join(tmpDir, `${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(p, bytes);
  return p;
}

/** Remove the files tmpFile wrote (call from afterAll). */
export function removeTmpFiles(): void {
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = undefined;
}

export const hasReadelf = spawnSync('readelf', ['--version'], { encoding: 'utf8' }).status === 0;

/** `readelf -z -R <section> <file>`: the relocated (and decompressed) hex dump, as bytes per dumped section. */
export function readelfRelocatedDump(file: string, section: string): Uint8Array[] {
  const r = spawnSync('readelf', ['-z', '-R', section, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`readelf failed: ${r.stderr}`);
  const dumps: number[][] = [];
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('Hex dump of section')) {
      dumps.push([]);
      continue;
    }
    const m = /^ {2}0x[0-9a-f]+ /.exec(line);
    if (!m || dumps.length === 0) continue;
    // 16 bytes as 4 groups of 8 hex digits, each followed by a space: a fixed 36-column field
    const hex = line.slice(m[0].length, m[0].length + 36).replace(/ /g, '');
    const cur = dumps[dumps.length - 1]!;
    for (let i = 0; i + 1 < hex.length; i += 2) cur.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return dumps.map((d) => Uint8Array.from(d));
}

// -------------------------------------------------------------------------------------------------
// Byte builder

export class Bytes {
  private buf: number[] = [];
  constructor(readonly littleEndian: boolean) {}
  get length(): number {
    return this.buf.length;
  }
  u8(v: number): this {
    this.buf.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.uN(BigInt(v), 2);
  }
  u32(v: number): this {
    return this.uN(BigInt(v), 4);
  }
  u64(v: number | bigint): this {
    return this.uN(BigInt(v), 8);
  }
  /** Word of the ELF class: 4 or 8 bytes. */
  word(v: number | bigint, is64: boolean): this {
    return this.uN(BigInt(v), is64 ? 8 : 4);
  }
  uN(v: bigint, n: number): this {
    const u = BigInt.asUintN(n * 8, v);
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) bytes.push(Number((u >> BigInt(8 * i)) & 0xffn));
    if (!this.littleEndian) bytes.reverse();
    this.buf.push(...bytes);
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.buf.push(b[i]!);
    return this;
  }
  str(s: string): this {
    return this.bytes(Buffer.from(s + '\0', 'utf8'));
  }
  align(n: number): this {
    while (this.buf.length % n) this.buf.push(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

export interface SectionSpec {
  name: string;
  type: number;
  flags?: number;
  data?: Uint8Array;
  /** sh_size override (default: data length). */
  size?: number | bigint;
  /** sh_offset override (default: where data is placed). */
  offset?: number | bigint;
  link?: number;
  info?: number;
  addralign?: number;
  entsize?: number;
  addr?: bigint;
}

export interface ElfSpec {
  class: 32 | 64;
  littleEndian: boolean;
  type?: number;
  machine?: number;
  flags?: number;
  /** Sections after the null section 0; a .shstrtab is appended. Indices are 1-based in order. */
  sections: SectionSpec[];
  /** Put the section count in section 0's sh_size (e_shnum = 0) and the name table index in its sh_link. */
  xindex?: boolean;
}

/** A minimal but valid ELF file: header, section contents, .shstrtab, section header table. */
export function buildElf(spec: ElfSpec): Uint8Array {
  const is64 = spec.class === 64;
  const le = spec.littleEndian;
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const names = new Bytes(le).u8(0);
  const nameOffsets: number[] = [];
  const all: SectionSpec[] = [...spec.sections, { name: '.shstrtab', type: 3 }];
  for (const s of all) {
    nameOffsets.push(names.length);
    names.str(s.name);
  }
  all[all.length - 1]!.data = names.done();
  const body = new Bytes(le);
  const offsets: number[] = [];
  for (const s of all) {
    body.align(8);
    offsets.push(ehsize + body.length);
    if (s.data && s.type !== 8) body.bytes(s.data);
  }
  body.align(8);
  const shoff = ehsize + body.length;
  const count = all.length + 1;
  const shstrndx = all.length; // last one
  const out = new Bytes(le);
  out.bytes([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  out.u16(spec.type ?? 1).u16(spec.machine ?? 62).u32(1);
  out.word(0, is64).word(0, is64).word(shoff, is64); // entry, phoff, shoff
  out.u32(spec.flags ?? 0).u16(ehsize).u16(0).u16(0).u16(shentsize);
  out.u16(spec.xindex ? 0 : count).u16(spec.xindex ? 0xffff : shstrndx);
  out.bytes(body.done());
  // section 0
  const sh = (name: number, type: number, flags: number | bigint, addr: bigint, off: number | bigint, size: number | bigint,
    link: number, info: number, align: number, entsize: number): void => {
    out.u32(name).u32(type);
    out.word(flags, is64).word(addr, is64).word(off, is64).word(size, is64);
    out.u32(link).u32(info).word(align, is64).word(entsize, is64);
  };
  sh(0, 0, 0, 0n, 0, spec.xindex ? count : 0, spec.xindex ? shstrndx : 0, 0, 0, 0);
  all.forEach((s, i) => {
    sh(nameOffsets[i]!, s.type, s.flags ?? 0, s.addr ?? 0n, s.offset ?? offsets[i]!, s.size ?? s.data?.length ?? 0,
      s.link ?? 0, s.info ?? 0, s.addralign ?? 1, s.entsize ?? 0);
  });
  return out.done();
}
