import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DriftlineError } from '../../core/errors';
import { openDatabase, type Db } from '../../core/store/database';
import { DATABASE_FILE } from '../../core/workspace';

/** Opens the database of a data folder that must exist already (read commands never create one). */
export function openExistingData(dataDir: string, hint = ''): Db {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new DriftlineError('file_unreadable', `No Driftline data at ${file}.${hint ? ` ${hint}` : ''}`);
  return openDatabase(file);
}
