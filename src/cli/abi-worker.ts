/**
 * Worker thread of `diff --abi` (abi.ts): reads the OLD side of two ELF files while the main
 * thread reads the NEW one. The side it sends is plain data (its surface spelled, no type table).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isStructscopeError } from '../util/errors.js';
import { InputError, readElfSide, type ElfSideTask, type ReadSide } from './abi-side.js';

export type AbiWorkerMessage = { ok: true; side: ReadSide } | { ok: false; message: string; input: boolean };

const post = (m: AbiWorkerMessage) => parentPort!.postMessage(m);
try {
  post({ ok: true, side: readElfSide(workerData as ElfSideTask) });
} catch (e) {
  const input = e instanceof InputError || isStructscopeError(e);
  post({ ok: false, message: input ? (e as Error).message : String((e as Error)?.message ?? e), input });
}
