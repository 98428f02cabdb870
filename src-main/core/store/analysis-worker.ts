import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../errors';
import type { CallReply, CallRequest } from '../util/call-channel';
import { activeByRes, ruleJoin, type RuleKeys } from './analysis.repo';
import type { AnalysisMethod, PackedActivity } from './analysis-thread';
import { openReadConnection } from './database';
import { groupPlan, type GroupPlanInput } from './group-plan.repo';
import { missingMemberships, staleMemberships, type MembershipDiffInput } from './membership-diff.repo';
import type { SnapshotRef } from './snapshot-sql';

// The thread side of threadedAnalysisThread, on a read connection of its own (temporary tables are
// per connection, so it never touches the analysis connection's).

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
const db = openReadConnection(file, nativeBinding ? { nativeBinding } : {});

/** Answers a call; streamed answers send their parts through `part` and end with a null value. */
function run(req: CallRequest<AnalysisMethod>, part: (value: unknown) => void): { value: unknown; transfer: ArrayBuffer[] } {
  switch (req.method) {
    case 'ready':
      return { value: null, transfer: [] };
    case 'ruleCandidates': {
      const [appRef, idpRef, rules] = req.args as [SnapshotRef, SnapshotRef, RuleKeys[]];
      return { value: rules.map((rule) => ruleJoin(db, appRef, idpRef, rule)), transfer: [] };
    }
    case 'activity': {
      const [appRef, idpRef] = req.args as [SnapshotRef, SnapshotRef];
      const app = activeByRes(db, appRef);
      const idp = activeByRes(db, idpRef);
      // The tables' buffers move to the analysis thread instead of being copied.
      const value: { app: PackedActivity; idp: PackedActivity } = { app, idp };
      return { value, transfer: [app.codes.buffer, idp.codes.buffer] as ArrayBuffer[] };
    }
    case 'groupPlan':
      return { value: groupPlan(db, req.args[0] as GroupPlanInput), transfer: [] };
    case 'staleMemberships':
      staleMemberships(db, req.args[0] as MembershipDiffInput, part);
      return { value: null, transfer: [] };
    case 'missingMemberships':
      missingMemberships(db, req.args[0] as MembershipDiffInput, part);
      return { value: null, transfer: [] };
  }
}

parentPort?.on('message', (req: CallRequest<AnalysisMethod>) => {
  try {
    const { value, transfer } = run(req, (value) => parentPort?.postMessage({ id: req.id, ok: true, value, part: true } satisfies CallReply));
    parentPort?.postMessage({ id: req.id, ok: true, value } satisfies CallReply, transfer);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, ok: false, error: toErrorInfo(err) } satisfies CallReply);
  }
});
