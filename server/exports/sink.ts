/**
 * Where an export's CSV goes: an HTTP response, a file or stdout. A write waits while the reader is
 * behind (backpressure, so memory stays constant whatever the size of the export), and the sink
 * says when the reader has gone (a closed browser tab, `| head`), so the export stops its query.
 */
import type { Writable } from 'node:stream';

export interface CsvSink {
  write(chunk: string | Uint8Array): Promise<void>;
  readonly gone: boolean;
}

/**
 * `stallMs`: a reader that takes nothing for this long is let go (the stream destroyed, the export's
 * query ended). A download that keeps its connection open but stops reading would otherwise hold a
 * database connection and its snapshot for as long as it likes; on PostgreSQL a dozen of them
 * emptied the pool, and citizens got 503 (issue 17). Files and pipes wait as long as they need.
 */
export function writableSink(stream: Writable, opts: { stallMs?: number } = {}): CsvSink {
  let gone = false;
  const leave = () => {
    gone = true;
  };
  // 'close' also comes after a response that ended normally; by then the export has finished.
  stream.once('close', leave);
  stream.on('error', leave);
  return {
    get gone() {
      return gone || stream.destroyed;
    },
    async write(chunk) {
      if (gone || stream.destroyed) return;
      if (stream.write(chunk)) return;
      await new Promise<void>((resolve) => {
        const stalled =
          opts.stallMs === undefined
            ? undefined
            : setTimeout(() => {
                gone = true;
                stream.destroy();
              }, opts.stallMs);
        const done = () => {
          clearTimeout(stalled);
          stream.off('close', done);
          stream.off('error', done);
          resolve();
        };
        // `once`, not on/off: compression forwards 'drain' listeners to its zlib stream.
        stream.once('drain', done);
        stream.once('close', done);
        stream.once('error', done);
      });
    },
  };
}
