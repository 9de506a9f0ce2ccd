/** Terminal output for commands: one-line errors with the fix, progress with count, rate and time left. */

export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Lỗi / error: ${message}`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
  process.exit(1);
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

export interface Progress {
  tick(done: number): void;
  finish(summary: string): void;
}

/**
 * Redraws one status line on a terminal; prints nothing until the end when output is a file or a
 * pipe. The summary goes to stdout, or to `summaryTo` when stdout carries the command's data.
 */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, summaryTo: NodeJS.WriteStream = process.stdout): Progress {
  const started = Date.now();
  let lastDraw = 0;
  return {
    tick(done) {
      if (!stream.isTTY) return;
      const nowMs = Date.now();
      if (nowMs - lastDraw < 100 && done < total) return;
      lastDraw = nowMs;
      const elapsed = (nowMs - started) / 1000;
      const rate = done / Math.max(elapsed, 0.001);
      const left = (total - done) / Math.max(rate, 0.001);
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      stream.write(`\r${label}: ${done}/${total} (${pct}%), ${Math.round(rate)}/s, còn / left ~${duration(left)}   `);
    },
    finish(summary) {
      if (stream.isTTY) stream.write('\r\x1b[2K');
      const elapsed = (Date.now() - started) / 1000;
      summaryTo.write(`${summary} (${duration(elapsed)})\n`);
    },
  };
}
