/**
 * Why: a CSV opened by double-click in LibreOffice 7.4 ignores the byte order mark (garbled
 * Vietnamese) and a semicolon file lands in one column (issue 21, item 5). An `.xlsx` opens without
 * an import dialog in Excel and LibreOffice alike. Written with exceljs's streaming writer, row by
 * row into the zip, inline strings (no shared-string table held in memory), and with backpressure:
 * the exporter waits while the zip has more than a bounded amount not yet compressed and sent, so a
 * million responses take the same memory as a thousand, like the CSV (sink.ts, db/snapshot.ts).
 */
import { Writable } from 'node:stream';
// Loaded on the first workbook asked for: exceljs is about 28 MB of a server's memory (issue 23).
import type ExcelJS from 'exceljs';
import type { Lang } from '../i18n/index.ts';
import { headerOf, NUMBER_FORMAT, type PeopleCell, type PeopleColumn, xlsxFormatOf, xlsxValue } from './people.ts';
import type { CsvSink } from './sink.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Bytes of a sheet's XML that may wait for the zip before the exporter pauses. */
const BACKLOG_BYTES = 256 * 1024;

/**
 * exceljs's worksheet stream (utils/stream-buf.js) and what it pipes into: archiver's PassThrough from
 * the readable-stream package, whose buffered lengths are only in its states. Not in exceljs's types.
 */
interface PassThroughInternals {
  _writableState?: { length: number };
  _readableState?: { length: number };
  once?: (event: 'drain', listener: () => void) => unknown;
  removeListener?: (event: 'drain', listener: () => void) => unknown;
}
interface SheetInternals {
  stream?: { pipes?: PassThroughInternals[] };
}

export interface XlsxSheet {
  /** One row; it is committed at once (nothing of it stays in memory). */
  add(cells: readonly PeopleCell[]): void;
  /** Waits while too much is waiting for the zip or the reader; false when the reader has gone. */
  flow(): Promise<boolean>;
  /** Ends the sheet (writes what follows its rows). */
  commit(): void;
}

export interface XlsxBook {
  sheet(name: string, columns: readonly PeopleColumn[], lang: Lang): XlsxSheet;
  /** Finishes the zip and waits until the reader has taken the last byte. */
  finish(): Promise<void>;
  readonly gone: boolean;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

function widthOf(column: PeopleColumn, lang: Lang): number {
  const header = headerOf(column, lang).length;
  return Math.min(60, Math.max(column.width ?? 0, Math.ceil(header * 0.9) + 2, 8));
}

export async function openXlsx(out: CsvSink): Promise<XlsxBook> {
  const excel: typeof ExcelJS = (await import('exceljs')).default;
  const output = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      out.write(chunk).then(() => callback(), callback);
    },
  });
  const book = new excel.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  book.creator = 'SIPAS Nghệ An';
  book.created = new Date();

  return {
    get gone() {
      return out.gone;
    },
    sheet(name, columns, lang) {
      const ws = book.addWorksheet(sheetName(name), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
      // A number format only where one is needed (dates, percentages, decimals): every cell copies its column's style.
      ws.columns = columns.map((c) => {
        const numFmt = NUMBER_FORMAT[c.kind];
        return { width: widthOf(c, lang), ...(numFmt ? { style: { numFmt } } : {}) };
      });
      const header = ws.addRow(columns.map((c) => headerOf(c, lang)));
      header.font = { bold: true };
      header.alignment = { vertical: 'top', wrapText: true };
      header.commit();
      const internals = ws as unknown as SheetInternals;
      const backlog = () => {
        const pipe = internals.stream?.pipes?.[0];
        return { pipe, bytes: (pipe?._writableState?.length ?? 0) + (pipe?._readableState?.length ?? 0) };
      };
      return {
        add(cells) {
          const row = ws.addRow(columns.map((c, i) => xlsxValue(cells[i], c.kind)));
          cells.forEach((cell, i) => {
            const column = columns[i];
            const format = column ? xlsxFormatOf(cell, column.kind) : undefined;
            if (format) row.getCell(i + 1).numFmt = format;
          });
          row.commit();
        },
        async flow() {
          for (let { pipe, bytes } = backlog(); bytes > BACKLOG_BYTES && !out.gone; { pipe, bytes } = backlog()) {
            // The PassThrough emits 'drain' once its buffer empties; a short timer in case it already has.
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                pipe?.removeListener?.('drain', done);
                resolve();
              };
              const timer = setTimeout(done, 20);
              pipe?.once?.('drain', done);
            });
          }
          await new Promise((resolve) => setImmediate(resolve));
          return !out.gone;
        },
        commit() {
          ws.commit();
        },
      };
    },
    async finish() {
      if (out.gone) return;
      await book.commit();
    },
  };
}
