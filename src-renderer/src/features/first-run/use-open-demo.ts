import { useState } from 'react';
import { notifyError } from '../../components/notify';
import { navigate } from '../../router/hash-route';
import { useAppStore } from '../../store/store-context';

/**
 * Opens the demo tenant, then goes straight to the live sync of it: the demo only shows something
 * once synced, and this is the fastest path from nothing to findings.
 */
export function useOpenDemo(): { opening: boolean; openDemo(): Promise<void> } {
  const openDemo = useAppStore((s) => s.openDemo);
  const startSync = useAppStore((s) => s.startSync);
  const [opening, setOpening] = useState(false);
  return {
    opening,
    openDemo: async () => {
      setOpening(true);
      try {
        await openDemo();
        navigate('sync');
        await startSync();
      } catch (err) {
        notifyError('Could not open the demo tenant', err);
      } finally {
        setOpening(false);
      }
    },
  };
}
