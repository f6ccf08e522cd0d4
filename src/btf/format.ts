/**
 * The BTF container: header, type section and string section (linux/btf.h, Documentation/bpf/btf.rst).
 * Reads either byte order (the magic 0xeb9f tells which) and checks every offset and count
 * against the blob before anything is allocated or followed.
 */
import { Buffer, isAscii } from 'node:buffer';
import { StructscopeError } from '../util/errors.js';

export const BTF_MAGIC = 0xeb9f;

export const BTF_KIND = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

/** BTF_INT_ENCODING bits. */
export const BTF_INT = { SIGNED: 1, CHAR: 2, BOOL: 4 } as const;

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Size of `struct btf_type` (name_off, info, size/type). */
const TYPE_HEADER = 12;
/** The header fields structscope reads; hdr_len may be larger (newer fields are skipped). */
const MIN_HEADER = 24;

/** Where the bytes came from, for error messages. */
export interface BtfWhere {
  /** Section name ('.BTF'), or undefined for a raw BTF file. */
  section?: string;
  /** File offset of the blob's first byte. */
  fileOffset: number;
}

/** One BTF blob with its types indexed (type id → record offset); split BTF continues its base. */
export interface BtfBlob {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  where: BtfWhere;
  /** Start of the type and string sections within bytes. */
  typeStart: number;
  typeEnd: number;
  strStart: number;
  strEnd: number;
  /** The base of a split blob: its ids and string offsets come first. */
  base?: BtfBlob;
  /** Id of this blob's first type (1, or the base's type count for split BTF). */
  firstId: number;
  /** String offsets below this belong to the base. */
  firstStr: number;
  /** Record offset (within bytes) of each of this blob's types, in id order. */
  offsets: Uint32Array;
  /** Kind of each of this blob's types. */
  kinds: Uint8Array;
  /** Decoded strings by offset (btfString). */
  strings?: Map<number, string | undefined>;
  buf?: Buffer;
  /**
   * The string section as one JavaScript string when it is all ASCII (a kernel's is): a name is
   * then a slice of it, found with indexOf, not a decode per name. Null when it is not ASCII.
   */
  ascii?: string | null;
  /** Set when reading stopped at a type whose kind (and so size) is unknown. */
  stoppedAt?: { offset: number; kind: number; id: number };
}

/** True when the bytes start with the BTF magic, in either byte order. */
export function isBtf(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f));
}

function fail(where: BtfWhere, at: number, detail: string, code: 'EOF' | 'BAD_HEADER' | 'BAD_MAGIC' | 'LIMIT' = 'BAD_HEADER'): never {
  throw new StructscopeError(code, detail, { section: where.section, fileOffset: where.fileOffset + at });
}

/** Total type count (ids 0 … typeCount-1) of a blob and its base. */
export function typeCount(blob: BtfBlob): number {
  return blob.firstId + blob.offsets.length;
}

/**
 * Bytes of a type record's trailing data by kind: FIXED[kind] + PER_VLEN[kind] × vlen; FIXED is -1
 * for an unknown kind. Tables, not a switch: parseBtf looks every record up (125,000 in a kernel).
 */
const FIXED = new Int8Array(32).fill(-1);
const PER_VLEN = new Uint8Array(32);
for (const k of [BTF_KIND.PTR, BTF_KIND.FWD, BTF_KIND.TYPEDEF, BTF_KIND.VOLATILE, BTF_KIND.CONST, BTF_KIND.RESTRICT, BTF_KIND.FUNC, BTF_KIND.FLOAT, BTF_KIND.TYPE_TAG]) FIXED[k] = 0;
for (const k of [BTF_KIND.INT, BTF_KIND.VAR, BTF_KIND.DECL_TAG]) FIXED[k] = 4;
FIXED[BTF_KIND.ARRAY] = 12;
for (const k of [BTF_KIND.STRUCT, BTF_KIND.UNION, BTF_KIND.DATASEC, BTF_KIND.ENUM64]) [FIXED[k], PER_VLEN[k]] = [0, 12];
for (const k of [BTF_KIND.ENUM, BTF_KIND.FUNC_PROTO]) [FIXED[k], PER_VLEN[k]] = [0, 8];

/**
 * Parse a BTF blob: header, section bounds and the offset of every type record.
 * Throws StructscopeError (BAD_MAGIC, BAD_HEADER, EOF) naming the file offset of a bad header or a
 * record that runs past the type section. An unknown kind stops indexing there (stoppedAt).
 */
