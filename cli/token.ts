import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { posix } from 'node:path';
import { configFileToken, describeSource } from '../checks/gateway-facts.js';
import { readGatewayUnit, unitRotationRefusal } from '../checks/gateway-unit.js';
import { kafclawEnvFile, opsStoreOf, TOKEN_ENV } from '../checks/locations.js';
import { gatewayTokenRotation, recordGatewayTokenRotation } from '../checks/token-rotation-record.js';
import { gatherTokenStatus, renderTokenStatus } from '../checks/token-status.js';
import { loadConfig, MAX_GRACE_MS, PREVIOUS_TOKEN_ENV, PREVIOUS_TOKEN_EXPIRES_ENV, setEnvFileValues, setEnvLines, type EnvLineValue, type LoadedConfig } from '../lib/config/index.js';
import { generateToken, scrub } from '../lib/secrets/index.js';
import type { Secret } from '../lib/secrets/index.js';
import { LocalTarget } from '../lib/target/local.js';
import { shellQuote } from '../lib/target/quote.js';
import { tokenWeakness } from '../runtime/startup-check.js';
import { EXIT } from './exit-codes.js';

const out = (text: string) => process.stdout.write(scrub(text) + '\n');
/** Says `kafclaw token COMMAND: TEXT` on stderr and returns the exit code: 2 (bad input) unless told. */
const refuse = (command: 'rotate' | 'generate', text: string, code: number = EXIT.usage) => {
  process.stderr.write(`kafclaw token ${command}: ${scrub(text)}\n`);
  return code;
};

/** Why a token written to the env file would not serve, or null: a literal in config.json, or a source that overrides the file. */
function refusal(before: LoadedConfig, after: LoadedConfig, file: string, matches: boolean): string | null {
  if (configFileToken(before).kind === 'literal') {
    return (
      `config.json holds the token as a literal (gateway.authToken in ${before.path}): a new token in ${file} would leave the old one ` +
      `in config.json and in every copy of it. Run \`kafclaw doctor --fix --only gateway.token-not-in-config\` first (it moves the token ` +
      `to ${file} and leaves \${${TOKEN_ENV}} in config.json), then rotate. Nothing was changed.`
    );
  }
  if (matches) return null;
  const source = after.sourceOf('gateway.authToken');
  const where =
    source.kind === 'env' && !source.file
      ? `${source.name} in this process's environment, which env files never override (run again without it, e.g. \`env -u ${source.name} kafclaw token rotate\`)`
      : `${describeSource(after, 'gateway.authToken')}, which takes precedence over ${TOKEN_ENV} in ${file} (remove it there, then run again)`;
  return `a token written to ${file} would not take effect: the gateway token would still come from ${where}. Nothing was changed.`;
}

/** Why the gateway this machine's systemd runs would not read a token written to `file`, or null (also when there is no such unit). */
async function unitRefusal(target: LocalTarget, file: string): Promise<string | null> {
  let gateway;
  try {
    gateway = await readGatewayUnit(target);
  } catch (error) {
    return `could not read the local kafclaw-gateway.service to check that its gateway reads ${file} (${(error as Error).message}); run \`systemctl cat kafclaw-gateway.service\` to see why. Nothing was changed.`;
  }
  if (!gateway) return null;
  const uid = process.getuid?.() ?? -1;
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.LOGNAME || process.env.USER || `uid ${uid}`;
  }
  return unitRotationRefusal(gateway, { uid, name }, file);
}

