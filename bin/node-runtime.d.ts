// Types of node-runtime.js for the TypeScript that reads them (the bench checks its own flags).
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export const NODE_FLAGS: readonly string[];
export function hasNodeFlags(): boolean;
export function runChild(command: string, args: readonly string[], options?: SpawnOptions & { ipc?: boolean }): ChildProcess;
export function stopWithLauncher(): void;
