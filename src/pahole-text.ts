/**
 * Library conveniences: lay out (layout/computed.ts), then render (report/pahole.ts), in one call.
 * The renderers themselves only format what the layout step computed.
 */
import type { TypeTable } from './model/table.js';
import type { TypeId } from './model/types.js';
import { fileBlocks, sizesRows, typeBlock } from './layout/computed.js';
import { guessAddressSize } from './layout/pahole-rules.js';
import { printableTypes, renderBlock, renderSizesRows, type PaholeOptions } from './report/pahole.js';

const computeOptions = (opts: PaholeOptions) => ({
  cachelineSize: opts.cachelineSize ?? 64,
  addressSize: opts.addressSize,
  expand: opts.expand,
  relOffset: opts.relOffset,
  dialect: opts.pahole,
});

/** One struct/union/class/enum/typedef as `pahole -F dwarf -C NAME` prints it, without the final newline. */
export function renderType(table: TypeTable, id: TypeId, opts: PaholeOptions = {}): string {
  return renderBlock(table, typeBlock(table, id, computeOptions(opts)), opts);
}

/** Every block `pahole -F dwarf FILE` prints, in order (each without its trailing newline). */
export function renderAllBlocks(table: TypeTable, opts: PaholeOptions = {}): { id: TypeId; text: string }[] {
  const o = { ...computeOptions(opts), addressSize: opts.addressSize ?? guessAddressSize(table) };
  return fileBlocks(table, printableTypes(table), o).map((b) => ({ id: b.id, text: renderBlock(table, b, opts) }));
}

/** What `pahole -F dwarf FILE` prints for a whole file. */
export function renderAll(table: TypeTable, opts: PaholeOptions = {}): string {
  return renderAllBlocks(table, opts)
    .map((b) => b.text + '\n')
    .join('');
}

/** What `pahole --sizes FILE` prints: `name\tsize\tholes` per printed type. */
export function renderSizes(table: TypeTable, opts: PaholeOptions = {}): string {
  return renderSizesRows(sizesRows(table, printableTypes(table), opts.addressSize));
}
