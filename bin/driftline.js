#!/usr/bin/env node
// The `driftline` command: runs the built CLI (npm install builds it; `npm run build` rebuilds it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('driftline: the CLI is not built yet. Run `npm run build` in the Driftline folder.');
  process.exit(2);
}
require(cli);
