/**
 * Theoretical layout engine: struct layouts computed from first principles for a target ABI
 * (shared/design/ABI.md), attribute inference from DWARF, and cross-target prediction.
 *
 *   targets.ts    Abi descriptors (x86_64 … sparc64) and abiForElf()
 *   classify.ts   model type → target-independent shape (scalar kinds, pinned typedefs, enums)
 *   record.ts     gcc's field placement on abstract fields (bit-fields, packed, pack, aligned)
 *   cxx.ts        C++ facts: empty classes, POD for layout
 *   engine.ts     layoutForTarget(): shapes + attributes → EngineLayout
 *   attributes.ts LayoutAttributes (what DWARF does not record) and their descriptions
 *   infer.ts      inferAttributes()/inferAll(): DWARF offsets → attributes, natural/explained/…
 *   hypotheses.ts the struct-level hypotheses inference tries, and how a fit is scored
 *   differences.ts member-by-member differences between DWARF and a computed layout
 *   predict.ts    predictTable(): a file's types laid out for another target (show --target)
 *   annotations.ts the DW_AT_alignment (pahole's __aligned__) a real build for the target carries
 *   hidden.ts     attributes that leave no trace in the source's DWARF, yet change the target
 *   source-evidence.ts what a type's C definition (--source-dir) says about those attributes
 */
export { ABIS, abiByName, abiForElf, type Abi, type AbiName, type LongDoubleKind, type ScalarKind, type ScalarTable } from './targets.js';
export { classifyBase, classifyType, integerKindFromName, INTEGER_KINDS, type IntegerKind, type Shape } from './classify.js';
export {
  describeAttributes,
  isEmptyAttributes,
  type AttributeSource,
  type LayoutAttributes,
  type UnnamedBitfield,
  type UnnamedOption,
} from './attributes.js';
export { layoutForTarget, LayoutEngine, sameLayout, type EngineLayout, type EngineMember } from './engine.js';
export {
  attributeSourceOf,
  AttributeInference,
  inferAll,
  inferAttributes,
  tableRecordsAlignment,
  type InferOptions,
  type InferResult,
  type InferStatus,
  type MemberDifference,
} from './infer.js';
export { predictTable, type Prediction } from './predict.js';
