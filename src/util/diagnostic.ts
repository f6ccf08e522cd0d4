/** A problem that did not stop loading: a broken unit skipped, an unknown form, … */
export interface Diagnostic {
  message: string;
  /** A debug file the binary refers to is missing or was rejected (.dwo, supplementary file, debuglink CRC): always reported. */
  missingFile?: boolean;
  fileOffset?: number;
}
