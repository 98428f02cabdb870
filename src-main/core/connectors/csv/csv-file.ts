// Streams a CSV file through csv-parse, handing over each non-blank record with the physical line
// it starts on. Everything that is about the file rather than about people lives here: opening it,
// refusing binary files, choosing the delimiter, counting lines and reporting broken quoting.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, Parser, type Options } from 'csv-parse';
import { DriftlineError } from '../../errors';

/** A non-blank record and the 1-based physical line where it starts. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvReadOptions {
  /** The configured delimiter; when absent it is chosen from the header row (`,` or `;`). */
  delimiter: string | undefined;
  /** Header names the file should have, used to tell a `,` header from a `;` header. */
  expectedHeader: readonly string[];
  signal: AbortSignal;
  /** Called for every non-blank record, header included, in file order. May throw to stop reading. */
  onRow(row: CsvRow): void;
}

export interface CsvReadResult {
  delimiter: string;
  /**
   * The first broken quoting, where reading stopped: past a broken quote nobody can tell where the
   * next record starts, so every later "error" would be noise.
   */
  syntaxError: { line: number; message: string } | null;
  /** First line holding bytes that are not UTF-8 (decoded as U+FFFD), or null. */
  firstInvalidUtf8Line: number | null;
}

/** Enough of the file to hold its header row. */
const SNIFF_BYTES = 64 * 1024;
/** A record this long is a quote that never closes, not a person; stops reading the whole file into one field. */
const MAX_RECORD_CHARS = 1_000_000;

/** Reads `path` record by record. Throws `file_unreadable`, `csv_invalid` (binary file) or `cancelled`. */
export async function readCsvFile(path: string, options: CsvReadOptions): Promise<CsvReadResult> {
  const handle = await openFile(path);
  let delimiter: string;
  try {
    delimiter = options.delimiter ?? chooseDelimiter(await readPrefix(handle), options.expectedHeader);
  } catch (err) {
    await handle.close();
    throw fileError(path, err);
  }

  // Counted here rather than taken from csv-parse's `info.lines`, which counts a CRLF inside a
  // quoted value as two lines.
  let nextLine = 1;
  let firstInvalidUtf8Line: number | null = null;
  const parser = new RecordParser(
    { delimiter, bom: true, trim: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS },
    (cells) => {
      const line = nextLine;
      nextLine += 1 + cells.reduce((breaks, cell) => breaks + countLineBreaks(cell), 0);
      if (cells.every((cell) => cell.trim() === '')) return;
      if (firstInvalidUtf8Line === null && cells.some((cell) => cell.includes('\uFFFD'))) firstInvalidUtf8Line = line;
      options.onRow({ line, cells });
    },
  );

  try {
    await pipeline(handle.createReadStream({ start: 0 }), rejectBinary(path), parser, { signal: options.signal });
  } catch (err) {
    throwIfCancelled(options.signal);
    if (err instanceof CsvError) return { delimiter, syntaxError: { line: nextLine, message: describeSyntaxError(err) }, firstInvalidUtf8Line };
    if (isSystemError(err)) throw fileError(path, err);
    throw err;
  }
  return { delimiter, syntaxError: null, firstInvalidUtf8Line };
}

/**
 * csv-parse's stream parser, handing each record to `onRecord` the moment the parser completes it,
 * inside its parse of the chunk: every record before a syntax error has been handled when the error
 * surfaces, so `nextLine` is then where the broken record starts. Nothing flows downstream.
 * csv-parse's `on_record` hook would do the same, but it builds a context object for every record
 * first (two object spreads, ~0.7 s of a 100k-row import). A throwing `onRecord` stops the parser
 * and fails the pipeline with its error.
 */
class RecordParser extends Parser {
  private stopped = false;

  constructor(
    options: Options,
    private readonly onRecord: (cells: string[]) => void,
  ) {
    super(options);
  }

