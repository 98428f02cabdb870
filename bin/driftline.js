#!/usr/bin/env node
// The `driftline` command: runs the built CLI (npm install builds it; `npm run build` rebuilds it),
// in a Node started with Driftline's V8 flags (bin/node-runtime.js): this process relaunches itself
// with them unless it already has them.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { NODE_FLAGS, hasNodeFlags, runChild, stopWithLauncher } = require('./node-runtime');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('driftline: the CLI is not built yet. Run `npm run build` in the Driftline folder.');
  process.exit(2);
}
if (hasNodeFlags()) {
  stopWithLauncher();
  require(cli);
} else {
  runChild(process.execPath, [...NODE_FLAGS, ...process.execArgv, __filename, ...process.argv.slice(2)], { ipc: true });
}
