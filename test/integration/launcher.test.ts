import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startChild, type RunningChild } from '../helpers/child-process';
import { useTempDir } from '../helpers/temp-dir';

// bin/driftline.js relaunches itself in a Node with Driftline's V8 flags (bin/node-runtime.js). The
// process doing the work is then a child of the one a user or a script started: it must carry the
// flags, and stop however its launcher is stopped. Linux /proc shows the process tree.

const BIN = join(__dirname, '..', '..', 'bin', 'driftline.js');
const tempDir = useTempDir();

function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `driftline serve` through the launcher, once it has printed its URL; with the worker's pid. */
async function startServe(dataDir: string): Promise<{ launcher: RunningChild; worker: number }> {
  const launcher = startChild(process.execPath, [BIN, 'serve', '--data', dataDir]);
  await launcher.waitForStdout((out) => /^http:\/\/127\.0\.0\.1:\d+\//m.exec(out)?.[0], 20_000);
  const pid = launcher.process.pid;
  if (pid === undefined) throw new Error('the launcher has no pid');
  const children = childPids(pid);
  expect(children).toHaveLength(1);
  return { launcher, worker: children[0] as number };
}

describe('bin/driftline.js (the launcher)', () => {
  it('runs the command in a Node started with --no-memory-reducer, and a Ctrl+C to it stops both cleanly', { timeout: 30_000 }, async () => {
    const dataDir = join(tempDir(), 'data');
    const { launcher, worker } = await startServe(dataDir);
    try {
      const args = commandLine(worker);
      // Node's own options come before the script; after it, the user's arguments unchanged.
      expect(args.slice(1, args.indexOf(BIN))).toContain('--no-memory-reducer');
      expect(args.slice(args.indexOf(BIN) + 1)).toEqual(['serve', '--data', dataDir]);
      expect(childPids(worker)).toEqual([]);

      expect(await launcher.stop(10_000)).toEqual({ code: 0, signal: null });
      await vi.waitFor(() => expect(alive(worker)).toBe(false), { timeout: 5000, interval: 50 });
    } finally {
      await launcher.stop();
    }
  });

  it('stops its command when it is killed outright (SIGKILL), instead of leaving it running', { timeout: 30_000 }, async () => {
    const { launcher, worker } = await startServe(join(tempDir(), 'data'));
    try {
      launcher.process.kill('SIGKILL');
      expect(await launcher.closed).toEqual({ code: null, signal: 'SIGKILL' });
      await vi.waitFor(() => expect(alive(worker)).toBe(false), { timeout: 10_000, interval: 50 });
    } finally {
      await launcher.stop();
      if (alive(worker)) process.kill(worker, 'SIGKILL');
    }
  });
});
