import type { ActionDto, ActionKind, BatchProgressDto, BulkPlanDto } from '../../../src-main/contract/actions';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

/** The one action the preview dialog shows: planned (to review and apply) or finished (its outcome). */
export interface ActionPreview {
  action: ActionDto;
}

/** A bulk fix: its plan under review, then (once applied) its batch. */
export interface BulkFix {
  plan: BulkPlanDto;
  /** Set once applyBatch answered; progress for it lives in `batchProgress`. */
  batchId: number | null;
  /** The plan's actions, replaced by their journal states as the batch runs. */
  items: ActionDto[];
}

/** The actions of the finding whose detail is open. */
export interface ActionHistory {
  findingKey: string;
  status: LoadStatus;
  items: ActionDto[];
  error: ErrorInfo | null;
}

export interface ActionsSlice {
  preview: ActionPreview | null;
  bulk: BulkFix | null;
  /** Latest progress per batch, kept by batch id: events can arrive before applyBatch answers. */
  batchProgress: Record<number, BatchProgressDto>;
  actionHistory: ActionHistory | null;
  /** Plans the write that fixes a finding and opens its preview. Rejects with an ApiError (unfixable, etc.). */
  planFix(findingKey: string, options?: { kind?: ActionKind; targetId?: string }): Promise<void>;
  /** Re-reads the target (GETs only). Rejects with an ApiError. */
  dryRunPreview(): Promise<{ outcome: string }>;
  /** Applies the previewed plan; the dialog then shows its outcome. Rejects with an ApiError. */
  applyPreview(confirmName?: string): Promise<ActionDto>;
  /** Opens the preview of an action already journaled (a plan left unapplied, or to read an outcome). */
  reviewAction(action: ActionDto): void;
  /** Plans the revert of a confirmed action and previews it like any plan. Rejects with an ApiError. */
  undoAction(actionId: number): Promise<void>;
  /** Closes the preview; an unapplied plan stays journaled as planned, which sends nothing. */
  closePreview(): void;
  loadActionHistory(findingKey: string): Promise<void>;
  /** Plans fixes for the given findings and opens the bulk preview. Rejects with an ApiError. */
  planBulkFix(findingKeys: string[]): Promise<void>;
  /** Starts the reviewed batch in the background. Rejects with an ApiError (confirmation_required, …). */
  applyBulk(confirmName?: string): Promise<void>;
  cancelBulk(): Promise<void>;
  /** Plans the failed items of the batch again and shows that plan for review. Rejects with an ApiError. */
  retryFailedBulk(): Promise<void>;
  closeBulk(): void;
  /** Reads the batch's items again (after the event stream was broken, events may be missing). */
  reloadBulk(): Promise<void>;
  /** `actions.changed`: journal states moved. */
  applyActionsChanged(): void;
  /** `actions.progress`: a batch moved on. */
  applyBatchProgress(progress: BatchProgressDto): void;
}

/** The newer of two reports on one batch: the final one (running: false) always wins. */
function newer(old: BatchProgressDto | undefined, next: BatchProgressDto): BatchProgressDto {
  if (!old) return next;
  if (!old.running) return old;
  return !next.running || next.done >= old.done ? next : old;
}

