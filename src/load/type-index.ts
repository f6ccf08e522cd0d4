/**
 * A file's type index: for every named struct/union/class, the units holding its distinct
 * definitions, plus where every unit starts. With it, `-C NAME` reads and converts just those
 * units (and the unit headers), not the whole .debug_info. Pure: building, encoding and
 * decoding; the cache file itself is index-cache.ts.
 */
import { crypto } from '../util/lazy-builtins.js';
import type { TypeTable } from '../model/table.js';
import { isAggregate } from '../model/types.js';

export const INDEX_FORMAT = 'structscope-type-index';
export const INDEX_VERSION = 1;

/** What identifies the file an index was built from. */
export interface IndexKey {
  /** GNU build-id, or '' when the file has none. */
  buildId: string;
  size: number;
  mtimeMs: number;
}

export interface TypeIndex extends IndexKey {
  /** [offset, end) of every unit of .debug_info, in order. */
  units: [number, number][];
  /** Type name → offsets of the units defining it (distinct definitions, sorted). */
  names: Record<string, number[]>;
}

/** The index of a completely loaded table; `units` are the file's unit extents. */
export function buildTypeIndex(key: IndexKey, table: TypeTable, units: readonly (readonly [number, number])[]): TypeIndex {
  const names = new Map<string, Set<number>>();
  for (const id of table.definitions) {
    const t = table.get(id);
    if (!isAggregate(t) || t.declaration || t.name === undefined || t.origin.unit === undefined) continue;
    let set = names.get(t.name);
    if (!set) names.set(t.name, (set = new Set()));
    set.add(t.origin.unit);
  }
  const out: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const [name, set] of names) out[name] = [...set].sort((a, b) => a - b);
  return { ...key, units: units.map(([s, e]) => [s, e]), names: out };
}

/** Units to read for these names; names absent from the index have no definition in the file. */
export function unitsForNames(index: TypeIndex, names: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const n of names) for (const u of Object.hasOwn(index.names, n) ? index.names[n]! : []) out.add(u);
  return out;
}

/** Serialized form: a JSON body followed by its SHA-256, so a torn or edited file is detected. */
export function encodeTypeIndex(index: TypeIndex): string {
  const body = JSON.stringify({ format: INDEX_FORMAT, version: INDEX_VERSION, ...index });
  return `${body}\n${sha256(body)}\n`;
}

/** The index in `text` if it is intact and was built from the file `key` describes; undefined otherwise. */
export function decodeTypeIndex(text: string, key: IndexKey): TypeIndex | undefined {
  const nl = text.lastIndexOf('\n', text.length - 2);
  if (nl < 0) return undefined;
  const body = text.slice(0, nl);
  if (sha256(body) !== text.slice(nl + 1).trim()) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  const o = v as Partial<TypeIndex> & { format?: unknown; version?: unknown };
  if (o.format !== INDEX_FORMAT || o.version !== INDEX_VERSION) return undefined;
  if (o.buildId !== key.buildId || o.size !== key.size || o.mtimeMs !== key.mtimeMs) return undefined;
  if (!Array.isArray(o.units) || typeof o.names !== 'object' || o.names === null) return undefined;
  return { buildId: o.buildId, size: o.size, mtimeMs: o.mtimeMs, units: o.units, names: o.names };
}

function sha256(s: string): string {
  return crypto().createHash('sha256').update(s).digest('hex');
}
