/** The result of loading a file, with how it was loaded. */
import type { TypedFile } from '../model/source.js';
import type { SymbolRoot } from '../model/types.js';

/** A loaded file: its facts, its types and what went wrong on the way. */
export interface LoadedFile extends TypedFile {
  /** Reading stopped early (LoadOptions.stopAfterUnit) or skipped units: not every unit was read. */
  partial?: boolean;
  /** Some DIE referred into another unit (ref_addr, type units): units cannot be read on their own. */
  crossUnitRefs?: boolean;
  /** What happened with the type index cache, when one was asked for. */
  index?: IndexUse;
  /** With LoadOptions.roots: the exported functions and variables found in the debug info. */
  roots?: SymbolRoot[];
}

/**
 * The type index cache for this load: `used` (only the indexed units were read), `written`
 * (a complete load stored a new index), `present` (a complete load found it already there), `missing` (a partial load without an index),
 * `unusable` (the file's units refer into each other), `unwritable` (the cache could not be written),
 * `rejected` (the index was wrong about the file: it was discarded and the file read without it).
 */
export interface IndexUse {
  path: string;
  state: 'used' | 'written' | 'present' | 'missing' | 'unusable' | 'unwritable' | 'rejected';
}
