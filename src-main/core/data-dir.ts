import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Driftline keeps its database when no --data folder is given: DRIFTLINE_DATA, else the
 * platform's per-user application data folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DRIFTLINE_DATA) return env.DRIFTLINE_DATA;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Driftline');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Driftline');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'driftline');
}
