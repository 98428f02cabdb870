import { Worker } from 'node:worker_threads';
import { ActivityTable } from '../analysis/activity-table';
import { DriftlineError } from '../errors';
import { builtWorkerFile } from '../util/built-worker';
import { createCallChannel, type CallChannel } from '../util/call-channel';
import type { CandidatePairs } from '../analysis/correlate';
import { activeByRes, parseRuleJoin, ruleCandidates, type RuleJoin, type RuleKeys } from './analysis.repo';
import { groupPlan, type GroupPlan, type GroupPlanInput } from './group-plan.repo';
import { missingMemberships, staleMemberships, type MembershipDiffInput, type MembershipPairs } from './membership-diff.repo';
import type { SnapshotRef } from './snapshot-sql';
import type { Db, OpenOptions } from './database';

export interface SnapshotActivity {
  app: ActivityTable;
  idp: ActivityTable;
}

/**
 * The parts of an analysis that only read snapshots and need nothing from the rest: analysis
 * starts them early and collects them when it needs them.
 */
export interface AnalysisThread {
  /** Settles once the thread is up: its modules loaded and its database open. */
  ready(): Promise<void>;
  /** Correlation rules' candidate pairs (ruleJoin); the analysis has run ensureRuleIndexes for them. */
  ruleCandidates(app: SnapshotRef, idp: SnapshotRef, rules: readonly RuleKeys[]): Promise<CandidatePairs[]>;
  activity(app: SnapshotRef, idp: SnapshotRef): Promise<SnapshotActivity>;
  groupPlan(input: GroupPlanInput): Promise<GroupPlan>;
  /**
   * Calls are answered in the order they were made: stale first, if asked first. Each answer comes
   * in parts (ranges of the mapped groups) as they are worked out.
   */
  staleMemberships(input: MembershipDiffInput): AsyncIterable<MembershipPairs>;
  missingMemberships(input: MembershipDiffInput): AsyncIterable<MembershipPairs>;
  close(): Promise<void>;
}

/** Worked out now, like a call to the helper thread; read as the helper thread's parts are. */
function partsOf<T>(work: (onPart: (part: T) => void) => void): AsyncIterable<T> {
  const parts: T[] = [];
  work((part) => parts.push(part));
  return (async function* () {
    yield* parts;
  })();
}

/** In this thread, on the analysis connection (runs from sources). */
export function inlineAnalysisThread(db: Db): AnalysisThread {
  return {
    ready: () => Promise.resolve(),
    ruleCandidates: (app, idp, rules) => Promise.resolve(ruleCandidates(db, app, idp, rules)),
    activity: (app, idp) => Promise.resolve({ app: activeByRes(db, app), idp: activeByRes(db, idp) }),
    groupPlan: (input) => Promise.resolve(groupPlan(db, input)),
    staleMemberships: (input) => partsOf((onPart) => staleMemberships(db, input, onPart)),
    missingMemberships: (input) => partsOf((onPart) => missingMemberships(db, input, onPart)),
    close: () => Promise.resolve(),
  };
}

/** What the helper thread answers (analysis-worker.ts). */
export type AnalysisMethod = 'ready' | 'ruleCandidates' | 'activity' | 'groupPlan' | 'staleMemberships' | 'missingMemberships';

/** An ActivityTable as it crosses threads: its buffer moves instead of being copied. */
export interface PackedActivity {
  base: number;
  codes: Uint8Array;
}

const unpack = (packed: PackedActivity): ActivityTable => new ActivityTable(packed.base, packed.codes);

/**
 * In a thread of its own, on its own read connection: on a large tenant these are seconds of SQL
 * that run on the second core while the analysis thread correlates and compares accounts. The
 * thread starts with the store and is kept for later analyses: its start (modules, opening the
 * database: 0.1-0.2 s) is on an analysis's critical path, while a store is opened well before the
 * analyses that follow its syncs. One that stopped is started again by the next call.
 */
export function threadedAnalysisThread(workerFile: string, file: string, options: Pick<OpenOptions, 'nativeBinding'>): AnalysisThread {
  let current: { worker: Worker; channel: CallChannel<AnalysisMethod> } | null = null;
  const start = (): CallChannel<AnalysisMethod> => {
    const worker = new Worker(workerFile, { workerData: { file, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) } });
    const channel = createCallChannel<AnalysisMethod>(worker);
    const fail = (reason: DriftlineError): void => {
      channel.fail(reason);
      if (current?.channel === channel) current = null;
    };
    worker.on('error', (err) => fail(new DriftlineError('internal', `The analysis helper thread stopped: ${err.message}`)));
    worker.on('exit', (code) => fail(new DriftlineError('internal', `The analysis helper thread exited (code ${code}).`)));
    current = { worker, channel };
    return channel;
  };
  const channel = (): CallChannel<AnalysisMethod> => current?.channel ?? start();
  const call = <T>(method: AnalysisMethod, ...args: unknown[]): Promise<T> => channel().call<T>(method, ...args);
  start();
  return {
    async ready() {
      await call('ready');
    },
    async ruleCandidates(app, idp, rules) {
      return (await call<RuleJoin[]>('ruleCandidates', app, idp, rules)).map(parseRuleJoin);
    },
    async activity(app, idp) {
      const packed = await call<{ app: PackedActivity; idp: PackedActivity }>('activity', app, idp);
      return { app: unpack(packed.app), idp: unpack(packed.idp) };
    },
    groupPlan: (input) => call<GroupPlan>('groupPlan', input),
    staleMemberships: (input) => channel().stream<MembershipPairs>('staleMemberships', input),
    missingMemberships: (input) => channel().stream<MembershipPairs>('missingMemberships', input),
    async close() {
      const worker = current?.worker;
      current = null;
      if (worker) await worker.terminate();
    },
  };
}

/** The threaded helper when running from the build, else the inline one. */
export function defaultAnalysisThread(db: Db, options: Pick<OpenOptions, 'nativeBinding'>): AnalysisThread {
  const workerFile = builtWorkerFile('analysis-worker');
  return workerFile ? threadedAnalysisThread(workerFile, db.name, options) : inlineAnalysisThread(db);
}
