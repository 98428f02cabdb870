import type { ApiHandlers } from '../../contract/api';
import type { CoreContext } from './context';

type SyncHandlers = Pick<ApiHandlers, 'sync.start' | 'sync.cancel' | 'sync.status'>;

export function syncHandlers(ctx: CoreContext): SyncHandlers {
  return {
    'sync.start': (args) => Promise.resolve({ started: ctx.syncs.start(args?.names) }),
    'sync.cancel': (args) => Promise.resolve({ cancelled: ctx.syncs.cancel(args?.name) }),
    'sync.status': () => Promise.resolve({ active: ctx.syncs.status() }),
  };
}
