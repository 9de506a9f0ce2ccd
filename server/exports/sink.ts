/**
 * Where an export's CSV goes: an HTTP response, a file or stdout. A write waits while the reader is
 * behind (backpressure, so memory stays constant whatever the size of the export), and the sink
 * says when the reader has gone (a closed browser tab, `| head`), so the export stops its query.
 */
import type { Writable } from 'node:stream';

export interface CsvSink {
  write(chunk: string): Promise<void>;
  readonly gone: boolean;
}

export function writableSink(stream: Writable): CsvSink {
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
        const done = () => {
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
