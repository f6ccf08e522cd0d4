/** structscope's library API: load a file's types, analyse layouts, render them. */
export { loadFile, type LoadOptions, type FileLoadOptions } from './load/index.js';
export { TypeTable } from './model/table.js';
export { type FileInfo } from './model/source.js';
export { type LoadedFile, type IndexUse } from './load/loaded.js';
export { type Diagnostic } from './util/diagnostic.js';
export * from './model/types.js';
export { analyzeLayout } from './layout/analyze.js';
export type { Layout, MemberLayout, Hole, LayoutSummary } from './layout/types.js';
export { printableTypes, renderBlock, renderSizesRows, type PaholeOptions } from './report/pahole.js';
export { renderType, renderAll, renderAllBlocks, renderSizes } from './pahole-text.js';
export { computedTypes, typeBlock, fileBlocks, sizesRows, packableRows, type ComputedType, type TypeBlock } from './layout/computed.js';
export type { PaholeDialect } from './layout/types.js';
export { selectTypes, type Selection } from './report/select.js';
export { jsonFile, jsonDocument } from './report/json.js';
export { SCHEMA_VERSION, type JsonDocument } from './doc/json.js';
export { abiForElf, abiByName, layoutForTarget, type Abi } from './layout/abi/index.js';
export { inferAttributes, type InferResult } from './layout/abi/infer.js';
export { StructscopeError, isStructscopeError, type ErrorCode } from './util/errors.js';
// reorg: smaller member orders, their pahole-style rendering and the source patch
export { Reorganizer, describeMove, type ReorgOptions, type ReorgResult, type ReorgOk, type ReorgMove } from './layout/reorg/index.js';
export { renderReorgText, reorgJsonType, reorgDocument, REORG_SCHEMA_VERSION } from './report/reorg.js';
export { reorderedView, type ReorderedView } from './layout/reorg/reordered.js';
export { buildPatch, reorderSource, type PatchRequest } from './report/patch.js';
export { sourceUnder } from './load/named-files.js';
// pictures: byte maps of a layout, the terminal map and the HTML report
export { byteMap, layoutShape, type ByteMap, type Segment, type MapShape } from './layout/bytemap.js';
export { renderMap, renderMapLegend, type MapStruct, type MapOptions } from './report/map.js';
export { renderHtml, type HtmlReport, type HtmlStruct, type HtmlLayout } from './report/html.js';
// pahole's queries: class__filter's filters, -i/--contains, -f/--find_pointers_to
export { filterTypes, containersOf, pointersTo, hasFlexibleArray, type TypeFilter } from './report/query.js';
// exports: what an ELF file exports (EXPORT_SYMBOL tables, .dynsym), the roots of an ABI surface
export { readExports, type FileExports } from './load/exports.js';
export { dynamicExports, kernelExports } from './elf/exports.js';
export type { ExportedSymbol, ExportKind } from './util/exported-symbol.js';
export { renderExportsText, exportsDocument, type ExportsDocument, type ExportsFile } from './report/exports.js';
