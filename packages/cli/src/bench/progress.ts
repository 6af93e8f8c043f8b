/**
 * The progress display on standard error: one line rewritten in place on a terminal, a line every
 * five seconds otherwise (logs, CI), so standard output stays the report.
 */
export interface Progress {
  update(text: string): void;
  /** Ends the current line with `text`. */
  done(text: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let last = 0;
  return {
    update(text) {
      if (tty) {
        stream.write(`\r\x1b[2K${text}`);
        return;
      }
      const now = performance.now();
      if (now - last >= 5000) {
        last = now;
        stream.write(`${text}\n`);
      }
    },
    done(text) {
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
      last = performance.now();
    },
  };
}

/** `[#####.....]` for a fraction in [0, 1]. */
export function bar(fraction: number, width = 20): string {
  const n = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}
