import type { RunDto, SyncFinishedDto, SyncProgressDto } from '../../../src-main/contract/dto';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

/** A sync seen in this session: live while it runs, then its outcome. */
export interface SyncCard {
  connection: string;
  state: 'starting' | 'running' | 'complete' | 'failed' | 'cancelled';
  /** The run's id, once an event named it. */
  runId: number | null;
  /** The latest progress event, kept after the end so the card still shows what happened. */
  progress: SyncProgressDto | null;
  error: ErrorInfo | null;
  elapsedMs: number;
  /** Local clock (ms) at which the run started, for a ticking elapsed time between events. */
  startedAt: number;
  /** Local clock (ms) of the last change: tells a stale `sync.start` answer from fresher events. */
  updatedAt: number;
  cancelRequested: boolean;
}

export interface SyncSlice {
  syncCards: Record<string, SyncCard>;
  runs: RunDto[];
  runsStatus: LoadStatus;
  /** Starts syncing the named connections (default: all); resolves with those that started. Rejects with an ApiError. */
  startSync(names?: string[]): Promise<string[]>;
  cancelSync(name: string): Promise<void>;
  loadSyncStatus(): Promise<void>;
  loadRuns(): Promise<void>;
  applyProgress(progress: SyncProgressDto): void;
  applyFinished(finished: SyncFinishedDto): void;
}

export function isRunning(card: SyncCard | undefined): boolean {
  return card !== undefined && (card.state === 'starting' || card.state === 'running');
}

/** A card whose run has ended. */
export type FinishedSyncCard = SyncCard & { state: 'complete' | 'failed' | 'cancelled' };

export function isFinished(card: SyncCard | undefined): card is FinishedSyncCard {
  return card !== undefined && !isRunning(card);
}

export function createSyncSlice(deps: StoreDeps): SliceCreator<SyncSlice> {
  return (set, get) => ({
    syncCards: {},
    runs: [],
    runsStatus: 'idle',
    startSync: async (names) => {
      const requestedAt = Date.now();
      const { started } = await deps.api.call('sync.start', names ? { names } : undefined);
      const cards = { ...get().syncCards };
      for (const connection of started) {
        // Events can overtake the answer of sync.start; never paint "starting" over them.
        const existing = cards[connection];
        if (existing && existing.updatedAt >= requestedAt) continue;
        cards[connection] = {
          connection,
          state: 'starting',
          runId: null,
          progress: null,
          error: null,
          elapsedMs: 0,
          startedAt: requestedAt,
          updatedAt: requestedAt,
          cancelRequested: false,
        };
      }
      set({ syncCards: cards });
      return started;
    },
    cancelSync: async (name) => {
      const card = get().syncCards[name];
      if (card) set({ syncCards: { ...get().syncCards, [name]: { ...card, cancelRequested: true } } });
      try {
        await deps.api.call('sync.cancel', { name });
      } catch (err) {
        const again = get().syncCards[name];
        if (again) set({ syncCards: { ...get().syncCards, [name]: { ...again, cancelRequested: false } } });
        throw err;
      }
    },
    loadSyncStatus: singleFlight(async () => {
      try {
        const { active } = await deps.api.call('sync.status');
        for (const progress of active) get().applyProgress(progress);
      } catch (err) {
        deps.reportError('Could not read the sync status', toErrorInfo(err));
      }
    }),
    loadRuns: singleFlight(async () => {
      if (get().runsStatus !== 'ready') set({ runsStatus: 'loading' });
      try {
        set({ runs: await deps.api.call('runs.list', { limit: 50 }), runsStatus: 'ready' });
      } catch (err) {
        set({ runsStatus: 'error' });
        deps.reportError('Could not load the sync history', toErrorInfo(err));
      }
    }),
    applyProgress: (progress) => {
      const now = Date.now();
      const existing = get().syncCards[progress.connection];
      set({
        syncCards: {
          ...get().syncCards,
          [progress.connection]: {
            connection: progress.connection,
            state: 'running',
            runId: progress.runId,
            progress,
            error: null,
            elapsedMs: progress.elapsedMs,
            startedAt: now - progress.elapsedMs,
            updatedAt: now,
            cancelRequested: existing !== undefined && isRunning(existing) && existing.cancelRequested,
          },
        },
      });
    },
    applyFinished: (finished) => {
      const now = Date.now();
      const existing = get().syncCards[finished.connection];
      set({
        syncCards: {
          ...get().syncCards,
          [finished.connection]: {
            connection: finished.connection,
            state: finished.state,
            runId: finished.runId,
            progress: existing?.progress ?? null,
            error: finished.error,
            elapsedMs: finished.elapsedMs,
            startedAt: now - finished.elapsedMs,
            updatedAt: now,
            cancelRequested: false,
          },
        },
      });
    },
  });
}