export function parseBtf(bytes: Uint8Array, where: BtfWhere, base?: BtfBlob): BtfBlob {
  if (bytes.length < MIN_HEADER) fail(where, 0, `BTF header truncated: ${bytes.length} bytes, need ${MIN_HEADER}`, 'EOF');
  let littleEndian: boolean;
  if (bytes[0] === 0x9f && bytes[1] === 0xeb) littleEndian = true;
  else if (bytes[0] === 0xeb && bytes[1] === 0x9f) littleEndian = false;
  else fail(where, 0, `not BTF (magic 0x${((bytes[0]! << 8) | bytes[1]!).toString(16)}, expected 0xeb9f)`, 'BAD_MAGIC');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[2]!;
  if (version !== 1) fail(where, 2, `unsupported BTF version ${version}`);
  const hdrLen = view.getUint32(4, littleEndian);
  if (hdrLen < MIN_HEADER || hdrLen > bytes.length) fail(where, 4, `BTF header length ${hdrLen} out of range (blob has ${bytes.length} bytes)`);
  const typeOff = view.getUint32(8, littleEndian);
  const typeLen = view.getUint32(12, littleEndian);
  const strOff = view.getUint32(16, littleEndian);
  const strLen = view.getUint32(20, littleEndian);
  const typeStart = hdrLen + typeOff;
  const typeEnd = typeStart + typeLen;
  const strStart = hdrLen + strOff;
  const strEnd = strStart + strLen;
  if (typeEnd > bytes.length) fail(where, 8, `BTF type section [0x${typeStart.toString(16)}, 0x${typeEnd.toString(16)}) exceeds the blob (${bytes.length} bytes)`, 'EOF');
  if (strEnd > bytes.length) fail(where, 16, `BTF string section [0x${strStart.toString(16)}, 0x${strEnd.toString(16)}) exceeds the blob (${bytes.length} bytes)`, 'EOF');
  if (typeOff % 4 !== 0) fail(where, 8, `BTF type section offset ${typeOff} is not 4-byte aligned`);
  if (typeStart < strEnd && strStart < typeEnd) fail(where, 8, 'BTF type and string sections overlap');
  if (!base && strLen > 0 && bytes[strStart] !== 0) fail(where, strStart, 'BTF string section does not start with an empty string (split BTF? give its base with --btf-base)');

  // every record is at least 12 bytes: the id arrays can never outgrow the blob
  const max = Math.floor(typeLen / TYPE_HEADER);
  const offsets = new Uint32Array(max);
  const kinds = new Uint8Array(max);
  let n = 0;
  let pos = typeStart;
  const firstId = base ? typeCount(base) : 1;
  let stoppedAt: BtfBlob['stoppedAt'];
  // the host's byte order and 4-aligned records: the info words read from a Uint32Array
  const words = littleEndian === HOST_LE && bytes.byteOffset % 4 === 0 && typeStart % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2) : undefined;
  while (pos < typeEnd) {
    if (pos + TYPE_HEADER > typeEnd) fail(where, pos, `BTF type [${firstId + n}] truncated: header runs past the type section end 0x${typeEnd.toString(16)}`, 'EOF');
    const info = words ? words[(pos + 4) >>> 2]! : view.getUint32(pos + 4, littleEndian);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const fixed = FIXED[kind]!;
    if (fixed < 0) {
      stoppedAt = { offset: pos, kind, id: firstId + n };
      break;
    }
    const end = pos + TYPE_HEADER + fixed + PER_VLEN[kind]! * vlen;
    if (end > typeEnd) fail(where, pos, `BTF type [${firstId + n}] (kind ${kind}, vlen ${vlen}) runs past the type section end 0x${typeEnd.toString(16)}`, 'EOF');
    offsets[n] = pos;
    kinds[n] = kind;
    n++;
    pos = end;
  }
  const blob: BtfBlob = {
    bytes,
    view,
    littleEndian,
    where,
    typeStart,
    typeEnd,
    strStart,
    strEnd,
    firstId,
    firstStr: base ? base.firstStr + (base.strEnd - base.strStart) : 0,
    offsets: offsets.subarray(0, n),
    kinds: kinds.subarray(0, n),
  };
  if (base) blob.base = base;
  if (stoppedAt) blob.stoppedAt = stoppedAt;
  return blob;
}

/** The blob (this one or a base) that holds type `id`, or undefined when no blob does. */
export function blobOf(blob: BtfBlob, id: number): BtfBlob | undefined {
  for (let b: BtfBlob | undefined = blob; b; b = b.base) {
    if (id >= b.firstId) return id < b.firstId + b.offsets.length ? b : undefined;
  }
  return undefined;
}

/**
 * A string of the (possibly split) string section: undefined for offset 0, for an offset outside
 * every string section, or for a string with no terminating NUL before the section end.
 * Memoised per blob and offset (names repeat: `next`, `lock`, `u32` …).
 */
export function btfString(blob: BtfBlob, off: number): string | undefined {
  if (off === 0) return undefined;
  let b: BtfBlob | undefined = blob;
  while (b && off < b.firstStr) b = b.base;
  if (!b) return undefined;
  const cache = (b.strings ??= new Map());
  const known = cache.get(off);
  if (known !== undefined || cache.has(off)) return known;
  const start = b.strStart + (off - b.firstStr);
  let s: string | undefined;
  if (start < b.strEnd) {
    if (b.ascii === undefined) b.ascii = asciiText(b);
    if (b.ascii !== null) {
      const at = off - b.firstStr;
      const nul = b.ascii.indexOf('\0', at);
      if (nul > at) s = b.ascii.slice(at, nul);
    } else {
      const nul = b.bytes.indexOf(0, start);
      if (nul > start && nul < b.strEnd) s = (b.buf ??= Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength)).toString('utf8', start, nul);
    }
  }
  cache.set(off, s);
  return s;
}

/** The blob's string section as a string when every byte is ASCII, else null. */
function asciiText(b: BtfBlob): string | null {
  const bytes = b.bytes;
  // node's SIMD test, not a JavaScript loop over the megabytes of a kernel's strings
  if (!isAscii(bytes.subarray(b.strStart, b.strEnd))) return null;
  return (b.buf ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('latin1', b.strStart, b.strEnd);
}

/** True when `off` is a valid string offset of the blob or its base (0 included). */
export function validString(blob: BtfBlob, off: number): boolean {
  if (off === 0) return true;
  let b: BtfBlob | undefined = blob;
  while (b && off < b.firstStr) b = b.base;
  return b !== undefined && b.strStart + (off - b.firstStr) < b.strEnd;
}
