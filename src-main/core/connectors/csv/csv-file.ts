// Streams a CSV file through papaparse's parser, handing over each non-blank record with the
// physical line it starts on. Everything that is about the file rather than about people lives
// here: opening it, refusing binary files, choosing the delimiter and line break, counting lines and
// reporting broken quoting.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
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
  /** Awaited after each read's records are handed over, before the next read: where the caller holds reading back. */
  afterRead?(): Promise<void>;
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

type SyntaxProblem = 'unclosed_quote' | 'text_after_closing_quote' | 'record_too_long';

/** Reads `path` record by record. Throws `file_unreadable`, `csv_invalid` (binary file) or `cancelled`. */
export async function readCsvFile(path: string, options: CsvReadOptions): Promise<CsvReadResult> {
  const handle = await openFile(path);
  let delimiter: string;
  let newline: Newline;
  try {
    const prefix = (await readPrefix(handle)).toString('utf8').replace(/^\uFEFF/, '');
    delimiter = options.delimiter ?? chooseDelimiter(prefix, options.expectedHeader);
    newline = chooseNewline(prefix);
  } catch (err) {
    await handle.close();
    throw fileError(path, err);
  }

  // Counted here from the values' own line breaks, so a line break inside a quoted value moves the
  // next record's line on by exactly the physical lines it spans (a CRLF is one).
  let nextLine = 1;
  let firstInvalidUtf8Line: number | null = null;
  const split = createRecordSplitter(delimiter, newline, (cells) => {
    const line = nextLine;
    let blank = true;
    const lastCell = cells.length - 1;
    for (let k = 0; k < cells.length; k++) {
      let cell = cells[k] as string;
      // Split on LF, a CRLF line leaves its CR at the end of its last value: part of the line break.
      if (k === lastCell && newline === '\n' && cell.endsWith('\r')) cell = cell.slice(0, -1);
      nextLine += countLineBreaks(cell);
      const trimmed = cell.trim();
      cells[k] = trimmed;
      if (trimmed !== '') blank = false;
    }
    nextLine += 1;
    if (blank) return;
    if (firstInvalidUtf8Line === null && cells.some((cell) => cell.includes('\uFFFD'))) firstInvalidUtf8Line = line;
    options.onRow({ line, cells });
  });

  const stream = handle.createReadStream({ start: 0 });
  const decoder = new StringDecoder('utf8');
  let started = false;
  let problem: SyntaxProblem | null = null;
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      throwIfCancelled(options.signal);
      if (bytes.includes(0)) throw binaryFileError(path);
      let text = decoder.write(bytes);
      if (!started && text !== '') {
        text = text.replace(/^\uFEFF/, '');
        started = true;
      }
      problem = split(text, false);
      if (problem !== null) break;
      await options.afterRead?.();
    }
    problem ??= split(decoder.end(), true);
  } catch (err) {
    throwIfCancelled(options.signal);
    if (isSystemError(err)) throw fileError(path, err);
    throw err;
  } finally {
    stream.destroy();
  }
  return { delimiter, syntaxError: problem === null ? null : { line: nextLine, message: describeSyntaxProblem(problem) }, firstInvalidUtf8Line };
}

/**
 * Feeds decoded text to papaparse's parser (a few times faster than csv-parse on an HR export) and
 * hands each complete record to `onRecord`, in order. The record still open at the end of a piece
 * of text is parsed again with the next piece, so a value split between two reads is never cut.
 * Stops at the first broken quoting, after the records before it, and returns what was wrong.
 */
function createRecordSplitter(delimiter: string, newline: Newline, onRecord: (cells: string[]) => void): (text: string, last: boolean) => SyntaxProblem | null {
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
  let pending = '';
  return (text, last) => {
    // At the end of the file, whitespace after a closing quote ends nothing papaparse accepts
    // (between a quote and a line break it does), and trailing whitespace is trimmed from every
    // value anyway.
    const input = last ? (pending + text).trimEnd() : pending + text;
    const result = parser.parse(input, 0, !last) as { data: string[][]; errors: Papa.ParseError[]; meta: { cursor: number } };
    // An error in the record still open is judged again once more text has come: the parser looked
    // ahead only as far as this piece went, so a quote that closes right at its end can look wrong.
    const error = result.errors.find((e) => last || (e.row ?? Infinity) < result.data.length);
    const complete = error?.row ?? result.data.length;
    for (let k = 0; k < complete; k++) onRecord(result.data[k] as string[]);
    if (error !== undefined) return error.code === 'MissingQuotes' ? 'unclosed_quote' : 'text_after_closing_quote';
    pending = input.slice(result.meta.cursor);
    return pending.length > MAX_RECORD_CHARS ? 'record_too_long' : null;
  };
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
function chooseDelimiter(prefix: string, expectedHeader: readonly string[]): string {
  const expected = new Set(expectedHeader.map((name) => name.toLowerCase()));
  const header = prefix.split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '';
  const matches = (delimiter: string): number =>
    header.split(delimiter).filter((cell) => expected.has(cell.trim().replace(/^"(.*)"$/, '$1').toLowerCase())).length;
  return matches(';') > matches(',') ? ';' : ',';
}

// A NUL byte never appears in a UTF-8 text export; it means a spreadsheet workbook, a UTF-16
// "Unicode text" export or some other binary file, which would otherwise parse into garbage rows.
function binaryFileError(path: string): DriftlineError {
  return new DriftlineError(
    'csv_invalid',
    `The CSV export ${path} is not a text file (it contains NUL bytes). ` +
      'Export the HR data as "CSV UTF-8"; spreadsheet workbooks and UTF-16 text are not supported.',
  );
}

type Newline = '\n' | '\r';

/**
 * The record separator: a lone CR when the file's first line ends with one (old Mac exports), else
 * LF, which ends CRLF lines too, so a file whose line breaks are mixed (a header saved on Windows,
 * rows appended by a script) is read line by line instead of as one long record. A CRLF's CR stays
 * at the end of the line's last value, where trimming removes it. The one reading this cannot tell
 * apart: a quoted last value whose own text ends in a lone CR, whose CR is counted as the line break's.
 */
function chooseNewline(prefix: string): Newline {
  return /\r\n|\n|\r/.exec(prefix)?.[0] === '\r' ? '\r' : '\n';
}

/** Line breaks inside a value: CRLF, LF and a lone CR each end one physical line. */
function countLineBreaks(value: string): number {
  return value.match(/\r\n|\n|\r/g)?.length ?? 0;
}

function describeSyntaxProblem(problem: SyntaxProblem): string {
  const what = {
    unclosed_quote: 'a quoted value that starts in this row is never closed',
    text_after_closing_quote: 'malformed quoting: text follows the closing quote of a value (a quote inside a quoted value must be doubled: "")',
    record_too_long: `the row is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters, which usually means a quote that is never closed`,
  }[problem];
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