export function createActionsSlice(deps: StoreDeps): SliceCreator<ActionsSlice> {
  return (set, get) => {
    const refreshHistory = singleFlight(async () => {
      const key = get().actionHistory?.findingKey;
      if (key) await get().loadActionHistory(key);
    });

    const refreshBulkItems = singleFlight(async () => {
      const batchId = get().bulk?.batchId;
      if (batchId == null) return;
      try {
        const items = await deps.api.call('actions.list', { batchId, limit: 10_000 });
        const bulk = get().bulk;
        // The journal lists newest first; the dialog keeps the plan's order.
        if (bulk?.batchId === batchId) set({ bulk: { ...bulk, items: items.sort((a, b) => a.id - b.id) } });
      } catch (err) {
        deps.reportError('Could not read the outcome of the bulk fix', toErrorInfo(err));
      }
    });

    /** After a write, what it changed: the finding's detail and history now, lists through events. */
    const afterWrite = async (findingKey: string | null): Promise<void> => {
      const s = get();
      await Promise.all([
        s.detail?.key === findingKey ? s.reloadDetail() : Promise.resolve(),
        findingKey && s.actionHistory?.findingKey === findingKey ? s.loadActionHistory(findingKey) : Promise.resolve(),
      ]);
    };

    return {
      preview: null,
      bulk: null,
      batchProgress: {},
      actionHistory: null,

      planFix: async (findingKey, options = {}) => {
        const action = await deps.api.call('actions.plan', { findingKey, ...options });
        set({ preview: { action } });
        // The plan is journaled: the history lists it as planned until it is applied.
        if (get().actionHistory?.findingKey === findingKey) void refreshHistory();
      },

      dryRunPreview: async () => {
        const action = get().preview?.action;
        if (!action) throw new Error('No action to check.');
        return deps.api.call('actions.dryRun', { actionId: action.id });
      },

      applyPreview: async (confirmName) => {
        const action = get().preview?.action;
        if (!action) throw new Error('No action to apply.');
        const done = await deps.api.call('actions.apply', { actionId: action.id, ...(confirmName ? { confirmName } : {}) });
        if (get().preview?.action.id === action.id) set({ preview: { action: done } });
        await afterWrite(done.findingKey);
        return done;
      },

      reviewAction: (action) => set({ preview: { action } }),

      undoAction: async (actionId) => {
        const action = await deps.api.call('actions.undo', { actionId });
        set({ preview: { action } });
        if (get().actionHistory?.findingKey === action.findingKey) void refreshHistory();
      },

      closePreview: () => set({ preview: null }),

      loadActionHistory: async (findingKey) => {
        const current = get().actionHistory;
        if (current?.findingKey !== findingKey) set({ actionHistory: { findingKey, status: 'loading', items: [], error: null } });
        try {
          const items = await deps.api.call('actions.list', { findingKey, limit: 200 });
          if (get().actionHistory?.findingKey === findingKey) set({ actionHistory: { findingKey, status: 'ready', items, error: null } });
        } catch (err) {
          if (get().actionHistory?.findingKey === findingKey) {
            set({ actionHistory: { findingKey, status: 'error', items: current?.findingKey === findingKey ? current.items : [], error: toErrorInfo(err) } });
          }
        }
      },

      planBulkFix: async (findingKeys) => {
        const plan = await deps.api.call('actions.planBulk', { findingKeys });
        set({ bulk: { plan, batchId: null, items: plan.actions } });
      },

      applyBulk: async (confirmName) => {
        const bulk = get().bulk;
        if (!bulk || bulk.batchId !== null || bulk.plan.actions.length === 0) return;
        const { batchId } = await deps.api.call('actions.applyBatch', {
          actionIds: bulk.plan.actions.map((a) => a.id),
          ...(confirmName ? { confirmName } : {}),
        });
        const current = get().bulk;
        if (current?.plan === bulk.plan) set({ bulk: { ...current, batchId } });
        // The batch may have finished before this answer arrived, its events already handled.
        await refreshBulkItems();
      },

      cancelBulk: async () => {
        const batchId = get().bulk?.batchId;
        if (batchId == null) return;
        await deps.api.call('actions.cancelBatch', { batchId });
      },

      retryFailedBulk: async () => {
        const batchId = get().bulk?.batchId;
        if (batchId == null) return;
        const plan = await deps.api.call('actions.retryFailed', { batchId });
        set({ bulk: { plan, batchId: null, items: plan.actions } });
      },

      closeBulk: () => set({ bulk: null }),

      reloadBulk: refreshBulkItems,

      applyActionsChanged: () => {
        const s = get();
        // A fix moves findings to `fixed` and changes the open counts; the core sends no findings event for it.
        void s.loadDashboard();
        s.findingsChanged();
        if (s.actionHistory) void refreshHistory();
        if (s.bulk?.batchId != null) void refreshBulkItems();
        if (s.view === 'audit') void s.loadAudit();
      },

      applyBatchProgress: (progress) => {
        const old = get().batchProgress[progress.batchId];
        set({ batchProgress: { ...get().batchProgress, [progress.batchId]: newer(old, progress) } });
        // Items the core cancels at the end of a batch get no actions.changed event: read them once it ends.
        if (!progress.running && get().bulk?.batchId === progress.batchId) void refreshBulkItems();
      },
    };
  };
}
