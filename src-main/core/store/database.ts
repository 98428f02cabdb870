import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DriftlineError } from '../errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;
export type Statement = Database.Statement;

/** Page size of a new database (SQLite's default is 4 KiB). */
export const PAGE_SIZE = 16_384;

/** Address space, not memory: how much of the file SQLite may read through mmap. */
const MMAP_BYTES = 1024 ** 3;

export interface OpenOptions {
  /** better-sqlite3 binding built for the current runtime (Electron loads its own ABI build). */
  nativeBinding?: string;
  readonly?: boolean;
}

/**
 * A second connection to an open database for a sync's bulk writes. A running run's pages need no
 * fsync each (a crashed run is discarded anyway), so this connection commits with
 * synchronous=NORMAL; the run's final commit switches to FULL (see completeRun). The main
 * connection keeps FULL for the action journal and the audit log.
 */
export function openBulkConnection(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // A batch transaction touches many index pages; keep them in memory instead of spilling to the
  // WAL. 32 MiB holds a 100k-user batch's pages without spilling (the same bytes reach the WAL as with
  // 128 MiB), and every page of cache is fresh memory the first time it fills: on the bench's
  // first sync, 128 MiB cost ~40k more page faults and ~1 s more system time (three runs each).
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  // Analysis reads whole snapshots on this connection: memory-mapped reads skip copying every page
  // into SQLite's cache (a cold 100k-user analysis read ~0.3 s faster).
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return db;
}

/**
 * A read-only connection to a database another connection has opened (and checked and migrated)
 * already, for reading snapshots in another thread. Temporary tables still work on it.
 */
export function openReadConnection(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): Db {
  const db = new Database(file, { readonly: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return db;
}

/** Sets a connection setting until the returned function restores it. */
function withSetting(db: Db, pragma: 'synchronous' | 'wal_autocheckpoint', value: string | number): () => void {
  const previous = db.pragma(pragma, { simple: true }) as number;
  db.pragma(`${pragma} = ${value}`);
  return () => db.pragma(`${pragma} = ${previous}`);
}

/** Runs one transaction with synchronous=FULL on a connection that normally commits with less. */
export function durably<T>(db: Db, work: () => T): T {
  const restore = withSetting(db, 'synchronous', 'FULL');
  try {
    return db.transaction(work)();
  } finally {
    restore();
  }
}

/**
 * Makes the connection's commits leave the WAL unchecked until the returned function is called. A
 * commit that leaves the WAL over wal_autocheckpoint pages first copies every frame into the
 * database, the pages the sync before it wrote too: ~0.1 s after a 100k-user sync, in the commit that
 * ends an analysis. The store checkpoints once the analysis's outcome is out (snapshot-worker), and
 * any later commit would.
 */
export function withoutCheckpoint(db: Db): () => void {
  return withSetting(db, 'wal_autocheckpoint', 0);
}

/** Copies what it can of the WAL into the database without waiting for readers or writers. */
export function checkpoint(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

/**
 * Opens (creating if needed) the Driftline database: WAL, foreign keys, busy timeout, FULL sync
 * (the audit log and action journal must survive power loss), a quick integrity check, and the
 * numbered migrations. Refuses a database whose applied migrations were edited or that is newer
 * than this build.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:' && !existsSync(file)) {
    // Created 0600 regardless of umask: the snapshots hold personal data.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (err) {
    throw new DriftlineError('db_corrupt', `Cannot open the database ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new DriftlineError('db_corrupt', `The database ${file} failed its integrity check (${String(check)}). Restore a backup.`);
    }
    if (!options.readonly) {
      // Only a database without pages yet takes a page size (WAL fixes it from then on). 16 KiB
      // pages keep the snapshot indexes shallower: a first sync of 100k users inserts ~600k
      // entries at random places in them, and spends ~15% less doing it than with 4 KiB pages.
      if (db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db, MIGRATIONS);
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DriftlineError) throw err;
    const message = (err as Error).message;
    const code = /not a database|malformed/i.test(message) ? 'db_corrupt' : 'internal';
    throw new DriftlineError(code, `Cannot use the database ${file}: ${message}`, { cause: err });
  }
}

export function migrationHash(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Applies pending migrations, each in its own transaction, recording name and hash. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    sha256: string;
  }[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new DriftlineError(
        'db_incompatible',
        `The database was written by a newer Driftline (schema version ${row.version} "${row.name}"). Update Driftline or use another data folder.`,
      );
    }
    if (migrationHash(m.sql) !== row.sha256) {
      throw new DriftlineError(
        'db_incompatible',
        `Migration ${row.version} "${row.name}" applied to this database differs from this build's copy. Refusing to use it.`,
      );
    }
  }
  const done = new Set(applied.map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m.sql), new Date().toISOString());
    })();
  }
}
