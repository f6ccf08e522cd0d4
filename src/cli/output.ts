import { writeSync } from 'node:fs';
import { escapeControls, escapeControlsKeepingColour } from '../util/printable.js';

/** Where the CLI writes: stdout for results, stderr for messages and progress. */
export interface Output {
  write(text: string): void;
  /** Text coloured by a renderer: its SGR sequences are kept, other control characters escaped. */
  writeColoured(text: string): void;
  error(message: string): void;
  warn(message: string): void;
  /** An informational line on stderr (what --verbose tells), not labelled as a problem. */
  info(message: string): void;
  /** Units read so far (drawn only on a terminal, for long runs). */
  progress(done: number, total: number): void;
  progressDone(): void;
}

/** Synchronous writes so large dumps are complete before the process exits, and EPIPE ends quietly. */
export function processOutput(): Output {
  const started = Date.now();
  let drawn = false;
  const tty = process.stderr.isTTY === true;
  // plain text is escaped a megabyte at a time (one pass over a flat string, not one per write)
  let plain = '';
  let ready = '';
  const settle = () => {
    if (!plain) return;
    ready += escapeControls(plain); // names from the input never reach the terminal raw
    plain = '';
  };
  const flush = () => {
    settle();
    if (!ready) return;
    writeAll(1, ready);
    ready = '';
  };
  return {
    write(text) {
      plain += text;
      if (plain.length > 1 << 20) flush();
    },
    writeColoured(text) {
      settle();
      ready += escapeControlsKeepingColour(text);
      if (ready.length > 1 << 20) flush();
    },
    error(message) {
      flush();
      writeAll(2, `structscope: ${escapeControls(message.replace(/\n/g, '\\n'))}\n`);
    },
    warn(message) {
      flush();
      writeAll(2, `structscope: warning: ${escapeControls(message.replace(/\n/g, '\\n'))}\n`);
    },
    info(message) {
      flush();
      writeAll(2, `structscope: ${message}\n`);
    },
    progress(done, total) {
      if (!tty || Date.now() - started < 1000 || done % 16 !== 0) return;
      drawn = true;
      const width = 30;
      const filled = Math.round((done / Math.max(1, total)) * width);
      writeAll(2, `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} units`);
    },
    progressDone() {
      if (drawn) writeAll(2, '\r\x1b[K');
      drawn = false;
    },
    ...{ flush },
  } as Output & { flush: () => void };
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') process.exit(0);
      throw e;
    }
  }
}
