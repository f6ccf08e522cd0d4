/** BTF: a second loader into the model (never imports elf or dwarf). */
export { BTF_KIND, BTF_MAGIC, isBtf, parseBtf, typeCount } from './format.js';
export type { BtfBlob, BtfWhere } from './format.js';
export { btfToModel } from './to-model.js';
export type { BtfAlignmentInference, BtfLoadOptions, BtfTypes } from './to-model.js';
export { btfRoots } from './roots.js';
