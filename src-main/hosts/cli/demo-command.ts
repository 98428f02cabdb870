import { startDemoTenant, writeDemoConfig } from '../../demo/demo-tenant';

/** `driftline demo`: serves the demo tenant until interrupted. */
export async function runDemoCommand(opts: { dir: string }): Promise<number> {
  const demo = await startDemoTenant();
  const file = writeDemoConfig(opts.dir, demo.config);
  const exports = Object.entries(demo.secrets)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(
    [
      'Driftline demo tenant is running on loopback:',
      `  SCIM app "Acme CRM":   ${demo.scim.url}`,
      `  Okta-format IdP:       ${demo.okta.url}`,
      `Config written to ${file}`,
      '',
      'Sync it from another terminal (the tokens are fresh for this run):',
      `  export ${exports}`,
      `  npx driftline sync --config ${file}`,
      '  npx driftline findings',
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.close();
  return 0;
}
