/**
 * Cross-target prediction: the types of one file as they would be laid out on another ABI.
 *
 * The attributes DWARF does not record are inferred on the source ABI (infer.ts), then every
 * aggregate is laid out again by the engine for the target; base types, pointers and enums take
 * the target's sizes. The result is an ordinary TypeTable with the same ids, so the normal
 * analyze/render/JSON path applies unchanged. Types the engine cannot lay out with confidence are
 * listed with a reason and must not be printed as if predicted. Pure.
 */
import { rustPredictionReason } from '../rust.js';
import { TypeTable } from '../../model/table.js';
import { isAggregate, type AggregateType, type Member, type Type, type TypeId } from '../../model/types.js';
import { classifyBase, classifyType } from './classify.js';
import { AnnotationPredictor, producerOf } from './annotations.js';
import { hiddenAttributeReason } from './hidden.js';
import { LayoutEngine } from './engine.js';
import { aggregateEvidence, type AggregateEvidence } from './source-evidence.js';
import { AttributeInference, type InferOptions } from './infer.js';
import type { Abi } from './targets.js';

export interface Prediction {
  target: Abi;
  /** The source table with every predictable size, offset and member size replaced by the target's. */
  table: TypeTable;
  /** Aggregates that cannot be predicted, with the reason (their entries in `table` are the source's). */
  unpredictable: ReadonlyMap<TypeId, string>;
  /** Alignment of every predicted aggregate on the target. */
  alignment: ReadonlyMap<TypeId, number>;
}

/** Predict every struct/union/class definition of `table` (laid out on `source`) for `target`. */
export function predictTable(
  table: TypeTable,
  source: Abi,
  target: Abi,
  options: InferOptions & {
    /** Reuse an inference on `source` (several targets from one file). */
    inference?: AttributeInference;
    /**
     * Assume the source has none of the attributes that leave no trace in its DWARF (hidden.ts)
     * instead of flagging the types one would change: a guess, may be silently wrong.
     */
    assumeNoHidden?: boolean;
    /** The text of a source file named by DW_AT_decl_file, if the caller can read it (source-evidence.ts). */
    sourceText?: (declFile: string) => string | undefined;
    /**
     * Measurement only (bench/predict.mjs counts over-flagging): leave a flagged type's best
     * guess in `table` (still listed in `unpredictable`) instead of the source's entry.
     */
    keepGuesses?: boolean;
  } = {},
): Prediction {
  const inference = options.inference ?? new AttributeInference(table, source, options);
  const aggregates = table.definitions.filter((id) => isAggregate(table.get(id)));
  for (const id of aggregates) inference.infer(id);
  const engine = new LayoutEngine(table, target, (id) => inference.infer(id).attributes);

  // Unpredictable on the source side: the attributes are not known, so the target layout would be a guess.
  const sourceReason = new Map<TypeId, string | null>();
  const reasonOnSource = (id: TypeId, depth = 0): string | null => {
    const hit = sourceReason.get(id);
    if (hit !== undefined) return hit;
    sourceReason.set(id, null); // recursion guard
    const r = inference.infer(id);
    let reason: string | null = null;
    if (r.status === 'unexplained') reason = `its layout on ${source.name} is not explained by the ABI rules (structscope check lists the differences)`;
    else if (r.status === 'unpredictable') reason = r.unpredictable ?? 'cannot be laid out';
    else if (depth < 64) {
      const agg = table.get(id) as AggregateType;
      for (const m of agg.members) {
        if (m.isStatic) continue;
        for (const nested of nestedAggregates(table, m.type)) {
          const inner = reasonOnSource(nested, depth + 1);
          if (inner !== null) {
            reason = `${memberName(agg, m)}: ${aggregateName(table, nested)} cannot be predicted`;
            break;
          }
        }
        if (reason !== null) break;
      }
    }
    sourceReason.set(id, reason);
    return reason;
  };

  const unpredictable = new Map<TypeId, string>();
  const alignment = new Map<TypeId, number>();
  const replaced = new Map<TypeId, Type>();
  // gcc records final alignments (retargeted here); clang the requested ones (kept).
  const producer = producerOf(table);
  const annotations =
    producer === 'gcc' ? new AnnotationPredictor(table, engine, source, target, (id) => inference.infer(id).attributes, inference.engine) : undefined;
  const evidenceOf = (agg: AggregateType): AggregateEvidence | undefined => {
    const text = agg.decl && options.sourceText?.(agg.decl.file);
    return text ? aggregateEvidence(text, agg) : undefined;
  };
  const guesses = new Map<TypeId, Type>();
  for (const id of aggregates) {
    const agg = table.get(id) as AggregateType;
    // Rust's compiler-chosen layouts are never predicted (layout/rust.ts)
    const rustWhy = rustPredictionReason(agg, target.name);
    if (rustWhy !== undefined) {
      unpredictable.set(id, rustWhy);
      continue;
    }
    const l = engine.layout(id);
    if (l.unpredictable !== undefined) {
      unpredictable.set(id, reasonOnSource(id) ?? l.unpredictable);
      continue;
    }
    const notes = annotations?.annotate(id, l);
    const members: Member[] = agg.members.slice();
    for (const em of l.members) {
      const m = members[em.index]!;
      members[em.index] = { ...m, bitOffset: em.bitOffset, byteSize: em.byteSize };
      if (notes && !('unpredictable' in notes) && notes.members.has(em.index)) setAlignment(members[em.index]!, notes.members.get(em.index));
    }
    const predicted: AggregateType = { ...agg, size: l.size, members };
    if (notes && !('unpredictable' in notes)) setAlignment(predicted, notes.aggregate);
    const why =
      reasonOnSource(id) ??
      (!options.assumeNoHidden ? hiddenAttributeReason(table, id, inference.infer(id).attributes, inference.engine, engine, producer, evidenceOf(agg)) : undefined) ??
      (notes && 'unpredictable' in notes ? notes.unpredictable : undefined);
    if (why !== null && why !== undefined) {
      unpredictable.set(id, why);
      guesses.set(id, predicted);
      continue;
    }
    alignment.set(id, l.alignment);
    replaced.set(id, predicted);
  }

  // A type holding an unpredictable one by value is unpredictable too (its alignment and size are unknown).
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of aggregates) {
      if (unpredictable.has(id)) continue;
      const agg = table.get(id) as AggregateType;
      for (const m of agg.members) {
        if (m.isStatic) continue;
        const inner = nestedAggregates(table, m.type).find((n) => unpredictable.has(n));
        if (inner === undefined) continue;
        unpredictable.set(id, `${memberName(agg, m)}: ${aggregateName(table, inner)} cannot be predicted`);
        const guess = replaced.get(id);
        if (guess) guesses.set(id, guess);
        replaced.delete(id);
        alignment.delete(id);
        changed = true;
        break;
      }
    }
  }

  const out = new TypeTable();
  out.alignmentInfo = table.alignmentInfo;
  for (let id = 1; id < table.types.length; id++) {
    const t = table.types[id]!;
    out.add(replaced.get(id) ?? (options.keepGuesses ? guesses.get(id) : undefined) ?? retarget(table, id, t, target));
  }
  for (const id of table.definitions) out.addDefinition(id);
  pinTypedefs(table, out, target);
  return { target, table: out, unpredictable, alignment };
}

