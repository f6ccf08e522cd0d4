/**
 * Decompression of ELF debug sections: SHF_COMPRESSED (zlib, zstd) and legacy `.zdebug_*` ("ZLIB" + size).
 *
 * Sizes are checked before anything is allocated: the declared uncompressed size must be reachable
 * from the compressed bytes (zlib cannot expand more than 1032:1; for zstd the frame/block headers
 * give an exact upper bound), and the output must come out at exactly the declared size.
 */
import { constants as bufferConstants } from 'node:buffer';
import { zlib } from '../util/lazy-builtins.js';
import { decompress as zstdDecompress } from 'fzstd';
import { StructscopeError } from '../util/errors.js';
import { currentLimits, type Limits } from '../util/limits.js';

/** Where the data came from, for error messages. */
export interface DataLocation {
  file?: string;
  section?: string;
  /** File offset of the first byte of the compressed stream. */
  fileOffset?: number;
}

/** Largest buffer Node can allocate in one piece (4 GiB on Node 20). */
export const MAX_BUFFER = bufferConstants.MAX_LENGTH;

/** zlib's deflate format cannot compress better than about 1032:1. */
const ZLIB_MAX_RATIO = 1032;

function fail(code: 'BAD_COMPRESSION' | 'LIMIT', detail: string, where: DataLocation): never {
  throw new StructscopeError(code, detail, where);
}

/** The declared size: a size at all, and within the buffer and --max-section-size limits. */
function checkSize(expected: number, where: DataLocation, limits: Limits): void {
  if (!Number.isSafeInteger(expected) || expected < 0) fail('BAD_COMPRESSION', `impossible uncompressed size ${expected}`, where);
  if (expected > MAX_BUFFER) {
    fail('LIMIT', `uncompressed size ${expected} exceeds the largest buffer (${MAX_BUFFER} bytes)`, where);
  }
  // decompression bombs: refused before a byte is allocated, whatever the stream would give
  if (expected > limits.maxSectionSize) {
    fail('LIMIT', `declared uncompressed size ${expected} is more than the ${limits.maxSectionSize} bytes allowed (--max-section-size)`, where);
  }
}

/** A declared size the stream could honestly produce, but far beyond what real debug info compresses to. */
function checkRatio(expected: number, compressed: number, where: DataLocation, limits: Limits): void {
  const ratio = expected / Math.max(1, compressed);
  if (expected > limits.ratioFloor && ratio > limits.maxCompressionRatio) {
    fail('LIMIT', `declared uncompressed size ${expected} is ${Math.round(ratio)} times the ${compressed} compressed bytes, more than the ${limits.maxCompressionRatio}:1 allowed (--max-compression-ratio)`, where);
  }
}

