import { StructscopeError } from './errors.js';

/**
 * A bounds-checked little/big-endian cursor over a byte view, for cold paths (headers, tables).
 * Every error names the section and the absolute file offset of the failing read.
 * Sub-readers share the underlying buffer (zero copy).
 */
export class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
  /** Absolute file offset of bytes[0], for error messages. */
  readonly baseOffset: number;
  readonly section: string;
  pos: number;

  constructor(bytes: Uint8Array, littleEndian: boolean, section = '', baseOffset = 0, pos = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = littleEndian;
    this.baseOffset = baseOffset;
    this.section = section;
    this.pos = pos;
  }

  get length(): number {
    return this.bytes.length;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** A reader over [start, start+length) of this one, positioned at 0. */
  sub(start: number, length: number, section = this.section): Reader {
    if (start < 0 || length < 0 || start + length > this.bytes.length) {
      this.fail(start, `range of ${length} bytes at 0x${start.toString(16)} exceeds ${this.bytes.length}`);
    }
    return new Reader(this.bytes.subarray(start, start + length), this.littleEndian, section, this.baseOffset + start);
  }

  fail(at: number, detail: string, code: 'EOF' | 'BAD_HEADER' | 'LIMIT' = 'EOF'): never {
    throw new StructscopeError(code, detail, { section: this.section || undefined, fileOffset: this.baseOffset + at });
  }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.bytes.length) this.fail(p, `unexpected end of data reading ${n} bytes`);
    this.pos = p + n;
    return p;
  }

  u8(): number {
    return this.bytes[this.need(1)]!;
  }
  u16(): number {
    return this.view.getUint16(this.need(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), this.littleEndian);
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  i16(): number {
    return this.view.getInt16(this.need(2), this.littleEndian);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), this.littleEndian);
  }
  /** 64-bit value as a number; exact below 2^53 (file offsets, sizes). */
  u64(): number {
    const p = this.need(8);
    const lo = this.view.getUint32(p + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(p + (this.littleEndian ? 4 : 0), this.littleEndian);
    return hi * 0x1_0000_0000 + lo;
  }
  u64big(): bigint {
    return this.view.getBigUint64(this.need(8), this.littleEndian);
  }
  i64big(): bigint {
    return this.view.getBigInt64(this.need(8), this.littleEndian);
  }
  /** Unsigned value of `size` bytes (1, 2, 4 or 8) as a number. */
  uN(size: number): number {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        return this.fail(this.pos, `unsupported integer size ${size}`, 'BAD_HEADER');
    }
  }
  uleb(): number {
    const b = this.bytes;
    let p = this.pos;
    if (p >= b.length) this.fail(p, 'unexpected end of data in LEB128');
    let byte = b[p++]!;
    if (byte < 0x80) {
      this.pos = p;
      return byte;
    }
    let result = byte & 0x7f;
    let mul = 0x80;
    do {
      if (p >= b.length) this.fail(p, 'unexpected end of data in LEB128');
      byte = b[p++]!;
      result += (byte & 0x7f) * mul;
      mul *= 0x80;
    } while (byte & 0x80);
    if (mul > LEB_MAX_MUL) this.fail(this.pos, LEB_TOO_LONG, 'BAD_HEADER');
    this.pos = p;
    return result;
  }
  sleb(): number {
    const b = this.bytes;
    let p = this.pos;
    let result = 0;
    let mul = 1;
    let byte: number;
    do {
      if (p >= b.length) this.fail(p, 'unexpected end of data in LEB128');
      byte = b[p++]!;
      result += (byte & 0x7f) * mul;
      mul *= 0x80;
    } while (byte & 0x80);
    if (mul > LEB_MAX_MUL) this.fail(this.pos, LEB_TOO_LONG, 'BAD_HEADER');
    if (byte & 0x40) result -= mul;
    this.pos = p;
    return result;
  }
  /** NUL-terminated string (latin1/utf8 bytes decoded as UTF-8). */
  cstring(): string {
    const b = this.bytes;
    const start = this.pos;
    const end = b.indexOf(0, start);
    if (end < 0) this.fail(start, 'unterminated string');
    this.pos = end + 1;
    return decodeUtf8(b, start, end);
  }
  bytesN(n: number): Uint8Array {
    const p = this.need(n);
    return this.bytes.subarray(p, p + n);
  }
  skip(n: number): void {
    this.need(n);
  }
  seek(pos: number): void {
    if (pos < 0 || pos > this.bytes.length) this.fail(pos, `seek to 0x${pos.toString(16)} outside ${this.bytes.length} bytes`);
    this.pos = pos;
  }
}

/** A LEB128 of more than 10 bytes holds more than 64 bits: no DWARF or ELF value is that wide. */
const LEB_MAX_MUL = 2 ** 70;
const LEB_TOO_LONG = 'LEB128 value longer than 10 bytes (more than 64 bits)';

const decoder = new TextDecoder('utf-8');

/** Decode bytes [start, end) as UTF-8, with a fast path for ASCII identifiers. */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  if (end - start < 48) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return decoder.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(b.subarray(start, end));
}

/** Read a NUL-terminated string at `offset` of `b`, or undefined when out of range or unterminated. */
export function cstringAt(b: Uint8Array, offset: number): string | undefined {
  if (offset < 0 || offset >= b.length) return undefined;
  const end = b.indexOf(0, offset);
  if (end < 0) return undefined;
  return decodeUtf8(b, offset, end);
}
