// Starts and stops a real Besaya server (`besaya serve --demo`) on a free port with a
// fresh data directory, for one test file. Commands of the CLI (e.g. `besaya user create`)
// can be run on that data directory before the server starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { E2E_DIR, RESULTS_DIR } from './paths.mjs';

const START_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LISTENING = /Besaya listening on (http:\/\/\S+)/;

/** The server binary: $BESAYA_BIN (relative paths are taken from e2e/), else ../target/debug/besaya. */
export function serverBinary() {
  return path.resolve(E2E_DIR, process.env.BESAYA_BIN || '../target/debug/besaya');
}

/** Server processes still running, killed if the test process exits without stopping them. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The environment of the server and of its commands: only our settings, so that a
 * BESAYA_* variable of the developer's shell does not change the run. */
function serverEnv(dataDir) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('BESAYA_') || k === 'BESAYA_LOG'),
  );
  return Object.assign(env, {
    BESAYA_DATA_DIR: dataDir,
    BESAYA_BIND: '127.0.0.1:0',
    BESAYA_METRICS_BIND: 'off',
    NO_COLOR: '1',
  });
}

/**
 * Runs one command of the binary (e.g. `user create …`) with the server's environment,
 * feeding it `input` on standard input. Resolves with its output if it exits with 0,
 * rejects with its output otherwise (or after COMMAND_TIMEOUT_MS).
 *
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function runCommand(bin, env, args, { input = '' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`besaya ${args.join(' ')}: could not be started: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve({ stdout, stderr });
      else {
        reject(
          new Error(`besaya ${args.join(' ')} failed (code ${code}, signal ${signal}).\nstdout: ${stdout}\nstderr: ${stderr}`),
        );
      }
    });
    child.stdin.on('error', () => {}); // the command may exit before reading everything
    child.stdin.end(input);
  });
}

/**
 * @callback Setup
 * @param {{ dataDir: string, besaya: (args: string[], options?: { input?: string }) => Promise<{ stdout: string, stderr: string }> }} data
 *   the fresh data directory, and a way to run commands of the binary on it
 * @returns {Promise<void>}
 */

/**
 * Starts the server and resolves once it printed the address it listens on.
 *
 * @param {{ label?: string, setup?: Setup }} [options] label names the server's log file
 *   under test-results/server-logs/; setup runs before the server starts, on its data directory.
 * @returns {Promise<{ url: string, dataDir: string, mailDir: string, stop: () => Promise<void>, log: () => string }>}
 */
export async function startServer({ label = 'server', setup } = {}) {
  const bin = serverBinary();
  try {
    await access(bin, constants.X_OK);
  } catch {
    throw new Error(
      `Besaya server binary not found or not executable: ${bin}\n` +
        'Build it first (cargo build -p besaya) or point BESAYA_BIN at it.',
    );
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'besaya-e2e-'));
  const logDir = path.join(RESULTS_DIR, 'server-logs');
  await mkdir(logDir, { recursive: true });
  const logPath = path.join(logDir, `${label}.log`);
  const logFile = createWriteStream(logPath);

  const env = serverEnv(dataDir);
  if (setup) {
    try {
      const besaya = async (args, options) => {
        logFile.write(`$ besaya ${args.join(' ')}\n`);
        const out = await runCommand(bin, env, args, options);
        logFile.write(out.stdout + out.stderr);
        return out;
      };
      await setup({ dataDir, besaya });
    } catch (e) {
      logFile.end();
      await rm(dataDir, { recursive: true, force: true });
      throw e;
    }
  }

  const child = spawn(bin, ['serve', '--demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-8_000);
    logFile.write(chunk);
  };
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    logFile.end();
    return { code, signal };
  });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not print "Besaya listening on …" within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    const lines = readline.createInterface({ input: child.stdout });
    let settled = false;
    function fail(why) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Besaya server ${why}.\nLog (${logPath}):\n${tail}`));
    }
    lines.on('line', (line) => {
      keep(`${line}\n`);
      const m = LISTENING.exec(line);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.once('error', (e) => fail(`could not be started: ${e.message}`));
    exited.then(({ code, signal }) => fail(`exited during start-up (code ${code}, signal ${signal})`));
  }).catch(async (e) => {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  });

  let stopped;
  return {
    url,
    dataDir,
    /** Where the server writes e-mails as .eml files (no SMTP server is configured). */
    mailDir: path.join(dataDir, 'mail'),
    log: () => tail,
    /** SIGTERM, then waits for a graceful exit with code 0 (throws otherwise). */
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        let timer;
        const result = await Promise.race([
          exited,
          new Promise((resolve) => {
            timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(timer);
        if (result === null) child.kill('SIGKILL');
        await exited;
        await rm(dataDir, { recursive: true, force: true });
        if (result === null) {
          throw new Error(`Besaya server did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM.\n${tail}`);
        }
        if (result.code !== 0) {
          throw new Error(
            `Besaya server did not stop cleanly on SIGTERM (code ${result.code}, signal ${result.signal}).\n${tail}`,
          );
        }
      })();
      return stopped;
    },
  };
}