function setAlignment(x: { alignment?: number }, value: number | undefined): void {
  if (value === undefined) delete x.alignment;
  else x.alignment = value;
}

/** Scalars, pointers, enums and arrays with the target's sizes (aggregates are done by the engine). */
function retarget(table: TypeTable, id: TypeId, t: Type, target: Abi): Type {
  switch (t.kind) {
    case 'base': {
      const s = classifyBase(t);
      const kind = s.kind === 'scalar' ? s.scalar : s.kind === 'complex' ? s.part : undefined;
      const row = kind ? target.scalars[kind] : null;
      if (!row) return t;
      return { ...t, size: s.kind === 'complex' ? 2 * row[0] : row[0] };
    }
    case 'pointer': {
      const words = t.pointerKind === 'ptr_to_member' && table.get(table.strip(t.target)).kind === 'function' ? 2 : 1;
      return { ...t, size: words * target.ptrSize };
    }
    case 'array':
      // A recorded byte size is the source's; vectors keep it (their layouts are unpredictable anyway).
      if (t.size !== undefined && !t.vector) {
        const { size: _drop, ...rest } = t;
        return rest;
      }
      return t;
    case 'enum': {
      if (t.declaration) return t;
      const s = classifyType(table, id);
      if (s.kind !== 'scalar') return t;
      const row = target.scalars[s.scalar];
      return row ? { ...t, size: row[0] } : t;
    }
    default:
      return t;
  }
}

/**
 * Fixed-width typedefs (uint64_t, __u64 …) keep their size although the base type they name on
 * the source may not (`long unsigned int` on LP64): point them at a base type of the pinned size.
 */
function pinTypedefs(source: TypeTable, out: TypeTable, target: Abi): void {
  for (let id = 1; id < source.types.length; id++) {
    const t = source.types[id]!;
    if (t.kind !== 'typedef') continue;
    let s = classifyType(source, id);
    while (s.kind === 'aligned') s = s.inner;
    if (s.kind !== 'scalar') continue;
    const row = target.scalars[s.scalar];
    if (!row || out.sizeOf(id) === row[0]) continue;
    const base = source.get(source.strip(id));
    if (base.kind !== 'base') continue;
    const pinned = out.add({ ...base, size: row[0] });
    out.types[id] = { ...t, target: pinned };
  }
}

/** Aggregates stored by value in a member of type `id` (through typedefs, qualifiers and arrays). */
function nestedAggregates(table: TypeTable, id: TypeId): TypeId[] {
  for (let guard = 0; guard < 64; guard++) {
    const t = table.get(id);
    if (t.kind === 'typedef' || t.kind === 'qualifier') id = t.target;
    else if (t.kind === 'array') id = t.element;
    else if (isAggregate(t)) {
      const def = t.declaration ? table.resolveDeclaration(id) : id;
      return isAggregate(table.get(def)) && !(table.get(def) as AggregateType).declaration ? [def] : [];
    } else return [];
  }
  return [];
}

function memberName(agg: AggregateType, m: Member): string {
  return m.name ?? `<anonymous #${agg.members.indexOf(m)}>`;
}

function aggregateName(table: TypeTable, id: TypeId): string {
  const t = table.get(id) as AggregateType;
  return `${t.kind} ${t.name ?? '(anonymous)'}`;
}
