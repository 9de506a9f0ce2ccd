/** The CSV sink lets go of a reader that stops reading, and waits for one that reads slowly. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writableSink } from './sink.ts';

/** A stream whose buffer is full after one chunk and that drains only when told to. */
function slowReader(): { stream: Writable; drain: () => void } {
  let pending: (() => void) | null = null;
  const stream = new Writable({
    highWaterMark: 4,
    write(_chunk, _encoding, callback) {
      pending = callback;
    },
  });
  return { stream, drain: () => pending?.() };
}

describe('writableSink', () => {
  it('a reader that takes nothing for stallMs is let go: the stream is destroyed and the export sees it gone', async () => {
    const { stream } = slowReader();
    const sink = writableSink(stream, { stallMs: 50 });
    const started = Date.now();
    await sink.write('a much longer chunk than the buffer');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(sink.gone).toBe(true);
    expect(stream.destroyed).toBe(true);
  });

  it('a reader that drains in time is kept, however slow the export', async () => {
    const { stream, drain } = slowReader();
    const sink = writableSink(stream, { stallMs: 200 });
    setTimeout(drain, 50);
    await sink.write('a much longer chunk than the buffer');
    expect(sink.gone).toBe(false);
    expect(stream.destroyed).toBe(false);
  });

  it('without stallMs (a file, a pipe) it waits as long as the reader needs', async () => {
    const { stream, drain } = slowReader();
    const sink = writableSink(stream);
    setTimeout(drain, 120);
    await sink.write('a much longer chunk than the buffer');
    expect(sink.gone).toBe(false);
  });
});
