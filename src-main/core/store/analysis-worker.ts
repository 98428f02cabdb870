import { parentPort, workerData } from 'node:worker_threads';
import { activeByRes } from './analysis.repo';
import { membershipDiff } from './membership-diff.repo';
import { packActivity, type AnalysisJob } from './analysis-thread';
import { openReadConnection } from './database';

// The thread side of threadedAnalysisThread, on a read connection of its own (temporary tables are
// per connection, so it never touches the analysis connection's).

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
const db = openReadConnection(file, nativeBinding ? { nativeBinding } : {});

function run(job: AnalysisJob): { value: unknown; transfer: ArrayBuffer[] } {
  switch (job.kind) {
    case 'activity': {
      const app = packActivity(activeByRes(db, job.app));
      const idp = packActivity(activeByRes(db, job.idp));
      return { value: { app, idp }, transfer: [app.res.buffer, app.active.buffer, idp.res.buffer, idp.active.buffer] as ArrayBuffer[] };
    }
    case 'membershipDiff':
      return { value: membershipDiff(db, job.app, job.idp, job.pairs, job.groupPairs), transfer: [] };
  }
}

parentPort?.on('message', ({ id, job }: { id: number; job: AnalysisJob }) => {
  try {
    const { value, transfer } = run(job);
    parentPort?.postMessage({ id, ok: true, value }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
