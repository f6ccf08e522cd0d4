/**
 * Entries grouped by a 32-bit hash, for tables of byte runs or number lists that must not cost a
 * JavaScript object (or a Map entry: hashes above 2^30 are heap numbers there) per entry. Buckets
 * are a typed array indexed by the hash's low bits; entries chain through `next`. The caller keeps
 * the entries' contents and compares them; this only finds candidates:
 *
 *   for (let e = t.first(h); e >= 0; e = t.next(e)) if (t.hash(e) === h && sameContent(e)) …
 */
export class HashChains {
  private heads = new Int32Array(1 << 10).fill(-1);
  private mask = (1 << 10) - 1;
  private nexts = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  /** Entries added so far (entry e is 0 ≤ e < size, in order of adding). */
  size = 0;

  /** The newest entry whose hash shares h's bucket, or -1. */
  first(h: number): number {
    return this.heads[h & this.mask]!;
  }

  /** The next older entry of e's bucket, or -1. */
  next(e: number): number {
    return this.nexts[e]!;
  }

  /** The full hash entry e was added with. */
  hash(e: number): number {
    return this.hashes[e]!;
  }

  /** Add an entry with hash h; returns its number. */
  add(h: number): number {
    h |= 0;
    const e = this.size++;
    if (e === this.nexts.length) {
      this.nexts = grow(this.nexts);
      this.hashes = grow(this.hashes);
    }
    this.hashes[e] = h;
    if (this.size > this.heads.length) this.rehash(this.heads.length * 4);
    const b = h & this.mask;
    this.nexts[e] = this.heads[b]!;
    this.heads[b] = e;
    return e;
  }

  /** More buckets; chains are rebuilt oldest first so each stays newest-first. */
  private rehash(buckets: number): void {
    this.heads = new Int32Array(buckets).fill(-1);
    this.mask = buckets - 1;
    for (let e = 0; e < this.size - 1; e++) {
      const b = this.hashes[e]! & this.mask;
      this.nexts[e] = this.heads[b]!;
      this.heads[b] = e;
    }
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}
