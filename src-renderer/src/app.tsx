import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import type { ApiClient } from './api/client';
import { AppLayout } from './features/shell/app-layout';
import { connectEvents } from './store/events';
import type { AppStore } from './store/store';
import { StoreProvider } from './store/store-context';
import { theme } from './theme';

/**
 * The CSP allows <style> elements only with this response's nonce, which the host writes into a
 * meta tag of index.html; Mantine puts it on the <style> elements it injects.
 */
const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="driftline-style-nonce"]')?.content ?? '';

export function App({ store, api }: { store: AppStore; api: ApiClient }) {
  useEffect(() => {
    const disconnect = connectEvents(store, api);
    void store.getState().refreshAll();
    return disconnect;
  }, [store, api]);

  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={() => styleNonce}>
      <Notifications position="top-right" limit={4} />
      <StoreProvider store={store}>
        <AppLayout />
      </StoreProvider>
    </MantineProvider>
  );
}
