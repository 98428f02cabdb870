import { spawn } from 'node:child_process';
import { createCore } from '../../core/core';
import { defaultDataDir } from '../../core/data-dir';
import { currentOperator } from '../../core/operator';
import { browserModeVault } from '../server/browser-secrets';
import { startBrowserServer } from '../server/browser-server';
import { rendererDir } from '../shared/renderer-dir';
import { stderrLogger } from '../shared/stderr-logger';

/** Opens the URL in the desktop's browser; failure only means the user opens it by hand. */
function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write('Could not open a browser; open the URL above yourself.\n'));
  child.unref();
}

/** `driftline serve`: the app in browser mode, until interrupted. */
export async function runServeCommand(opts: { data?: string; port?: string; open?: boolean; verbose?: boolean }): Promise<number> {
  const dataDir = opts.data ?? defaultDataDir();
  const logger = stderrLogger(opts.verbose ? 'debug' : 'warn');
  const core = createCore({ dataDir, secrets: browserModeVault(dataDir), logger, operator: currentOperator() });
  const server = await startBrowserServer({
    core,
    rendererDir: rendererDir(),
    ...(opts.port ? { port: Number(opts.port) } : {}),
    logger,
  });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`Driftline is running in browser mode (data: ${dataDir}). Open the URL above; press Ctrl+C to stop.\n`);
  if (opts.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await core.stop();
  return 0;
}
