// `npm run rebuild:electron`: builds better-sqlite3 for Electron's ABI into
// build/electron/better_sqlite3.node (+ a stamp naming the Electron version), which the Electron
// host passes to `new Database(file, { nativeBinding })`.
// The Node build in node_modules is never touched, so `npm test` and the CLI keep working: the
// package's sources are copied to a scratch folder and built there, first by downloading the
// project's prebuilt Electron binary (prebuild-install, from github.com), else by compiling with
// node-gyp against Electron's headers (from electronjs.org; needs python3 and a C++ toolchain).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinding } from './electron-binding.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binding = electronBinding(root);
const sqliteDir = join(root, 'node_modules', 'better-sqlite3');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function electronVersion() {
  const installed = join(root, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return readJson(installed).version;
  return readJson(join(root, 'package.json')).optionalDependencies?.electron ?? null;
}

/** npm passes its bundled node-gyp to scripts; outside npm, look next to this Node's npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** Electron's NODE_MODULE_VERSION: shipped in its package, else from the table prebuild-install uses. */
function electronAbi(version) {
  const file = join(root, 'node_modules', 'electron', 'abi_version');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return String(createRequire(import.meta.url)('node-abi').getAbi(version, 'electron'));
}

/**
 * npm exports its config to scripts as npm_config_*, and node-gyp and prebuild-install read it:
 * a distribution's `nodedir=/usr` makes node-gyp build against Node's own headers whatever
 * --target says. Only network settings are passed on.
 */
function buildEnv() {
  const keep = /^npm_config_(https?_proxy|proxy|noproxy|cafile|ca|strict_ssl)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k) || keep.test(k)));
}

/**
 * An addon built for Electron must refuse to load in this Node, naming Electron's ABI. One that
 * loads was built for Node (a misconfigured toolchain) and would crash the app instead.
 */
function builtFor(file) {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' });
  if (probe.status === 0) return `Node ${process.versions.node} (NODE_MODULE_VERSION ${process.versions.modules})`;
  return /NODE_MODULE_VERSION (\d+)\. This version of Node/.exec(probe.stderr)?.[1] ?? null;
}

/** Runs one build step quietly; its output is shown only when the whole rebuild fails. */
function attempt(label, args, cwd, abi) {
  console.log(`rebuild:electron: ${label}…`);
  const result = spawnSync(process.execPath, args, { cwd, env: buildEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000 });
  let output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  const built = join(cwd, 'build', 'Release', 'better_sqlite3.node');
  if (result.status !== 0 || !existsSync(built)) return { label, ok: false, built, output };
  const abiBuilt = builtFor(built);
  if (abiBuilt === abi) return { label, ok: true, built, output };
  output += `\nThe result was built for ${abiBuilt ?? 'an unknown ABI'}, not Electron's NODE_MODULE_VERSION ${abi}.`;
  rmSync(join(cwd, 'build'), { recursive: true, force: true });
  return { label, ok: false, built, output };
}

/** The lines of a failed step worth reading: its last ones, without stack frames and banners. */
function summary(text) {
  const noise = /ERR! (stack\s+at |System |command |cwd |node -v |node-gyp -v |\$npm_|not ok)/;
  return text
    .trim()
    .split('\n')
    .filter((l) => !noise.test(l))
    .slice(-8)
    .map((l) => `    ${l}`)
    .join('\n');
}

const version = electronVersion();
if (!version) {
  console.error('rebuild:electron: Electron is not in package.json or node_modules; nothing to build for.');
  process.exit(1);
}
const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
const abi = electronAbi(version);

const scratch = mkdtempSync(join(tmpdir(), 'driftline-sqlite-electron-'));
try {
  const work = join(scratch, 'better-sqlite3');
  // Sources only: the Node build (build/) stays where it is and is not copied.
  cpSync(sqliteDir, work, {
    recursive: true,
    filter: (src) => {
      const rel = relative(sqliteDir, src);
      return rel !== 'build' && !rel.startsWith(`build${sep}`) && rel !== 'node_modules' && !rel.startsWith(`node_modules${sep}`);
    },
  });

  const target = ['--runtime', 'electron', '--target', version, '--arch', process.arch, '--platform', process.platform];
  const attempts = [
    attempt(`downloading the prebuilt better-sqlite3 ${sqliteVersion} for Electron ${version}`, [join(root, 'node_modules', 'prebuild-install', 'bin.js'), ...target], work, abi),
  ];
  const gyp = nodeGyp();
  if (!attempts[0].ok && gyp) {
    attempts.push(
      attempt(`compiling better-sqlite3 ${sqliteVersion} against Electron ${version}'s headers`, [
        gyp,
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
        `--devdir=${join(homedir(), '.electron-gyp')}`,
      ], work, abi),
    );
  }

  const success = attempts.find((a) => a.ok);
  if (!success) {
    console.error(`\nrebuild:electron: could not build better-sqlite3 for Electron ${version}.`);
    for (const a of attempts) console.error(`\n  ${a.label} failed:\n${summary(a.output)}`);
    if (!gyp) console.error('\n  node-gyp was not found (run this through `npm run rebuild:electron`).');
    console.error(
      `\nThe prebuilt binary comes from github.com; compiling needs Electron's headers from https://electronjs.org/headers,` +
        `\npython3 and a C++ toolchain. Without network access to those hosts this step cannot succeed.` +
        `\nUntil ${relative(root, binding.file)} exists, the desktop app refuses to start (with this advice);` +
        `\nbrowser mode (\`npx driftline serve\`), the CLI and \`npm test\` use the Node build and are unaffected.`,
    );
    process.exitCode = 1;
  } else {
    mkdirSync(binding.dir, { recursive: true });
    // Copy then rename, so a running app never sees a half-written binding.
    const tmp = `${binding.file}.${process.pid}.tmp`;
    copyFileSync(success.built, tmp);
    chmodSync(tmp, 0o755);
    renameSync(tmp, binding.file);
    writeFileSync(binding.stamp, `${JSON.stringify({ electron: version, abi, betterSqlite3: sqliteVersion }, null, 2)}\n`);
    console.log(`rebuild:electron: wrote ${relative(root, binding.file)} for Electron ${version}.`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
