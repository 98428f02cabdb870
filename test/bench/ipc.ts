// Messages between the bench (parent) and its two kinds of child: the SCIM server, in its own process so
// the parent's peak RSS and event loop measure Driftline alone, not the ~700 MB fake tenant; and the
// analysis, in its own process so a deadline can stop it (a synchronous SQLite query cannot be interrupted).
import type { ChildProcess } from 'node:child_process';
import type { ScimAppConfig } from '../../src-main/core/config/schema';
import type { ChurnSummary } from './churn';
import type { IdpExportSummary } from './idp-export';
import type { AnalysisFigures } from './results';
import type { TenantSize } from './tenant';

/** One request the server answered, as `METHOD /path?query`. */
export interface LoggedRequest {
  target: string;
  status: number;
}

export interface ServerReady {
  type: 'ready';
  url: string;
  csvPath: string;
  size: TenantSize;
  idp: IdpExportSummary;
  generateMs: number;
  exportMs: number;
  seedMs: number;
  rssMiB: number;
}

/** What the analysis child is asked to do: one analyzeApp on the bench's database. */
export interface AnalyzeRequest {
  type: 'analyze';
  dbFile: string;
  app: { connectionId: number; name: string; config: ScimAppConfig };
  idp: { connectionId: number; name: string };
  /** Run ANALYZE first (a what-if: the product does not gather planner statistics). */
  sqliteStats: boolean;
}

export type ChildMessage =
  | ServerReady
  | { type: 'requests'; requests: LoggedRequest[] }
  | { type: 'cleared' }
  | { type: 'churned'; churn: ChurnSummary }
  | { type: 'analyzed'; figures: AnalysisFigures }
  | { type: 'failed'; message: string };

export type ParentMessage = { type: 'clear-requests' } | { type: 'requests' } | { type: 'churn'; rate: number } | { type: 'stop' } | AnalyzeRequest;

const CHILD_TYPES: ReadonlySet<string> = new Set(['ready', 'requests', 'cleared', 'churned', 'analyzed', 'failed']);
const PARENT_TYPES: ReadonlySet<string> = new Set(['clear-requests', 'requests', 'churn', 'stop', 'analyze']);

function typeOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || !('type' in message)) return undefined;
  return typeof message.type === 'string' ? message.type : undefined;
}

// Both ends are this bench, so checking the tag is enough to trust the rest of the shape.
export function isChildMessage(message: unknown): message is ChildMessage {
  return CHILD_TYPES.has(typeOf(message) ?? '');
}

export function isParentMessage(message: unknown): message is ParentMessage {
  return PARENT_TYPES.has(typeOf(message) ?? '');
}

/** Sends `message` (if any) and resolves with the child's next message of type `expect`. */
export function expectFrom<T extends ChildMessage['type']>(
  child: ChildProcess,
  expect: T,
  message?: ParentMessage,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: unknown): void => {
      if (!isChildMessage(m)) return;
      if (m.type === 'failed') {
        cleanup();
        reject(new Error(`SCIM server child: ${m.message}`));
      } else if (m.type === expect) {
        cleanup();
        // TypeScript does not narrow a union by comparing its tag with a generic parameter.
        resolve(m as Extract<ChildMessage, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`SCIM server child exited (${signal ?? `code ${String(code)}`}) while the bench waited for "${expect}"`));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (message) child.send(message);
  });
}
