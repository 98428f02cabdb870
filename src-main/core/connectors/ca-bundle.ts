import { readFile } from 'node:fs/promises';
import { DriftlineError } from '../errors';

export type ReadTextFile = (path: string) => Promise<string>;

const readUtf8: ReadTextFile = (path) => readFile(path, 'utf8');

/** Reads a connection's extra CA bundle (PEM) or fails with a message naming the file and the connection. */
export async function readCaBundle(connectionName: string, path: string, read: ReadTextFile = readUtf8): Promise<string> {
  try {
    return await read(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DriftlineError('file_unreadable', `Cannot read the CA file ${path} configured for "${connectionName}": ${reason}`);
  }
}
