import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { pickTransport } from './api/pick-transport';
import { App } from './app';
import { notifyError } from './components/notify';
import { createAppStore } from './store/store';

// The shell is decided here, once: the Electron preload's bridge or the browser-mode server.
const api = createApiClient(pickTransport(window));
const store = createAppStore({ api, reportError: notifyError });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App store={store} api={api} />
  </StrictMode>,
);
