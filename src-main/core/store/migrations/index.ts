import initial from './0001-initial';
import remediation from './0002-remediation';
import compactSnapshots from './0003-compact-snapshots';
import runResourceFloor from './0004-run-resource-floor';
import activityIndex from './0005-activity-index';
import emailIndexOnDemand from './0006-email-index-on-demand';

/** A numbered schema migration. Applied migrations are immutable: their hash is checked at open. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Plain modules rather than .sql files so the bundled app, the CLI and test child processes all
// carry the same text without copying assets.
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'remediation', sql: remediation },
  { version: 3, name: 'compact-snapshots', sql: compactSnapshots },
  { version: 4, name: 'run-resource-floor', sql: runResourceFloor },
  { version: 5, name: 'activity-index', sql: activityIndex },
  { version: 6, name: 'email-index-on-demand', sql: emailIndexOnDemand },
];
