// The CSV / HR export connector: one row per person, read from a file on disk, as the IdP side of
// an audit. The file is streamed; users go to the sink page by page while reading, and any problem
// fails the run at the end with every problem found (the sync layer discards a failed run's rows).

import { resolve } from 'node:path';
import type { CsvIdpConfig } from '../../config/schema';
import { DriftlineError } from '../../errors';
import type { Coverage, UserRecord } from '../../model';
import { createWriteTracker } from '../../util/write-tracker';
import type { Connector, PollContext, PollResult } from '../types';
import type { CsvReadResult, CsvRow } from './csv-file';
import { readCsvFile, throwIfCancelled } from './csv-file';
import { createGroupIndex } from './csv-groups';
import type { CsvLayout } from './csv-header';
import { readHeader, REQUIRED_COLUMNS } from './csv-header';
import { createProblemList } from './csv-problems';
import { createDuplicateCheck, readPersonRow } from './csv-rows';

/** Users per sink call. */
const PAGE_SIZE = 1000;
/**
 * Pages handed to the sink and not yet written, past which reading waits: the file reads faster
 * than the store writes, and unbounded the backlog would hold a large export in memory and make
 * an app syncing at the same time wait behind all of it.
 */
const PAGES_IN_FLIGHT = 2;
const PROGRESS_EVERY = 1000;
/** Groups per sink call: with their members, about as much writing as a page of users. */
const GROUP_PAGE_SIZE = 100;

/** An export lists everyone, leavers included, with their groups: the run sees everything. */
const FULL_COVERAGE: Coverage = { users: true, inactiveUsers: true, groups: true, memberships: 'all', notes: [] };

/** A connector reading `config.path`, resolved against `deps.baseDir` (the config file's folder) when relative. */
export function createCsvConnector(config: CsvIdpConfig, deps: { baseDir: string }): Connector {
  const path = resolve(deps.baseDir, config.path);
  const poll = async (ctx: PollContext): Promise<PollResult> => {
    throwIfCancelled(ctx.signal);
    const people = createPeopleImport(path, ctx);
    const read = await readCsvFile(path, {
      delimiter: config.delimiter,
      expectedHeader: REQUIRED_COLUMNS,
      signal: ctx.signal,
      onRow: people.onRow,
      afterRead: people.afterRead,
    });
    return people.finish(read);
  };
  return {
    poll,
    // A file is cheap to read whole, and only a full read proves every row is valid.
    probe: async (ctx) => {
      const counts = { users: 0, inactive: 0, groups: 0 };
      const result = await poll({
        ...ctx,
        progress: () => undefined,
        sink: {
          users: (batch) => {
            counts.users += batch.length;
            counts.inactive += batch.filter((u) => u.active === false).length;
            return Promise.resolve();
          },
          groups: (batch) => {
            counts.groups += batch.length;
            return Promise.resolve();
          },
          members: () => Promise.resolve(),
        },
      });
      const columns = result.capabilities.columns;
      return {
        facts: [
          { label: 'File', value: path },
          { label: 'People', value: `${counts.users} (${counts.inactive} inactive)` },
          { label: 'Groups', value: String(counts.groups) },
          { label: 'Columns', value: Array.isArray(columns) ? columns.join(', ') : '' },
        ],
        problems: result.warnings,
        capabilities: result.capabilities,
      };
    },
  };
}

