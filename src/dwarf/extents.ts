/**
 * Where the units of .debug_info are, from their 4-byte length fields alone, and how to share
 * them between workers. Pure: the caller supplies the bytes (load/unit-extents.ts reads them).
 */

/**
 * [offset, end) of every unit of a .debug_info of `size` bytes; `head(at, n)` returns the section's
 * bytes [at, at + n). Undefined for 64-bit DWARF or a length that runs past the section (the
 * reader in one piece reports those).
 */
export function unitExtentsOf(size: number, littleEndian: boolean, head: (at: number, n: number) => Uint8Array): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (let at = 0; at + 4 <= size; ) {
    const b = head(at, 4);
    const length = littleEndian ? (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 : ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (length >= 0xfffffff0) return undefined; // 64-bit DWARF (or broken): read in one piece
    if (length === 0) break; // zero padding after the last unit
    const end = at + 4 + length;
    if (end > size) return undefined;
    out.push([at, end]);
    at = end;
  }
  return out;
}

/** Split units into `n` runs of consecutive units with about the same number of bytes each. */
export function splitUnits(extents: readonly (readonly [number, number])[], n: number): number[][] {
  const total = extents.reduce((sum, [s, e]) => sum + (e - s), 0);
  const chunks: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const [s, e] of extents) {
    cur.push(s);
    bytes += e - s;
    if (chunks.length < n - 1 && bytes >= (total * (chunks.length + 1)) / n) {
      chunks.push(cur);
      cur = [];
    }
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}
