import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCsvConnector } from '../../src-main/core/connectors/csv/csv-connector';
import type { PollResult } from '../../src-main/core/connectors/types';
import { DriftlineError } from '../../src-main/core/errors';
import { memoryContext } from '../helpers/memory-sink';
import type { MemorySink } from '../helpers/memory-sink';
import { useTempDir } from '../helpers/temp-dir';

const HEADER = 'id,userName,email,givenName,familyName,displayName,active,groups';

const tempDir = useTempDir('driftline-csv-');

/** Writes `content` as people.csv in a fresh folder and polls it through a relative path. */
async function pollCsv(
  content: string | Buffer,
  options: { delimiter?: string; onSink?: (sink: MemorySink, abort: AbortController) => void } = {},
): Promise<{ result: PollResult; sink: MemorySink }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'people.csv'), content);
  const connector = createCsvConnector({ name: 'hr', type: 'csv', path: 'people.csv', delimiter: options.delimiter }, { baseDir: dir });
  const { ctx, sink, abort } = memoryContext();
  options.onSink?.(sink, abort);
  const result = await connector.poll(ctx);
  return { result, sink };
}

async function pollError(content: string | Buffer, options: Parameters<typeof pollCsv>[1] = {}): Promise<DriftlineError> {
  const err: unknown = await pollCsv(content, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DriftlineError)) throw new Error(`expected a DriftlineError, got ${String(err)}`);
  return err;
}

const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;

