import { join } from 'node:path';
import { runToEnd, startChild } from '../../helpers/child-process';

// Driftline started exactly as a user starts browser mode: the built `driftline` command, its own
// data folder, and the one-time link it prints.

const repo = join(__dirname, '..', '..', '..');
const bin = join(repo, 'bin', 'driftline.js');

export interface DriftlineServer {
  /** The printed `http://127.0.0.1:…/?token=…` link (it works once). */
  url: string;
  dataDir: string;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startDriftlineServer(dataDir: string): Promise<DriftlineServer> {
  const child = startChild(process.execPath, [bin, 'serve', '--data', dataDir], { cwd: repo, env: process.env });
  let url: string;
  try {
    url = await child.waitForStdout((out) => /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out)?.[1], 20_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return {
    url,
    dataDir,
    stderr: child.stderr,
    stop: async () => {
      await child.stop(5_000);
    },
  };
}

/** Runs the `driftline` command line (e.g. against the data folder the server is using) and returns its stdout. */
export async function runDriftline(args: readonly string[]): Promise<string> {
  const result = await runToEnd(process.execPath, [bin, ...args], { cwd: repo, timeoutMs: 20_000 });
  if (result.code !== 0) throw new Error(`driftline ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}
