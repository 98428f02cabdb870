// Command modules load on demand: `driftline --version` should not pay for the whole engine.
import { Command, Option } from 'commander';
import { FINDING_STATUSES, FINDING_TYPES, SEVERITIES } from '../../contract/findings';
import { toErrorInfo } from '../../core/errors';
import { ACTION_KINDS } from '../../contract/actions';

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
    process.exitCode = await (await import('./sync-command')).runSyncCommand(opts);
  });

filterOptions(
  program
    .command('findings')
    .description('List the findings of the latest complete snapshots.')
    .addOption(configOption())
    .addOption(dataOption())
    .option('--json', 'print a JSON array'),
).action(async (opts) => {
  process.exitCode = (await import('./findings-command')).runFindingsCommand(opts);
});

filterOptions(
  program
    .command('report')
    .description('Write the findings with the snapshot metadata they were computed from.')
    .addOption(configOption())
    .addOption(dataOption())
    .addOption(new Option('-f, --format <format>', 'report format').choices(['csv', 'json']).makeOptionMandatory())
    .requiredOption('-o, --out <file>', 'output file'),
).action(async (opts) => {
  process.exitCode = (await import('./findings-command')).runReportCommand(opts);
});

program
  .command('demo')
  .description('Serve a demo tenant on loopback (a SCIM app and an Okta-format IdP seeded with every kind of drift).')
  .option('--dir <dir>', 'folder for driftline.config.json', '.')
  .action(async (opts) => {
    process.exitCode = await (await import('./demo-command')).runDemoCommand(opts);
  });

program
  .command('fix')
  .description('Fix findings with SCIM writes: preview the exact request, re-read, write, verify, audit.')
  .addOption(configOption())
  .addOption(dataOption())
  .option('--finding <key>', 'the finding to fix')
  .addOption(new Option('--type <type>', 'fix every open finding of this type (with --app)').choices(FINDING_TYPES))
  .option('--app <name>', 'the app, with --type')
  .addOption(new Option('--action <kind>', 'a different fix than the default (e.g. delete_account)').choices(ACTION_KINDS))
  .option('--target <id>', 'for duplicate accounts: which account')
  .option('--dry-run', 'check everything, send only GET requests')
  .option('-y, --yes', 'apply without asking')
  .option('--confirm <app name>', "the app's name, where a bulk fix or a delete requires typing it")
  .option('-v, --verbose', 'log every request')
  .action(async (opts) => {
    process.exitCode = await (await import('./fix-command')).runFixCommand(opts);
  });

const audit = program.command('audit').description('The tamper-evident audit log.');
audit
  .command('verify')
  .description('Recompute the hash chain; exit 0 only when it is intact.')
  .addOption(dataOption())
  .action(async (opts) => {
    process.exitCode = (await import('./audit-command')).runAuditVerify(opts);
  });
audit
  .command('export')
  .description('Write the log with its head hash.')
  .addOption(dataOption())
  .requiredOption('-o, --out <file>', 'output file')
  .action(async (opts) => {
    process.exitCode = (await import('./audit-command')).runAuditExport(opts);
  });

program
  .command('serve')
  .description('Run the app in browser mode: the UI and API on 127.0.0.1, opened through a one-time link.')
  .addOption(dataOption())
  .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)')
  .option('--open', 'open the link in the default browser')
  .option('-v, --verbose', 'log every request')
  .action(async (opts) => {
    process.exitCode = await (await import('./serve-command')).runServeCommand(opts);
  });

program.parseAsync().catch((err: unknown) => {
  const info = toErrorInfo(err);
  process.stderr.write(`driftline: ${info.message} [${info.code}]\n`);
  process.exitCode = 2;
});
