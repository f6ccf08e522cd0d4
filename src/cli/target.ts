import { abiByName, abiForElf, predictTable, type Prediction } from '../layout/abi/index.js';
import type { LoadedFile } from '../model/table.js';
import type { Output } from './output.js';

export { unpredictableNotice } from '../report/predict.js';

/**
 * `show --target ARCH`: the file's types predicted for ARCH, as a LoadedFile the normal show path
 * renders (pointer size of the target). Undefined, after one error line, when the file's own ABI
 * is unknown (the attributes DWARF omits cannot be inferred then).
 */
export function predictFile(file: LoadedFile, targetName: string, out: Output, strict = false): { file: LoadedFile; prediction: Prediction } | undefined {
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
  let prediction = predictTable(file.table, source, target, { dwarfVersions: info.dwarfVersions, keepGuesses: guesses });
  if (guesses) prediction = { ...prediction, unpredictable: new Map([...prediction.unpredictable].filter(([id]) => prediction.table.get(id) === file.table.get(id))) };
  return { file: { ...file, info: { ...info, addressSize: target.ptrSize }, table: prediction.table }, prediction };
}
