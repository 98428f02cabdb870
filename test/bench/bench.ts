// `npm run bench` (= build, then `node --expose-gc --no-memory-reducer out/main/bench.js`: the V8
// flag as Driftline's launchers set it): the scale benchmark of 100k users / 10k groups / 500k
// memberships. A measurement, not a test: it always exits 0 once it has
// measured, and prints FAIL next to each missed target. `bench.js --serve …` is the SCIM server child.
//
// Options: --scale F (shrink the tenant, e.g. 0.1 while working on the bench), --keep (keep the temp
// folder with the database and HR export), --out FILE (default bench-data/results.json),
// --analysis-timeout S (default 30, ten times the target: the analysis process is killed after S seconds),
// --sqlite-stats (what-if: run ANALYZE before each analysis; the product gathers no planner statistics).
// Child modes: `--serve` (the SCIM server) and `--analyze` (one analysis), started by the bench itself.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_ENV } from './config';
import { FULL_SIZE, scaledSize } from './tenant';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean', default: false },
      dir: { type: 'string' },
      scale: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      out: { type: 'string' },
      analyze: { type: 'boolean', default: false },
      'analysis-timeout': { type: 'string', default: '30' },
      'sqlite-stats': { type: 'boolean', default: false },
    },
  });
  if (values.analyze) {
    const { runAnalysisChild } = await import('./analysis-child');
    runAnalysisChild();
    return;
  }
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], not ${values.scale}`);
  const size = scale === 1 ? FULL_SIZE : scaledSize(scale);

  if (values.serve) {
    // Loaded only here: the parent never pays for scimmy and the demo server.
    const { runScimServerChild } = await import('./scim-server-child');
    const token = process.env[TOKEN_ENV];
    if (!token || !values.dir) throw new Error(`--serve needs --dir and ${TOKEN_ENV}`);
    await runScimServerChild({ size, dir: values.dir, token });
    return;
  }

  const { runBench, writeResults } = await import('./run-bench');
  const { checks, formatReport } = await import('./report');
  // Quick runs and what-ifs get their own file, so they never overwrite the figures the README quotes.
  const variant = [scale === 1 ? '' : `-scale-${scale}`, values['sqlite-stats'] ? '-sqlite-stats' : ''].join('');
  const out = resolve(values.out ?? `bench-data/results${variant}.json`);
  const analysisTimeoutMs = Number(values['analysis-timeout']) * 1000;
  if (!(analysisTimeoutMs > 0)) throw new Error(`--analysis-timeout must be a number of seconds, not ${values['analysis-timeout']}`);
  const results = await runBench({ size, scale, keep: values.keep, churnRate: 0.02, analysisTimeoutMs, sqliteStats: values['sqlite-stats'] });
  results.checks = checks(results);
  console.log(formatReport(results));
  writeResults(out, results);
  console.log(`\nResults written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
