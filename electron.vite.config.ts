import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Three bundles: the Node side (the CLI, which also carries the demo tenant, and the Electron main
// entry), the Electron preload, and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          cli: resolve(__dirname, 'src-main/hosts/cli/main.ts'),
          // Loaded with new Worker(): sync writes run in their own thread, and each connection's
          // poll (HTTP, JSON.parse, normalization) in another.
          'snapshot-worker': resolve(__dirname, 'src-main/core/store/snapshot-worker.ts'),
          'sync-worker': resolve(__dirname, 'src-main/core/sync/sync-worker.ts'),
          // Analysis reads part of the snapshots in a thread of its own, on the second core.
          'analysis-worker': resolve(__dirname, 'src-main/core/store/analysis-worker.ts'),
          bench: resolve(__dirname, 'test/bench/bench.ts'),
          // package.json "main": out/main/index.js
          index: resolve(__dirname, 'src-main/hosts/electron/main.ts'),
        },
      },
    },
  },
  // A sandboxed preload cannot be an ES module and can require only `electron`: one CommonJS
  // file with everything else bundled in.
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  // The UI, served from out/renderer by the browser-mode server and the Electron window alike.
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite 6 (on Vite 8) reads the entry from rolldownOptions, not rollupOptions.
      rolldownOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
