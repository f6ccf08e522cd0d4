/**
 * Worker thread of `diff --abi` (abi.ts): reads one ELF side (abi-side.ts), posts it, then answers
 * requests for the paths to named types from the surface it keeps, until told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RootPath } from '../diff/surface.js';
import { isStructscopeError } from '../util/errors.js';
import { readElfSide, type ElfSideTask, type ReadSide } from './abi-side.js';

export type AbiWorkerMessage =
  | { type: 'side'; side: Omit<ReadSide, 'pathsTo'> }
  | { type: 'paths'; paths: [string, RootPath[]][] }
  | { type: 'error'; message: string };

export type AbiWorkerRequest = { type: 'paths'; keys: string[] } | { type: 'stop' };

const port = parentPort!;
let read: ReadSide | undefined;
try {
  read = readElfSide(workerData as ElfSideTask);
  const { pathsTo: _, ...side } = read;
  port.postMessage({ type: 'side', side } satisfies AbiWorkerMessage);
} catch (e) {
  if (!isStructscopeError(e)) throw e;
  port.postMessage({ type: 'error', message: e.message } satisfies AbiWorkerMessage);
}
port.on('message', (m: AbiWorkerRequest) => {
  if (m.type === 'stop' || !read?.pathsTo) {
    port.close();
    return;
  }
  port.postMessage({ type: 'paths', paths: m.keys.map((k) => [k, read!.pathsTo!(k)]) } satisfies AbiWorkerMessage);
});
