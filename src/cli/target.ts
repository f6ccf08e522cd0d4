import { abiByName, abiForElf, predictTable, type Prediction } from '../layout/abi/index.js';
import type { LoadedFile } from '../load/loaded.js';
import type { Output } from './output.js';
import { readContainedText, sourceUnder } from '../load/named-files.js';

export { unpredictableNotice } from '../report/predict.js';

/**
 * `show --target ARCH`: the file's types predicted for ARCH, as a LoadedFile the normal show path
 * renders (pointer size of the target). Undefined, after one error line, when the file's own ABI
 * is unknown (the attributes DWARF omits cannot be inferred then).
 */
export function predictFile(file: LoadedFile, targetName: string, out: Output, sourceDir?: string): { file: LoadedFile; prediction: Prediction } | undefined {
  const { info } = file;
  const target = abiByName(targetName);
  if (!target) {
    out.error(`${info.path}: unknown target '${targetName}'`);
    return undefined;
  }
  const source = abiForElf(info.machine, info.elfClass, info.littleEndian, info.flags);
  if (!source) {
    out.error(`${info.path}: unknown ABI: no layout rules for ${info.machineName} (${info.elfClass}-bit ${info.littleEndian ? 'little' : 'big'}-endian), cannot predict`);
    return undefined;
  }
  // Measurement hook (bench/predict.mjs): print the best guess of every flagged type as if predicted.
  const guesses = process.env.STRUCTSCOPE_PREDICT_GUESSES === '1';
  let prediction = predictTable(file.table, source, target, { dwarfVersions: info.dwarfVersions, keepGuesses: guesses, sourceText: sourceDir === undefined ? undefined : sourceReader(sourceDir) });
  if (guesses) prediction = { ...prediction, unpredictable: new Map([...prediction.unpredictable].filter(([id]) => prediction.table.get(id) === file.table.get(id))) };
  return { file: { ...file, info: { ...info, addressSize: target.ptrSize }, table: prediction.table }, prediction };
}

/** --source-dir: DW_AT_decl_file names read under DIR only (named-files.ts rules), each once; unreadable ones give no evidence. */
function sourceReader(dir: string): (declFile: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (declFile) => {
    if (!texts.has(declFile)) {
      const found = sourceUnder(dir, declFile);
      let text: string | undefined;
      if (typeof found !== 'string') {
        try {
          text = readContainedText(found);
        } catch {
          text = undefined;
        }
      }
      texts.set(declFile, text);
    }
    return texts.get(declFile);
  };
}