  override push(record: unknown): boolean {
    if (this.stopped) return false;
    if (record === null) return super.push(null);
    try {
      this.onRecord(record as string[]);
    } catch (err) {
      this.stopped = true;
      this.destroy(err instanceof Error ? err : new Error(String(err)));
    }
    return true;
  }
}

/** Throws `cancelled` once the run's signal has fired. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new DriftlineError('cancelled', 'The CSV import was cancelled.');
}

async function openFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
  try {
    // Opening a folder succeeds on Linux; say what is wrong instead of failing on the first read.
    if ((await handle.stat()).isDirectory()) throw new DriftlineError('file_unreadable', folderMessage(path));
    return handle;
  } catch (err) {
    await handle.close();
    throw fileError(path, err);
  }
}

async function readPrefix(handle: FileHandle): Promise<Buffer> {
  const buffer = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
  return buffer.subarray(0, bytesRead);
}

/**
 * `;` when the first non-blank line splits into more of the expected header names on `;` than on
 * `,` (European spreadsheets export with `;`), otherwise `,`. The header names contain neither
 * character, so this cannot mistake one for the other; data rows are never looked at.
 */
function chooseDelimiter(prefix: Buffer, expectedHeader: readonly string[]): string {
  const expected = new Set(expectedHeader.map((name) => name.toLowerCase()));
  const header = prefix.toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '';
  const matches = (delimiter: string): number =>
    header.split(delimiter).filter((cell) => expected.has(cell.trim().replace(/^"(.*)"$/, '$1').toLowerCase())).length;
  return matches(';') > matches(',') ? ';' : ',';
}

// A NUL byte never appears in a UTF-8 text export; it means a spreadsheet workbook, a UTF-16
// "Unicode text" export or some other binary file, which would otherwise parse into garbage rows.
function rejectBinary(path: string): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.includes(0)) {
        callback(
          new DriftlineError(
            'csv_invalid',
            `The CSV export ${path} is not a text file (it contains NUL bytes). ` +
              'Export the HR data as "CSV UTF-8"; spreadsheet workbooks and UTF-16 text are not supported.',
          ),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
}

/** Line breaks inside a value: CRLF, LF and a lone CR each end one physical line. */
function countLineBreaks(value: string): number {
  return value.match(/\r\n|\n|\r/g)?.length ?? 0;
}

function describeSyntaxError(err: CsvError): string {
  const what = ((): string => {
    switch (err.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return 'a quoted value that starts in this row is never closed';
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return 'malformed quoting: text follows the closing quote of a value (a quote inside a quoted value must be doubled: "")';
      case 'INVALID_OPENING_QUOTE':
        return 'malformed quoting: a quote appears inside an unquoted value (quote the whole value and double the inner quote: "")';
      case 'CSV_MAX_RECORD_SIZE':
        return `the row is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters, which usually means a quote that is never closed`;
      default:
        return `malformed CSV: ${err.message}`;
    }
  })();
  return `${what}; rows after it were not checked`;
}

/** An error from the operating system (ENOENT, EACCES, EIO…), as opposed to a bug or a parse error. */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'syscall' in err && typeof err.syscall === 'string';
}

function folderMessage(path: string): string {
  return `The CSV export path ${path} is a folder, not a file.`;
}

function fileError(path: string, err: unknown): DriftlineError {
  if (err instanceof DriftlineError) return err;
  const code = isSystemError(err) ? err.code : undefined;
  const message =
    code === 'ENOENT'
      ? `The CSV export ${path} does not exist.`
      : code === 'EACCES' || code === 'EPERM'
        ? `Driftline is not allowed to read the CSV export ${path} (permission denied).`
        : code === 'EISDIR'
          ? folderMessage(path)
          : `The CSV export ${path} could not be read: ${err instanceof Error ? err.message : String(err)}`;
  return new DriftlineError('file_unreadable', message, { cause: err });
}