const GRACE_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A `--grace` duration in milliseconds (`30m`, `2h`, `1d`; one minute to 30 days), or the problem with it. Pure. */
export function graceMs(text: string): number | { problem: string } {
  const match = /^(\d{1,6})([mhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * GRACE_UNITS[match[2]!]! : Number.NaN;
  if (!(ms >= 60_000 && ms <= MAX_GRACE_MS)) {
    return { problem: `--grace "${text}" is not a duration from 1m to 30d: write minutes, hours or days, such as 30m, 2h or 1d.` };
  }
  return ms;
}

/** The env file lines a rotation writes: the new token, and the old one until `expiresAt` or no previous token at all. */
function rotationLines(token: Secret, previous: Secret | null, expiresAt: Date | null): Record<string, EnvLineValue> {
  const keepOld = previous !== null && expiresAt !== null;
  return {
    [TOKEN_ENV]: token,
    [PREVIOUS_TOKEN_ENV]: keepOld ? previous : null,
    [PREVIOUS_TOKEN_EXPIRES_ENV]: keepOld ? expiresAt.toISOString() : null,
  };
}

/** `kafclaw token rotate`: a new token in the env file, its rotation in ops.db; the token itself only with --show. */
export async function tokenRotateCommand(flags: { show?: boolean; grace?: string }, now = new Date()): Promise<number> {
  const grace = flags.grace === undefined ? null : graceMs(flags.grace);
  if (grace !== null && typeof grace !== 'number') return refuse('rotate', `${grace.problem} Nothing was changed.`);
  const target = new LocalTarget();
  const readFile = (path: string) => target.readFile(path);
  const before = await loadConfig({ readFile });
  const file = posix.resolve(kafclawEnvFile(before));
  const token = generateToken('generated');
  const old = before.config.gateway.authToken;
  const previous = grace !== null && old && !old.isEmpty() ? old : null;
  // A weak previous token would be refused by the gateway's start check, and with it the reload that brings in the new one.
  const weakness = previous ? tokenWeakness({ secret: previous }) : null;
  if (weakness) {
    return refuse('rotate', `the current token ${weakness}: keeping it valid for a grace period would keep a weak token working, and the gateway refuses to start or reload with one. Rotate without --grace. Nothing was changed.`);
  }
  const expiresAt = grace !== null ? new Date(now.getTime() + grace) : null;
  const lines = rotationLines(token, previous, expiresAt);
  // The configuration as it would load with the new lines in the env file: the new token must be the one in effect.
  const current = (await target.readFile(file))?.toString('utf8') ?? '';
  const next = setEnvLines(current, lines).text;
  const after = await loadConfig({ readFile: (path) => (posix.resolve(path) === file ? Promise.resolve(Buffer.from(next)) : readFile(path)) });
  const refused = refusal(before, after, file, after.config.gateway.authToken.equals(token)) ?? (await unitRefusal(target, file));
  if (refused) return refuse('rotate', refused);

  const edit = await setEnvFileValues(file, lines, target);
  const fingerprint = token.fingerprint();
  out(`New gateway token written to ${file} as ${TOKEN_ENV} (mode 0600), fingerprint ${fingerprint}.`);
  if (previous && expiresAt) {
    out(`The old token (${previous.fingerprint()}) stays valid until ${expiresAt.toISOString()}, as ${PREVIOUS_TOKEN_ENV} in the same file.`);
  } else if (grace !== null) {
    out('There was no token before this one, so there is no old token to keep valid.');
  }
  if (edit.backupPath) {
    out(`The env file as it was is saved as ${edit.backupPath} (0600); it holds the old token: delete it once the rotation is done: rm ${shellQuote(edit.backupPath)}`);
  }
  if (flags.show) process.stdout.write(`token: ${token.reveal()}\n`);

  const store = opsStoreOf(before, target);
  let recorded = true;
  try {
    await recordGatewayTokenRotation(store, gatewayTokenRotation(token, 'rotate'));
    out(`Rotation recorded in ${store}.`);
  } catch (error) {
    recorded = false;
    process.stderr.write(
      scrub(
        `kafclaw token rotate: the new token is in place, but its rotation could not be recorded in ${store}: ${(error as Error).message}. ` +
          'Until a rotation is recorded, gateway.auth-token-age reports the token\'s age as unknown: make the store writable, then rotate again to start the record.\n',
      ),
    );
  }
  out(
    [
      'Next:',
      `  1. Give the new token to the gateway's clients${flags.show ? '' : ` (read it from ${file}; it is not printed without --show)`}.`,
      '  2. Reload the running gateway: `systemctl reload kafclaw-gateway`, or send it SIGHUP (a gateway that does not reload on SIGHUP: restart it).',
      previous && expiresAt
        ? `     From then on both tokens work until ${expiresAt.toISOString()}; after that only the new one (the gateway checks the expiry on every request).`
        : '     From then on the old token stops working; until then the running gateway accepts only the old one.',
    ].join('\n'),
  );
  return recorded ? EXIT.ok : EXIT.findings;
}

/** `kafclaw token generate`: a new token to a new 0600 file (`--out`) or stdout (`--show`), nowhere else. */
export function tokenGenerateCommand(flags: { out?: string; show?: boolean }): number {
  if (!flags.out && !flags.show) return refuse('generate', 'say where the token goes: --out FILE (a new file, 0600) or --show (stdout). Nothing was generated.');
  const token = generateToken('generated');
  if (flags.out) {
    const path = posix.resolve(flags.out);
    try {
      writeFileSync(path, `${token.reveal()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return refuse('generate', `${path} exists; a token file is never overwritten. Choose another path, or remove it first.`);
      return refuse('generate', `could not write ${path}: ${(error as Error).message}`, EXIT.findings);
    }
    process.stderr.write(`New gateway token written to ${path} (0600), fingerprint ${token.fingerprint()}.\n`);
  }
  if (flags.show) {
    if (!flags.out) process.stderr.write(`New gateway token, fingerprint ${token.fingerprint()}; it is not installed anywhere.\n`);
    process.stdout.write(`${token.reveal()}\n`);
  }
  return EXIT.ok;
}

/** `kafclaw token status`: where the token comes from, its fingerprint and its age, as `kafclaw status` reports them. */
export async function tokenStatusCommand(flags: { json?: boolean }): Promise<number> {
  const status = await gatherTokenStatus(new LocalTarget());
  process.stdout.write(scrub(flags.json ? JSON.stringify(status, null, 2) + '\n' : renderTokenStatus(status)));
  return EXIT.ok;
}
