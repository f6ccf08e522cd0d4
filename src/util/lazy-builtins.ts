/**
 * Node built-in modules that only some runs need, loaded on first use. A static import of
 * node:crypto, node:child_process or node:zlib makes every run compile and start them (with the
 * streams and sockets they pull in): 5–10 ms of a 100 ms `-C`.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const crypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');
export const childProcess = (): typeof import('node:child_process') => require('node:child_process') as typeof import('node:child_process');
export const zlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');