function createPeopleImport(
  path: string,
  ctx: PollContext,
): { onRow(row: CsvRow): void; afterRead(): Promise<void>; finish(read: CsvReadResult): Promise<PollResult> } {
  const problems = createProblemList();
  const checkDuplicates = createDuplicateCheck();
  const groups = createGroupIndex();
  let layout: CsvLayout | null = null;
  let rows = 0;
  /** Users handed to the sink so far: a member's userIndex (see MemberRef). */
  let sent = 0;
  let page: UserRecord[] = [];
  const userWrites = createWriteTracker();
  let unnamedColumnsHoldValues = false;

  const problemsError = (): DriftlineError => {
    const headline = `The CSV export ${path} has ${problems.count} problem${problems.count === 1 ? '' : 's'}; nothing was imported:`;
    return new DriftlineError('csv_invalid', problems.format(headline));
  };
  const flushUsers = (): void => {
    // The parser hands rows over synchronously: the pages' writes are tracked, held back between
    // reads (afterRead) and awaited at the end.
    if (page.length > 0) {
      userWrites.track(ctx.sink.users(page));
    }
    page = [];
  };

  const onHeader = (row: CsvRow): CsvLayout => {
    const header = readHeader(row.cells);
    if ('layout' in header) return header.layout;
    for (const problem of header.problems) problems.add(row.line, problem);
    // Without a usable header no row can be read, so stop now.
    throw problemsError();
  };

  return {
    onRow(row) {
      throwIfCancelled(ctx.signal);
      if (layout === null) {
        layout = onHeader(row);
        return;
      }
      rows += 1;
      const { person, problems: rowProblems } = readPersonRow(row.cells, layout);
      const found = person === null ? rowProblems : [...rowProblems, ...checkDuplicates(person.user, row.line)];
      for (const problem of found) problems.add(row.line, problem);
      if (!unnamedColumnsHoldValues) unnamedColumnsHoldValues = layout.unnamed.some((index) => (row.cells[index] ?? '').trim() !== '');

      // Once anything is wrong the run will fail, so stop feeding the sink.
      if (person !== null && problems.count === 0) {
        page.push(person.user);
        groups.add(person.user.id, sent++, person.groups);
      }
      if (rows % PAGE_SIZE === 0) flushUsers();
      if (rows % PROGRESS_EVERY === 0) ctx.progress({ phase: 'users', resources: rows });
    },

    afterRead: () => userWrites.atMost(PAGES_IN_FLIGHT),

    async finish(read) {
      if (read.syntaxError) problems.add(read.syntaxError.line, read.syntaxError.message);
      if (problems.count > 0) throw problemsError();
      if (layout === null) {
        throw new DriftlineError(
          'csv_invalid',
          `The CSV export ${path} is empty: expected a header row (${REQUIRED_COLUMNS.join(',')}) and one row per person.`,
        );
      }
      // An HR export with nobody in it is a broken export, not a company where everyone left:
      // importing it would report every app account as orphaned.
      if (rows === 0) {
        throw new DriftlineError(
          'csv_invalid',
          `The CSV export ${path} has a header but no people. Refusing to treat an empty export as "everyone has left"; check the export.`,
        );
      }
      flushUsers();
      await userWrites.settled();
      ctx.progress({ phase: 'users', resources: rows });

      const records = groups.records();
      for (let start = 0; start < records.length; start += GROUP_PAGE_SIZE) {
        throwIfCancelled(ctx.signal);
        await ctx.sink.groups(records.slice(start, start + GROUP_PAGE_SIZE));
      }
      ctx.progress({ phase: 'groups', resources: records.length });

      return {
        coverage: FULL_COVERAGE,
        capabilities: { source: 'csv', rows, columns: layout.columns.filter((name) => name !== ''), delimiter: read.delimiter },
        warnings: warningsFor(layout, unnamedColumnsHoldValues, read.firstInvalidUtf8Line),
      };
    },
  };
}

function warningsFor(layout: CsvLayout, unnamedColumnsHoldValues: boolean, firstInvalidUtf8Line: number | null): string[] {
  const warnings: string[] = [];
  if (layout.unnamed.length > 0) {
    const which = `${layout.unnamed.length === 1 ? 'Column' : 'Columns'} ${layout.unnamed.map((index) => index + 1).join(', ')}`;
    warnings.push(
      `${which} of the CSV export ${layout.unnamed.length === 1 ? 'has' : 'have'} no header name and ${layout.unnamed.length === 1 ? 'was' : 'were'} ignored` +
        (unnamedColumnsHoldValues ? ', although some rows have values there: name the column to import it.' : '.'),
    );
  }
  if (firstInvalidUtf8Line !== null) {
    warnings.push(
      `Line ${firstInvalidUtf8Line} of the CSV export is not valid UTF-8, so some characters were replaced by "\uFFFD". ` +
        'Excel\'s plain "CSV" format uses the Windows code page; export as "CSV UTF-8" instead.',
    );
  }
  return warnings;
}
