/**
 * Which BTF types a `-C` query needs, and how much of each: the named structs and unions in full,
 * and what their layouts and spellings reach. A type reached only through a pointer is printed by
 * its name alone (`struct sock *sk`), so a named struct, union or enum there is read as a
 * declaration: task_struct then needs ~1,500 types converted instead of ~6,200.
 */
import { BTF_KIND, blobOf, type BtfBlob } from './format.js';

/** Not needed: the id keeps the shared placeholder. */
export const SKIP = 0;
/** Only its name is printed: a named struct, union or enum becomes a declaration. */
export const NAME = 1;
/** Converted whole (its size, members and alignment are laid out). */
export const FULL = 2;

/**
 * The need of every type id (SKIP, NAME or FULL) of the blob and its base, for the structs and
 * unions named `names`. Full types lay out their members, typedef and qualifier targets and
 * array elements in full; pointer targets and function parameters are only spelled. An anonymous
 * aggregate behind a pointer is spelled with its body (pahole's `struct { ... } * p`): full.
 */
export function closureOf(blob: BtfBlob, blobs: readonly BtfBlob[], count: number, names: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  const wanted = names.map((n) => encoder.encode(n));
  const need = new Uint8Array(count);
  // one stack of ids and one of their needs (parallel, no object per entry)
  const ids: number[] = [];
  const modes: number[] = [];
  for (const b of blobs) {
    for (let i = 0; i < b.offsets.length; i++) {
      const k = b.kinds[i]!;
      if (k !== BTF_KIND.STRUCT && k !== BTF_KIND.UNION) continue;
      const off = b.view.getUint32(b.offsets[i]!, b.littleEndian);
      if (off === 0) continue;
      for (let w = 0; w < wanted.length; w++) {
        if (stringEquals(b, off, wanted[w]!)) {
          ids.push(b.firstId + i);
          modes.push(FULL);
          break;
        }
      }
    }
  }
  while (ids.length) {
    const id = ids.pop()!;
    let mode = modes.pop()!;
    if (id >= count || need[id]! >= mode) continue;
    const b = blobOf(blob, id);
    if (!b) continue;
    const i = id - b.firstId;
    const o = b.offsets[i]!;
    const v = b.view;
    const le = b.littleEndian;
    const info = v.getUint32(o + 4, le);
    const vlen = info & 0xffff;
    const kind = b.kinds[i];
    if (mode === NAME && (kind === BTF_KIND.STRUCT || kind === BTF_KIND.UNION || kind === BTF_KIND.ENUM || kind === BTF_KIND.ENUM64)) {
      if (v.getUint32(o, le) !== 0) {
        need[id] = NAME;
        continue;
      }
      mode = FULL; // anonymous: spelled with its members
    }
    need[id] = mode;
    switch (kind) {
      case BTF_KIND.PTR:
        ids.push(v.getUint32(o + 8, le));
        modes.push(NAME);
        break;
      case BTF_KIND.TYPEDEF:
      case BTF_KIND.VOLATILE:
      case BTF_KIND.CONST:
      case BTF_KIND.RESTRICT:
      case BTF_KIND.TYPE_TAG:
        ids.push(v.getUint32(o + 8, le));
        modes.push(mode);
        break;
      case BTF_KIND.ARRAY:
        ids.push(v.getUint32(o + 12, le));
        modes.push(mode);
        break;
      case BTF_KIND.STRUCT:
      case BTF_KIND.UNION:
        for (let m = 0; m < vlen; m++) {
          ids.push(v.getUint32(o + 12 + 12 * m + 4, le));
          modes.push(FULL);
        }
        break;
      case BTF_KIND.FUNC_PROTO:
        ids.push(v.getUint32(o + 8, le));
        modes.push(NAME);
        for (let m = 0; m < vlen; m++) {
          ids.push(v.getUint32(o + 12 + 8 * m + 4, le));
          modes.push(NAME);
        }
        break;
    }
  }
  return need;
}

/** Whether the string at `off` is exactly `bytes`, compared in place (no decoding). */
function stringEquals(blob: BtfBlob, off: number, bytes: Uint8Array): boolean {
  let b: BtfBlob | undefined = blob;
  while (b && off < b.firstStr) b = b.base;
  if (!b) return false;
  const start = b.strStart + (off - b.firstStr);
  if (start + bytes.length >= b.strEnd) return false;
  const data = b.bytes;
  for (let i = 0; i < bytes.length; i++) if (data[start + i] !== bytes[i]) return false;
  return data[start + bytes.length] === 0;
}
