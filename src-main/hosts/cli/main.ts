import { Command, Option } from 'commander';
import { FINDING_STATUSES, FINDING_TYPES, SEVERITIES } from '../../contract/findings';
import { toErrorInfo } from '../../core/errors';
import { runDemoCommand } from './demo-command';
import { runFindingsCommand, runReportCommand } from './findings-command';
import { runServeCommand } from './serve-command';
import { runSyncCommand } from './sync-command';

const program = new Command()
  .name('driftline')
  .description('Audit identity provisioning: compare an IdP with SCIM 2.0 apps, report drift.')
  .version('0.1.0')
  .showHelpAfterError();

const configOption = (): Option => new Option('-c, --config <file>', 'configuration file').default('driftline.config.json');
const dataOption = (): Option => new Option('-d, --data <dir>', 'data folder holding the database (default: per-user app data, or $DRIFTLINE_DATA)');
const filterOptions = (cmd: Command): Command =>
  cmd
    .addOption(new Option('-t, --type <type...>', 'only these finding types').choices(FINDING_TYPES))
    .addOption(new Option('-a, --app <name>', 'only this app'))
    .addOption(new Option('-s, --status <status...>', 'finding statuses to include').choices([...FINDING_STATUSES, 'all']).default(['open']))
    .addOption(new Option('--severity <severity...>', 'only these severities').choices(SEVERITIES));

program
  .command('sync')
  .description('Poll the IdP and every app, store the snapshots and analyze them.')
  .addOption(configOption())
  .addOption(dataOption())
  .option('--only <name...>', 'poll only these connections')
  .option('-v, --verbose', 'log every request')
  .action(async (opts) => {
    process.exitCode = await runSyncCommand(opts);
  });

filterOptions(
  program
    .command('findings')
    .description('List the findings of the latest complete snapshots.')
    .addOption(configOption())
    .addOption(dataOption())
    .option('--json', 'print a JSON array'),
).action((opts) => {
  process.exitCode = runFindingsCommand(opts);
});

filterOptions(
  program
    .command('report')
    .description('Write the findings with the snapshot metadata they were computed from.')
    .addOption(configOption())
    .addOption(dataOption())
    .addOption(new Option('-f, --format <format>', 'report format').choices(['csv', 'json']).makeOptionMandatory())
    .requiredOption('-o, --out <file>', 'output file'),
).action((opts) => {
  process.exitCode = runReportCommand(opts);
});

program
  .command('demo')
  .description('Serve a demo tenant on loopback (a SCIM app and an Okta-format IdP seeded with every kind of drift).')
  .option('--dir <dir>', 'folder for driftline.config.json', '.')
  .action(async (opts) => {
    process.exitCode = await runDemoCommand(opts);
  });

program
  .command('serve')
  .description('Run the app in browser mode: the UI and API on 127.0.0.1, opened through a one-time link.')
  .addOption(dataOption())
  .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)')
  .option('--open', 'open the link in the default browser')
  .option('-v, --verbose', 'log every request')
  .action(async (opts) => {
    process.exitCode = await runServeCommand(opts);
  });

program.parseAsync().catch((err: unknown) => {
  const info = toErrorInfo(err);
  process.stderr.write(`driftline: ${info.message} [${info.code}]\n`);
  process.exitCode = 2;
});
