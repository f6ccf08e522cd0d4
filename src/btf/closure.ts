/**
 * Which BTF types a `-C` query needs, and how much of each: the named structs, unions, typedefs and
 * enums (pahole -C finds any named type) in full,
 * and what their layouts and spellings reach. A type reached only through a pointer is printed by
 * its name alone (`struct sock *sk`), so a named struct, union or enum there is read as a
 * declaration: task_struct then needs 221 types and 57 declarations, not 6,219 types.
 */
import { Buffer } from 'node:buffer';
import { BTF_KIND, blobOf, btfString, type BtfBlob } from './format.js';

/** Not needed: the id keeps the shared placeholder. */
export const SKIP = 0;
/** Only its name is printed: a named struct, union or enum becomes a declaration. */
export const NAME = 1;
/** Converted whole (its size, members and alignment are laid out). */
export const FULL = 2;

export interface Closure {
  /** SKIP, NAME or FULL by type id. */
  need: Uint8Array;
  /** The ids whose need is not SKIP, ascending (converted in id order, as a whole read would). */
  ids: Uint32Array;
}

/**
 * The need of every type id (SKIP, NAME or FULL) of the blob and its base, for the structs and
 * unions named `names`, or for every struct and union ('all': what a whole dump prints). Full types lay out their members, typedef and qualifier targets and
 * array elements in full; pointer targets and function parameters are only spelled. An anonymous
 * aggregate behind a pointer is spelled with its body (pahole's `struct { ... } * p`): full.
 */
export function closureOf(blob: BtfBlob, blobs: readonly BtfBlob[], count: number, names: readonly string[] | 'all'): Closure {
  const named = names === 'all' ? undefined : nameOffsets(blobs, names);
  const need = new Uint8Array(count);
  // one stack of ids and one of their needs (parallel, no object per entry)
  const ids: number[] = [];
  const modes: number[] = [];
  const reached: number[] = [];
  const follow = (id: number, mode: number): void => {
    ids.push(id);
    modes.push(mode);
  };
  // roots: the named (or all) structs and unions, and for names the typedefs and enums too
  // (pahole -C finds any named type); then the definitions of the forward declarations laid out
  // in full, which sizeOf resolves by name (TypeTable.resolveDeclaration)
  const pushRoots = (offsets: Set<number> | undefined): void => {
    for (const b of blobs) {
      for (let i = 0; i < b.offsets.length; i++) {
        const k = b.kinds[i]!;
        const root = k === BTF_KIND.STRUCT || k === BTF_KIND.UNION || (offsets !== undefined && (k === BTF_KIND.TYPEDEF || k === BTF_KIND.ENUM || k === BTF_KIND.ENUM64));
        if (root && (!offsets || offsets.has(b.view.getUint32(b.offsets[i]!, b.littleEndian)))) {
          follow(b.firstId + i, FULL);
        }
      }
    }
  };
  if (!named || named.size) pushRoots(named);
  const declared = new Set<string>();
  const pending: string[] = [];
  for (;;) {
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
          if (need[id] === SKIP) reached.push(id);
          need[id] = NAME;
          continue;
        }
        mode = FULL; // anonymous: spelled with its members
      }
      if (need[id] === SKIP) reached.push(id);
      need[id] = mode;
      switch (kind) {
        case BTF_KIND.PTR:
          follow(v.getUint32(o + 8, le), NAME);
          break;
        case BTF_KIND.TYPEDEF:
        case BTF_KIND.VOLATILE:
        case BTF_KIND.CONST:
        case BTF_KIND.RESTRICT:
        case BTF_KIND.TYPE_TAG:
          follow(v.getUint32(o + 8, le), mode);
          break;
        case BTF_KIND.ARRAY:
          follow(v.getUint32(o + 12, le), mode);
          break;
        case BTF_KIND.STRUCT:
        case BTF_KIND.UNION:
          for (let m = 0; m < vlen; m++) {
            follow(v.getUint32(o + 12 + 12 * m + 4, le), FULL);
          }
          break;
        case BTF_KIND.FUNC_PROTO:
          follow(v.getUint32(o + 8, le), NAME);
          for (let m = 0; m < vlen; m++) {
            follow(v.getUint32(o + 12 + 8 * m + 4, le), NAME);
          }
          break;
        case BTF_KIND.FWD: {
          const name = mode === FULL ? btfString(b, v.getUint32(o, le)) : undefined;
          if (name !== undefined && !declared.has(name)) {
            declared.add(name);
            pending.push(name);
          }
          break;
        }
      }
    }
    if (!pending.length) break;
    pushRoots(nameOffsets(blobs, pending.splice(0)));
  }
  return { need, ids: Uint32Array.from(reached).sort() };
}

/**
 * Every string offset (of the blob chain) at which one of `names` is spelled, NUL-terminated:
 * found by a native search of the string sections, not a comparison per struct. An offset inside
 * a longer string counts too (`xtask_struct` + 1), as a byte comparison at that offset would.
 */
function nameOffsets(blobs: readonly BtfBlob[], names: readonly string[]): Set<number> {
  const found = new Set<number>();
  for (const b of blobs) {
    const section = Buffer.from(b.bytes.buffer, b.bytes.byteOffset + b.strStart, b.strEnd - b.strStart);
    for (const name of names) {
      const needle = Buffer.from(name + '\0', 'utf8');
      for (let at = section.indexOf(needle); at >= 0; at = section.indexOf(needle, at + 1)) found.add(b.firstStr + at);
    }
  }
  found.delete(0); // offset 0 is no name
  return found;
}
