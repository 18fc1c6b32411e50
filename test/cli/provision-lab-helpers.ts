// Shared by the `kafclaw provision` lab suites: the built CLI run asynchronously (so a test can
// watch the host while it runs), small playbooks and inventories in temporary directories, and the
// JSON event stream read back.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabHost } from '../lab/hosts.js';
import type { RunEvent, RunSummary } from '../../provision/runner/events.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The built `kafclaw` (dist/bin; `npm run build` first) with exactly this environment, not blocking the event loop. */
export function kafclawAsync(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  return runCommand(process.execPath, ['dist/bin/kafclaw.js', ...args], env, timeoutMs);
}

/** Any command from the repository root with the CLI tests' environment (no colour). */
export function runCommand(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A temporary directory for one test's playbook, inventory and known_hosts; `cleanup` removes it. */
export async function workDir(): Promise<{ dir: string; file: (name: string, text: string) => Promise<string>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-cli-lab-'));
  return {
    dir,
    file: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text, { mode: 0o600 });
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface InventoryHostSpec {
  host: LabHost;
  /** Host vars besides the connection ones. */
  vars?: Record<string, unknown>;
}

/**
 * An inventory of lab hosts under their lab names: the lab key, a known_hosts file chosen by the
 * test (default each host's own), group vars as given.
 */
export function inventoryText(hosts: readonly InventoryHostSpec[], options: { vars?: Record<string, unknown>; knownHostsFile?: string } = {}): string {
  const vars = Object.entries(options.vars ?? {}).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`).join('');
  return (
    `all:\n` +
    (vars ? `  vars:\n${vars}` : '') +
    `  hosts:\n` +
    hosts
      .map(({ host, vars: hostVars = {} }) =>
        `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_ssh_private_key_file: ${host.privateKeyPath}\n` +
        `      known_hosts_file: ${options.knownHostsFile ?? host.knownHostsPath}\n` +
        Object.entries(hostVars).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}\n`).join(''),
      )
      .join('')
  );
}

export interface JsonRun {
  events: RunEvent[];
  summary: RunSummary;
}

/** `--format json` output: one event a line, the summary last. Throws with the output when it is not that. */
export function parseJsonRun(run: CliRun): JsonRun {
  const lines = run.stdout.trim().split('\n').filter((line) => line !== '');
  try {
    const parsed = lines.map((line) => JSON.parse(line) as unknown);
    const summary = parsed.at(-1) as RunSummary;
    if (!summary || summary.schemaVersion !== 1) throw new Error('no summary line');
    return { events: parsed.slice(0, -1) as RunEvent[], summary };
  } catch (error) {
    throw new Error(`not a JSON event stream (${(error as Error).message}): exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** `ssh-keygen -lf` style SHA256 fingerprint of a lab host's key, from its known_hosts line. */
export function labFingerprint(host: LabHost): string {
  const blob = Buffer.from(host.knownHostsLine.trim().split(/\s+/)[2]!, 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export const show = (run: CliRun) => `exit ${run.code} in ${run.ms} ms\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