/** Inflate a zlib stream (RFC 1950) whose uncompressed size must be exactly `expected`. */
export function inflateZlib(data: Uint8Array, expected: number, where: DataLocation, limits: Limits = currentLimits()): Uint8Array {
  checkSize(expected, where, limits);
  if (expected > data.length * ZLIB_MAX_RATIO + 1024) {
    fail('BAD_COMPRESSION', `declared size ${expected} is impossible for ${data.length} bytes of zlib data`, where);
  }
  checkRatio(expected, data.length, where, limits);
  let out: Buffer;
  try {
    out = zlib().inflateSync(data, {
      maxOutputLength: Math.max(1, expected),
      // one output chunk of the right size avoids concatenating many small ones
      chunkSize: Math.min(Math.max(expected, 1024), 64 * 1024 * 1024),
    });
  } catch (e) {
    // zlib reports corrupt data (Z_DATA_ERROR, Z_BUF_ERROR) and oversized output (ERR_BUFFER_TOO_LARGE)
    fail('BAD_COMPRESSION', `zlib: ${(e as Error).message}`, where);
  }
  if (out.length !== expected) {
    fail('BAD_COMPRESSION', `zlib data inflated to ${out.length} bytes, header says ${expected}`, where);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 * 1024;
/** Largest window accepted for a frame that does not declare its size (zstd's own default limit is 128 MiB). */
const ZSTD_MAX_WINDOW = 1 << 27;

interface ZstdFrame {
  start: number;
  end: number;
  /** Declared content size, or -1. */
  contentSize: number;
  window: number;
  /** Upper bound on the frame's output, from its block headers. */
  maxOutput: number;
}

function u32le(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

/** Walk zstd frames and block headers (no decoding), validating the structure. */
function zstdFrames(data: Uint8Array, where: DataLocation): ZstdFrame[] {
  const frames: ZstdFrame[] = [];
  const n = data.length;
  let p = 0;
  const bad = (detail: string): never => fail('BAD_COMPRESSION', `zstd: ${detail} at byte ${p}`, where);
  while (p < n) {
    if (p + 4 > n) bad('truncated frame magic');
    const magic = u32le(data, p);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) {
      // skippable frame
      if (p + 8 > n) bad('truncated skippable frame');
      const len = u32le(data, p + 4);
      if (p + 8 + len > n) bad('skippable frame runs past the end');
      p += 8 + len;
      continue;
    }
    if (magic !== ZSTD_MAGIC) bad(`bad frame magic 0x${magic.toString(16)}`);
    const start = p;
    p += 4;
    if (p >= n) bad('truncated frame header');
    const fhd = data[p++]!;
    const fcsFlag = fhd >> 6;
    const singleSegment = (fhd >> 5) & 1;
    const hasChecksum = (fhd >> 2) & 1;
    const dictFlag = fhd & 3;
    if (fhd & 8) bad('reserved frame header bit set');
    let window = 0;
    if (!singleSegment) {
      if (p >= n) bad('truncated window descriptor');
      const wd = data[p++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    const dictBytes = dictFlag === 3 ? 4 : dictFlag;
    if (p + dictBytes > n) bad('truncated dictionary id');
    let dictId = 0;
    for (let i = 0; i < dictBytes; i++) dictId += data[p + i]! * 2 ** (8 * i);
    p += dictBytes;
    if (dictId !== 0) bad(`frame needs dictionary ${dictId}`);
    const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
    if (p + fcsBytes > n) bad('truncated frame content size');
    let contentSize = -1;
    if (fcsBytes > 0) {
      contentSize = 0;
      for (let i = 0; i < fcsBytes; i++) contentSize += data[p + i]! * 2 ** (8 * i);
      if (fcsBytes === 2) contentSize += 256;
      p += fcsBytes;
    }
    if (singleSegment) window = contentSize;
    const blockMax = Math.min(ZSTD_BLOCK_MAX, Math.max(window, 1));
    let maxOutput = 0;
    for (;;) {
      if (p + 3 > n) bad('truncated block header');
      const bh = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
      p += 3;
      const last = bh & 1;
      const type = (bh >> 1) & 3;
      const size = bh >>> 3;
      if (type === 3) bad('reserved block type');
      if (type !== 2 && size > blockMax) bad(`block of ${size} bytes exceeds the maximum ${blockMax}`);
      const inBytes = type === 1 ? 1 : size;
      if (p + inBytes > n) bad('block runs past the end');
      p += inBytes;
      maxOutput += type === 2 ? blockMax : size;
      if (last) break;
    }
    if (hasChecksum) {
      if (p + 4 > n) bad('truncated checksum');
      p += 4;
    }
    if (contentSize > maxOutput) bad(`frame declares ${contentSize} bytes but its blocks hold at most ${maxOutput}`);
    frames.push({ start, end: p, contentSize, window, maxOutput });
  }
  return frames;
}

/** Decompress a zstd stream (one or more frames) whose uncompressed size must be exactly `expected`. */
export function decompressZstd(data: Uint8Array, expected: number, where: DataLocation, limits: Limits = currentLimits()): Uint8Array {
  checkSize(expected, where, limits);
  const frames = zstdFrames(data, where);
  let bound = 0;
  for (const f of frames) bound += f.contentSize >= 0 ? f.contentSize : f.maxOutput;
  if (expected > bound) {
    fail('BAD_COMPRESSION', `declared size ${expected} is more than the zstd frames can hold (${bound})`, where);
  }
  checkRatio(expected, data.length, where, limits);
  const out = new Uint8Array(expected);
  let pos = 0;
  for (const f of frames) {
    const frame = data.subarray(f.start, f.end);
    if (f.contentSize >= 0) {
      // decode straight into the output: fzstd then allocates no window of its own
      if (pos + f.contentSize > expected) {
        fail('BAD_COMPRESSION', `zstd frames hold more than the declared ${expected} bytes`, where);
      }
      runZstd(frame, out.subarray(pos, pos + f.contentSize), where);
      pos += f.contentSize;
    } else {
      if (f.window > Math.max(ZSTD_MAX_WINDOW, expected)) {
        fail('LIMIT', `zstd window of ${f.window} bytes is too large`, where);
      }
      const chunk = runZstd(frame, undefined, where);
      if (pos + chunk.length > expected) {
        fail('BAD_COMPRESSION', `zstd frames hold more than the declared ${expected} bytes`, where);
      }
      out.set(chunk, pos);
      pos += chunk.length;
    }
  }
  if (pos !== expected) fail('BAD_COMPRESSION', `zstd data decompressed to ${pos} bytes, header says ${expected}`, where);
  return out;
}

function runZstd(frame: Uint8Array, into: Uint8Array | undefined, where: DataLocation): Uint8Array {
  try {
    return into ? zstdDecompress(frame, into) : zstdDecompress(frame);
  } catch (e) {
    // fzstd throws its own errors for corrupt input, and RangeErrors when corrupt input overruns a buffer
    fail('BAD_COMPRESSION', `zstd: ${(e as Error).message}`, where);
  }
}
