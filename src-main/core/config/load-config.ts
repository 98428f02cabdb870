import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { DriftlineError } from '../errors';
import { configSchema, type DriftlineConfig } from './schema';

export interface LoadedConfig {
  config: DriftlineConfig;
  /** Absolute path of the file, and the folder relative paths in it are resolved against. */
  file: string;
  baseDir: string;
}

/** `apps[0].auth.token` style path for an issue. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

export function formatConfigIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${issuePath(i.path)}: ${i.message}`).join('\n');
}

/** Validates parsed JSON as a config, or throws `config_invalid` listing each bad field by path. */
export function parseConfig(value: unknown, source: string): DriftlineConfig {
  const result = configSchema.safeParse(value);
  if (!result.success) {
    throw new DriftlineError('config_invalid', `The configuration in ${source} is invalid:\n${formatConfigIssues(result.error)}`);
  }
  return result.data;
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DriftlineError(
      code === 'ENOENT' ? 'config_not_found' : 'file_unreadable',
      code === 'ENOENT'
        ? `No configuration file at ${abs}. Create one (see README) or pass --config FILE.`
        : `Cannot read the configuration file ${abs}: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DriftlineError('config_invalid', `The configuration file ${abs} is not valid JSON: ${(err as Error).message}`);
  }
  return { config: parseConfig(json, abs), file: abs, baseDir: dirname(abs) };
}

/** Resolves a path from the config against the config file's folder. */
export function resolveConfigPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
