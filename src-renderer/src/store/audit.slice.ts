import type { AuditEntryDto, AuditVerificationDto } from '../../../src-main/contract/actions';
import type { SaveFileResult } from '../../../src-main/contract/bridge';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import { toErrorInfo } from '../api/client';
import { singleFlight } from './single-flight';
import type { LoadStatus, SliceCreator, StoreDeps } from './types';

/** Entries per audit.list call while catching up. */
const PAGE = 5_000;

export interface AuditSlice {
  /** The log in sequence order (oldest first), as far as it has been read. */
  auditEntries: AuditEntryDto[];
  auditStatus: LoadStatus;
  auditError: ErrorInfo | null;
  /** The last "Verify chain" result (it says how many entries it checked). */
  auditVerification: AuditVerificationDto | null;
  /** Reads the entries appended since the last read (the log is append-only). */
  loadAudit(): Promise<void>;
  /** Recomputes the hash chain in the core, then re-reads the whole log. Rejects with an ApiError. */
  verifyAudit(): Promise<AuditVerificationDto>;
  /** Saves the log with its head hash (a native dialog in the desktop app, a download in the browser). Rejects with an ApiError. */
  exportAudit(): Promise<SaveFileResult>;
}

export function createAuditSlice(deps: StoreDeps): SliceCreator<AuditSlice> {
  return (set, get) => {
    /** Every entry after `afterSeq`, page by page. */
    const readAfter = async (afterSeq: number): Promise<AuditEntryDto[]> => {
      const out: AuditEntryDto[] = [];
      for (let after = afterSeq; ; ) {
        const { entries: page } = await deps.api.call('audit.list', { afterSeq: after, limit: PAGE });
        out.push(...page);
        const last = page.at(-1);
        if (page.length < PAGE || !last) return out;
        after = last.seq;
      }
    };

    return {
      auditEntries: [],
      auditStatus: 'idle',
      auditError: null,
      auditVerification: null,
      loadAudit: singleFlight(async () => {
        if (get().auditStatus !== 'ready') set({ auditStatus: 'loading' });
        const known = get().auditEntries;
        try {
          const fresh = await readAfter(known.at(-1)?.seq ?? 0);
          set({ auditEntries: fresh.length > 0 ? [...known, ...fresh] : known, auditStatus: 'ready', auditError: null });
        } catch (err) {
          set({ auditStatus: 'error', auditError: toErrorInfo(err) });
        }
      }),
      verifyAudit: async () => {
        const result = await deps.api.call('audit.verify');
        set({ auditVerification: result });
        // An edited entry keeps its sequence number: show the log as it is now, not as first read.
        try {
          set({ auditEntries: await readAfter(0), auditStatus: 'ready', auditError: null });
        } catch (err) {
          set({ auditStatus: 'error', auditError: toErrorInfo(err) });
        }
        return result;
      },
      exportAudit: async () => {
        const file = await deps.api.call('audit.export');
        const saved = await deps.api.saveFile(file);
        // The export itself is an audit entry.
        void get().loadAudit();
        return saved;
      },
    };
  };
}
