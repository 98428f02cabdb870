// How the launchers (bin/driftline.js, scripts/start.mjs) run Driftline's Node: with V8 flags that
// only work on a command line, and as a child that stops with its launcher.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

/**
 * V8's memory reducer runs a compacting full GC of the main heap when the main thread looks idle,
 * as it does while the sync workers fill both cores; its helper threads then wait for a core and
 * the pause exceeded 100 ms on the event loop the UI is served from. Set at run time
 * (v8.setFlagsFromString) it does not stop the reducer the heap already has, hence the command line.
 */
const NODE_FLAGS = ['--no-memory-reducer'];

const hasNodeFlags = () => NODE_FLAGS.every((flag) => process.execArgv.includes(flag));

/**
 * Runs `command args` with inherited stdio (and an IPC channel for stopWithLauncher when `ipc`),
 * and ends this process with the child's exit. A terminal's Ctrl+C reaches both (same process
 * group), so signals are passed on as SIGTERM, which takes the child's same graceful path; a second
 * SIGINT would cut it short.
 */
function runChild(command, args, { ipc = false, ...options } = {}) {
  const child = spawn(command, args, { ...options, stdio: ipc ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit' });
  // On Windows a console's Ctrl+C reaches every process attached to it, and child.kill() ends the
  // child outright there: the child is left to take the signal itself.
  const relay = process.platform === 'win32' ? () => undefined : () => child.kill('SIGTERM');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, relay);
  child.on('error', (err) => {
    console.error(`driftline: could not start: ${err.message}`);
    process.exit(1);
  });
  // The shell convention for a child ended by a signal: 128 + its number.
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0)));
  return child;
}

/**
 * In a child started by runChild: a launcher that dies without passing a signal on (SIGKILL) closes
 * the channel, and the child then stops as if sent SIGTERM (a sync cancels, keeping earlier
 * snapshots). The handlers are called directly where there are some, because a real SIGTERM on
 * Windows ends a process without running them. The channel itself keeps nothing alive.
 */
function stopWithLauncher() {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', () => {
    if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
    else process.kill(process.pid, 'SIGTERM');
  });
}

module.exports = { NODE_FLAGS, hasNodeFlags, runChild, stopWithLauncher };