describe('CSV connector', () => {
  it('reads people, extra columns as attributes, and groups with their members', async () => {
    const { result, sink } = await pollCsv(
      lines(
        `${HEADER},externalId,title,Department,employeeNumber,manager`,
        'e1,alice@example.com,alice@example.com,Alice,Smith,Alice Smith,true,Engineering; Admins,ext-1,Engineer,R&D,1001,e2',
        'e2,bob@example.com,,Bob,Jones,Bob Jones,Terminated,engineering;;  ;Sales;SALES,,,Sales,1002,',
        'e3,carol@example.com,carol@example.com,Carol,,Carol,yes,,ext-3,CEO,,1003,',
      ),
    );

    expect(sink.usersSeen).toHaveLength(3);
    expect(sink.usersSeen[0]).toEqual({
      id: 'e1',
      userName: 'alice@example.com',
      externalId: 'ext-1',
      active: true,
      status: 'true',
      email: 'alice@example.com',
      givenName: 'Alice',
      familyName: 'Smith',
      displayName: 'Alice Smith',
      attributes: { title: 'Engineer', Department: 'R&D', employeeNumber: '1001', manager: 'e2' },
      raw: {
        id: 'e1',
        userName: 'alice@example.com',
        email: 'alice@example.com',
        givenName: 'Alice',
        familyName: 'Smith',
        displayName: 'Alice Smith',
        active: 'true',
        externalId: 'ext-1',
        title: 'Engineer',
        Department: 'R&D',
        employeeNumber: '1001',
        manager: 'e2',
      },
    });
    expect(sink.usersSeen[1]).toMatchObject({
      id: 'e2',
      active: false,
      status: 'Terminated',
      email: null,
      externalId: null,
      attributes: { title: null, Department: 'Sales', employeeNumber: '1002', manager: null },
    });
    expect(sink.usersSeen[2]).toMatchObject({ id: 'e3', active: true, status: 'yes', familyName: null });

    expect(sink.groupsSeen).toEqual([
      {
        id: 'engineering',
        displayName: 'Engineering',
        externalId: null,
        // userIndex: the member's position among the users handed to the sink (see MemberRef).
        members: [
          { value: 'e1', type: 'User', userIndex: 0 },
          { value: 'e2', type: 'User', userIndex: 1 },
        ],
        raw: { name: 'Engineering' },
      },
      { id: 'admins', displayName: 'Admins', externalId: null, members: [{ value: 'e1', type: 'User', userIndex: 0 }], raw: { name: 'Admins' } },
      { id: 'sales', displayName: 'Sales', externalId: null, members: [{ value: 'e2', type: 'User', userIndex: 1 }], raw: { name: 'Sales' } },
    ]);

    expect(result).toEqual({
      coverage: { users: true, inactiveUsers: true, groups: true, memberships: 'all', notes: [] },
      capabilities: {
        source: 'csv',
        rows: 3,
        columns: [...HEADER.split(','), 'externalId', 'title', 'Department', 'employeeNumber', 'manager'],
        delimiter: ',',
      },
      warnings: [],
    });
    expect(sink.progressSeen).toEqual([
      { phase: 'users', resources: 3 },
      { phase: 'groups', resources: 3 },
    ]);
  });

  it('keeps a column named __proto__ as an ordinary attribute and raw value, leaving the records plain objects', async () => {
    const { sink } = await pollCsv(lines(`${HEADER},__proto__,constructor`, 'e1,a@example.com,,A,B,A B,true,,polluted,ctor'));
    const user = sink.usersSeen[0];
    for (const record of [user?.attributes, user?.raw] as Array<Record<string, unknown>>) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(record, '__proto__')).toEqual({ value: 'polluted', enumerable: true, writable: true, configurable: true });
      expect(Object.hasOwn(record, 'constructor') && record.constructor).toBe('ctor');
    }
    expect(JSON.stringify(user?.attributes)).toBe('{"__proto__":"polluted","constructor":"ctor"}');
  });

  it('matches header names trimmed and ignoring case, and reads an absolute path', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'exports'));
    const file = join(dir, 'exports', 'hr.csv');
    writeFileSync(file, lines(' ID ,USERNAME,Email,givenname,FamilyName,DISPLAYNAME, Active ,Groups', 'e1,a,a@x,A,B,A B,1,g'));
    const connector = createCsvConnector({ name: 'hr', type: 'csv', path: file }, { baseDir: '/nonexistent' });
    const { ctx, sink } = memoryContext();
    await connector.poll(ctx);
    expect(sink.usersSeen[0]).toMatchObject({ id: 'e1', userName: 'a', email: 'a@x', active: true, attributes: {} });
  });

  it('resolves a relative path against the config folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'hr'));
    writeFileSync(join(dir, 'hr', 'people.csv'), lines(HEADER, 'e1,a,,,,,1,'));
    const { ctx, sink } = memoryContext();
    await createCsvConnector({ name: 'hr', type: 'csv', path: 'hr/people.csv' }, { baseDir: dir }).poll(ctx);
    expect(sink.usersSeen.map((u) => u.id)).toEqual(['e1']);
  });

  it('reads quoted values with delimiters, quotes and line breaks, and keeps line numbers right after them', async () => {
    const content = lines(
      `${HEADER},title`,
      'e1,alice,alice@x,Alice,Smith,"Smith, Alice",true,"Eng;Ops","Head of ""Platform""\nand Tooling"',
      'e2,bob,bob@x,Bob,Jones,"Jones,\nBob\n(contractor)",true,Eng,',
      'e3,carol,carol@x,Carol,Doe,Carol Doe,maybe,Eng,',
    );
    const err = await pollError(content);
    expect(err.code).toBe('csv_invalid');
    // Header 1, e1 on lines 2–3, e2 on lines 4–6, e3 on line 7.
    expect(err.message).toContain('line 7: active "maybe" is not a recognised value (use true/false, t/f, yes/no');

    const { sink } = await pollCsv(content.replace('maybe', 'true'));
    expect(sink.usersSeen[0]).toMatchObject({ displayName: 'Smith, Alice', attributes: { title: 'Head of "Platform"\nand Tooling' } });
    expect(sink.usersSeen[1]?.displayName).toBe('Jones,\nBob\n(contractor)');
    expect(sink.groupsSeen.map((g) => [g.id, g.members?.length])).toEqual([
      ['eng', 3],
      ['ops', 1],
    ]);
  });

  it('reads a file with a BOM and CRLF line ends, counting a CRLF inside quotes as one line', async () => {
    const content = `\uFEFF${HEADER},title\r\ne1,alice,a@x,Alice,Smith,Alice Smith,TRUE,Eng,"two\r\nlines"\r\ne2,bob,b@x,Bob,Jones,Bob Jones,nope,Eng,x\r\n`;
    const err = await pollError(content);
    expect(err.message).toContain('line 4: active "nope"');

    const { sink, result } = await pollCsv(content.replace('nope', 'n'));
    expect(sink.usersSeen.map((u) => [u.id, u.active, u.attributes.title])).toEqual([
      ['e1', true, 'two\r\nlines'],
      ['e2', false, 'x'],
    ]);
    expect(result.capabilities.columns).toEqual([...HEADER.split(','), 'title']);
  });

  it('skips blank lines but still counts them', async () => {
    const err = await pollError(`\n${HEADER}\n\ne1,a,,,,,1,\n   \n,,,,,,,\ne2,b,,,,,bad,\n\n`);
    expect(err.message).toContain('line 7: active "bad"');
    expect(err.message).toContain('has 1 problem;');
  });

  it('reports every kind of row problem with the line the row starts on', async () => {
    const err = await pollError(
      lines(
        HEADER,
        'e1,alice,,,,,true,', // 2: fine
        ',bob,,,,,true,', // 3: empty id
        'e3,,,,,,true,', // 4: empty userName
        'e1,carol,,,,,true,', // 5: duplicate id
        'e5,ALICE,,,,,true,', // 6: duplicate userName, ignoring case
        'e6,dave,,,,"multi\nline",maybe,', // 7–8: unreadable active
        'e8,erin,,,,,,', // 9: empty active
        'e9,frank,,,,,true', // 10: too few cells
        'e10,grace,,,,,true,,extra', // 11: too many cells
        'E1,heidi,,,,,true,', // 12: ids are case-exact, so this one is fine
      ),
    );
    expect(err.code).toBe('csv_invalid');
    const [headline, ...problems] = err.message.split('\n');
    expect(headline).toMatch(/^The CSV export .*people\.csv has 8 problems; nothing was imported:$/);
    expect(problems).toEqual([
      'line 3: id is empty',
      'line 4: userName is empty',
      'line 5: id "e1" is already used on line 2',
      'line 6: userName "ALICE" is already used on line 2 (userNames are compared ignoring case)',
      'line 7: active "maybe" is not a recognised value (use true/false, t/f, yes/no, y/n, 1/0, active/inactive, enabled/disabled, deactivated, suspended, terminated)',
      'line 9: active is empty (use true/false, t/f, yes/no, y/n, 1/0, active/inactive, enabled/disabled, deactivated, suspended, terminated)',
      'line 10: the row has 7 cells but the header has 8 (is a value containing the delimiter missing its quotes?)',
      'line 11: the row has 9 cells but the header has 8 (is a value containing the delimiter missing its quotes?)',
    ]);
  });

  it('lists the first 20 problems and counts the rest', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `e${i},u${i},,,,,maybe,`);
    const err = await pollError(lines(HEADER, ...rows));
    const shown = err.message.split('\n');
    expect(shown[0]).toContain('has 25 problems');
    expect(shown.slice(1, 21).map((line) => line.split(':')[0])).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 2}`));
    expect(shown[21]).toBe('…and 5 more');
    expect(shown).toHaveLength(22);
  });

  it('stops at broken quoting and says where the broken row starts', async () => {
    const closing = await pollError(lines(HEADER, 'e1,a,,,,"x\ny",true,', 'e2,b,,,,"Bob" Jones,true,', 'e3,c,,,,,maybe,'));
    expect(closing.message).toContain('has 1 problem;');
    expect(closing.message).toContain('line 4: malformed quoting: text follows the closing quote of a value');
    expect(closing.message).toContain('rows after it were not checked');

    // RFC 4180 wants such a value quoted, but what it says is unambiguous: read as written, as
    // spreadsheets and most CSV readers do, rather than refuse the export.
    const stray = await pollCsv(lines(HEADER, 'e1,a,,,,,true,', 'e2,b,,,,Bob "the builder",true,'));
    expect(stray.sink.usersSeen[1]?.displayName).toBe('Bob "the builder"');

    const unclosed = await pollError(lines(HEADER, 'e1,a,,,,,true,', 'e2,b,,,,"Bob,true,', 'e3,c,,,,,true,', 'e4,d,,,,,true,'));
    expect(unclosed.message).toContain('line 3: a quoted value that starts in this row is never closed; rows after it were not checked');

    const runaway = await pollError(lines(HEADER, 'e1,a,,,,,true,', 'e2,b,,,,"Bob,true,', ...Array.from({ length: 40_000 }, (_, i) => `e${i},user${i}@example.com,,,,,true,`)));
    expect(runaway.message).toContain('line 3: the row is longer than 1,000,000 characters, which usually means a quote that is never closed');
  });

  it('fails on a missing required column, naming it', async () => {
    const err = await pollError(lines('id,userName,mail,givenName,familyName,displayName,status,groups', 'e1,a,,,,,true,'));
    expect(err.code).toBe('csv_invalid');
    expect(err.message).toContain('line 1: the header is missing required columns email, active');
    expect(err.message).toContain('found: id, userName, mail, givenName, familyName, displayName, status, groups');
  });

  it('fails on a column named twice', async () => {
    const err = await pollError(lines(`${HEADER},Title,title`, 'e1,a,,,,,true,,x,y'));
    expect(err.message).toContain('line 1: the header names column "Title" more than once (columns 9, 10)');
  });

  it('fails on an empty file and on a header without people', async () => {
    expect(await pollError('')).toMatchObject({ code: 'csv_invalid', message: expect.stringContaining('is empty') });
    expect(await pollError('\n\r\n  \n')).toMatchObject({ code: 'csv_invalid', message: expect.stringContaining('is empty') });
    expect(await pollError(lines(HEADER))).toMatchObject({
      code: 'csv_invalid',
      message: expect.stringContaining('has a header but no people'),
    });
  });

  it('fails with file_unreadable naming the path when the file is missing or a folder', async () => {
    const dir = tempDir();
    const { ctx } = memoryContext();
    const missing = createCsvConnector({ name: 'hr', type: 'csv', path: 'nope.csv' }, { baseDir: dir });
    await expect(missing.poll(ctx)).rejects.toMatchObject({
      code: 'file_unreadable',
      message: `The CSV export ${join(dir, 'nope.csv')} does not exist.`,
    });

    mkdirSync(join(dir, 'folder.csv'));
    const folder = createCsvConnector({ name: 'hr', type: 'csv', path: 'folder.csv' }, { baseDir: dir });
    await expect(folder.poll(ctx)).rejects.toMatchObject({
      code: 'file_unreadable',
      message: expect.stringContaining(`${join(dir, 'folder.csv')} is a folder`),
    });
  });

  it('refuses a file that is not text', async () => {
    const workbook = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00'), Buffer.alloc(64, 7)]);
    expect(await pollError(workbook)).toMatchObject({ code: 'csv_invalid', message: expect.stringContaining('not a text file') });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(HEADER, 'e1,a,,,,,1,'), 'utf16le')]);
    expect(await pollError(utf16)).toMatchObject({ code: 'csv_invalid', message: expect.stringContaining('not a text file') });
  });

  it('chooses ";" from the header row, and keeps "," when groups hold ";"', async () => {
    const semicolon = await pollCsv(lines(HEADER.replaceAll(',', ';'), 'e1;a;a@x;A;B;"B, A";1;"g1;g2"'));
    expect(semicolon.result.capabilities.delimiter).toBe(';');
    expect(semicolon.sink.usersSeen[0]?.displayName).toBe('B, A');
    expect(semicolon.sink.groupsSeen.map((g) => g.id)).toEqual(['g1', 'g2']);

    const quoted = await pollCsv(lines(HEADER.split(',').map((h) => `"${h}"`).join(';'), 'e1;a;;;;;1;g1'));
    expect(quoted.result.capabilities.delimiter).toBe(';');

    const comma = await pollCsv(lines(HEADER, 'e1,a,,,,,1,g1;g2'));
    expect(comma.result.capabilities.delimiter).toBe(',');
    expect(comma.sink.groupsSeen.map((g) => g.id)).toEqual(['g1', 'g2']);
  });

  it('uses a configured delimiter', async () => {
    const { result, sink } = await pollCsv(lines(HEADER.replaceAll(',', '|'), 'e1|a|||||1|g1;g2'), { delimiter: '|' });
    expect(result.capabilities.delimiter).toBe('|');
    expect(sink.usersSeen[0]?.id).toBe('e1');
  });

  it('warns about columns without a name and about text that is not UTF-8', async () => {
    const quiet = await pollCsv(lines(`${HEADER},,`, 'e1,a,,,,,1,,,'));
    expect(quiet.result.warnings).toEqual(['Columns 9, 10 of the CSV export have no header name and were ignored.']);
    // The raw row keeps every named column but groups, which is stored as memberships.
    expect(Object.keys(quiet.sink.usersSeen[0]?.raw ?? {})).toEqual(HEADER.split(',').filter((c) => c !== 'groups'));

    const withValues = await pollCsv(lines(`${HEADER},`, 'e1,a,,,,,1,,', 'e2,b,,,,,1,,oops'));
    expect(withValues.result.warnings).toEqual([
      'Column 9 of the CSV export has no header name and was ignored, although some rows have values there: name the column to import it.',
    ]);

    const latin1 = await pollCsv(Buffer.concat([Buffer.from(lines(HEADER, 'e1,a,,,,,1,')), Buffer.from('e2,b,,Jos\xe9,,,1,\n', 'latin1')]));
    expect(latin1.result.warnings).toEqual([expect.stringContaining('Line 3 of the CSV export is not valid UTF-8')]);
  });

  it('stops with cancelled when the run is aborted', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `e${i},u${i},,,,,1,`);
    const err: unknown = await pollCsv(lines(HEADER, ...rows), {
      onSink: (sink, abort) => {
        sink.users = (batch) => {
          sink.usersSeen.push(...batch);
          abort.abort();
          return Promise.resolve();
        };
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(err).toBeInstanceOf(DriftlineError);

    const dir = tempDir();
    writeFileSync(join(dir, 'people.csv'), lines(HEADER, 'e1,a,,,,,1,'));
    const { ctx, abort, sink } = memoryContext();
    abort.abort();
    await expect(createCsvConnector({ name: 'hr', type: 'csv', path: 'people.csv' }, { baseDir: dir }).poll(ctx)).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(sink.usersSeen).toEqual([]);
  });

  it('holds reading back while the sink has two pages of people still to write, and fails with the sink', async () => {
    // ~170-byte rows: a 64 KiB read holds fewer than a page (1,000 people) of them.
    const rows = Array.from({ length: 10_000 }, (_, i) => `e${i},user${i}@example.com,user${i}@example.com,Given${i},Family${i},Given${i} Family${i},true,${'g'.repeat(80)}`);
    const held: Array<() => void> = [];
    let handedOver = 0;
    const polled = pollCsv(lines(HEADER, ...rows), {
      onSink: (sink) => {
        sink.users = (batch) => {
          handedOver += 1;
          sink.usersSeen.push(...batch);
          return new Promise<void>((resolve) => held.push(resolve));
        };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Two pages waiting, and the one the read in progress completed.
    expect(handedOver).toBe(3);
    const release = setInterval(() => held.shift()?.(), 1);
    const { sink } = await polled.finally(() => clearInterval(release));
    expect(handedOver).toBe(10);
    expect(sink.usersSeen).toHaveLength(10_000);

    const failed = await pollError(lines(HEADER, ...rows), {
      onSink: (sink) => {
        sink.users = () => Promise.reject(new DriftlineError('db_corrupt', 'disk image is malformed'));
      },
    });
    expect(failed).toMatchObject({ code: 'db_corrupt', message: 'disk image is malformed' });
  });

  it('streams a 50k-row export', async () => {
    const count = 50_000;
    const rows = Array.from(
      { length: count },
      (_, i) => `e${i},user${i}@example.com,user${i}@example.com,Given${i},Family${i},"Family${i}, Given${i}",${i % 10 === 0 ? 'terminated' : 'active'},All;Team ${i % 50},Title ${i % 7}`,
    );
    const { result, sink } = await pollCsv(lines(`${HEADER},title`, ...rows));

    expect(result.capabilities.rows).toBe(count);
    expect(sink.usersSeen).toHaveLength(count);
    expect(sink.usersSeen[49_999]).toMatchObject({
      id: 'e49999',
      userName: 'user49999@example.com',
      displayName: 'Family49999, Given49999',
      active: true,
      attributes: { title: 'Title 5' },
    });
    expect(sink.usersSeen.filter((u) => u.active === false)).toHaveLength(count / 10);
    expect(sink.groupsSeen).toHaveLength(51);
    expect(sink.membersByGroup.get('all')).toHaveLength(count);
    expect(sink.membersByGroup.get('team 7')).toHaveLength(count / 50);
    const userProgress = sink.progressSeen.filter((p) => p.phase === 'users').map((p) => p.resources);
    expect(userProgress).toHaveLength(51);
    expect(userProgress.at(-1)).toBe(count);
  });
});
