/**
 * The roots of the ABI surface from BTF (`diff --abi` on a file read from BTF): BTF_KIND_FUNC
 * (name, linkage in vlen, type → its BTF_KIND_FUNC_PROTO, whose parameters carry their names) and
 * BTF_KIND_VAR (name, type, linkage after the header) whose names are asked for. BTF ids are
 * TypeIds one to one (to-model.ts), so the types are the table's. A global entry beats a static one.
 */
import type { TypeTable } from '../model/table.js';
import type { SymbolRoot, TypeId } from '../model/types.js';
import { BTF_KIND, btfString, type BtfBlob } from './format.js';

export function btfRoots(blob: BtfBlob, table: TypeTable, names: ReadonlySet<string>): SymbolRoot[] {
  const found = new Map<string, { root: SymbolRoot; global: boolean }>();
  for (let b: BtfBlob | undefined = blob; b; b = b.base) {
    const v = b.view;
    const le = b.littleEndian;
    for (let i = 0; i < b.offsets.length; i++) {
      const kind = b.kinds[i];
      if (kind !== BTF_KIND.FUNC && kind !== BTF_KIND.VAR) continue;
      const o = b.offsets[i]!;
      const name = btfString(b, v.getUint32(o, le));
      if (name === undefined || !names.has(name)) continue;
      const type: TypeId = v.getUint32(o + 8, le);
      const global = kind === BTF_KIND.FUNC ? (v.getUint32(o + 4, le) & 0xffff) !== 0 : v.getUint32(o + 12, le) !== 0;
      const prev = found.get(name);
      if (prev && (prev.global || !global)) continue;
      const root = kind === BTF_KIND.VAR ? { name, kind: 'object' as const, type } : functionRoot(blob, table, name, type);
      if (root) found.set(name, { root, global });
    }
  }
  return [...found.values()].map((f) => f.root);
}

/** A FUNC's prototype: the table's function type, with the parameter names of the FUNC_PROTO record. */
function functionRoot(blob: BtfBlob, table: TypeTable, name: string, proto: TypeId): SymbolRoot | undefined {
  if (proto >= table.types.length) return undefined;
  const fn = table.get(proto);
  if (fn.kind !== 'function') return undefined;
  const where = locate(blob, proto);
  const params = fn.params.map((type, k) => {
    const p: { name?: string; type: TypeId } = { type };
    const n = where ? btfString(where.b, where.b.view.getUint32(where.o + 12 + 8 * k, where.b.littleEndian)) : undefined;
    if (n !== undefined) p.name = n;
    return p;
  });
  return { name, kind: 'function', returnType: fn.returnType, params, variadic: fn.variadic };
}

function locate(blob: BtfBlob, id: number): { b: BtfBlob; o: number } | undefined {
  for (let b: BtfBlob | undefined = blob; b; b = b.base) {
    if (id >= b.firstId && id < b.firstId + b.offsets.length && b.kinds[id - b.firstId] === BTF_KIND.FUNC_PROTO) return { b, o: b.offsets[id - b.firstId]! };
  }
  return undefined;
}
