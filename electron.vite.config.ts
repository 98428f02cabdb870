import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

// The Node-side bundle: the CLI (which also carries the demo tenant). The Electron main entry,
// the preload and the renderer join here with the desktop app.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          cli: resolve(__dirname, 'src-main/hosts/cli/main.ts'),
        },
      },
    },
  },
});
